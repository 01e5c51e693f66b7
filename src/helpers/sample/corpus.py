"""A seeded generator of a synthetic document corpus for stage 03 (text analysis).

The real material of the follow-up (the 21 regional development strategies, the regions'
yearly reports, the state agencies' reports and Tillväxtverket's annual reports) is not
shipped with the study, so the study ships this corpus instead: 148 documents in PDF, .docx,
.txt and Markdown, written in Swedish policy prose by a small template grammar, with a
planted truth of which framework elements (strategic areas and priorities, basic
prerequisites, societal challenges, the three sustainability dimensions and the territorial
perspective) each body paragraph covers. Stage 03 codes the documents and measures its
precision and recall against that truth.

What is planted:
- every body paragraph covers zero, one or a few elements; a paragraph on a priority also
  covers its strategic area (SO2.1 -> SO2 as well);
- neutral filler paragraphs (no element) and distractor paragraphs (no element, but a
  keyword of one element in another sense: "kapacitet" of a cooling unit, "samverkan" of two
  chemicals, ...), about 5 % of the paragraphs, each naming the element it tempts;
- per-document emphasis: planted county profiles (e.g. the northern counties heavy on
  accessibility and the territorial perspective), agency mandates, per-document noise, and a
  drift over the years (learning, climate and environmental sustainability gain, broadband
  loses), so that an analysis sees regional differences and change over time.

Everything is drawn from ``numpy.random.Generator(PCG64)`` streams keyed by the seed and the
document id (not by the order of generation), and written without time, locale or hash-order
dependence: the same seed gives the same bytes, and any subset of documents can be generated
alone with the same bytes as in the full corpus.

Run ``python -m helpers.sample.corpus`` to rewrite the committed corpus in
data/raw/sample/corpus/. The generator never reads the study's coding lexicon: its phrasing is
its own.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import io
import json
import math
import re
import sys
import textwrap
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import reference
from ..files import write_atomic
from ..paths import resolve
from .nyps import KOMMUNER

DEFAULT_SEED = 20210318
DEFAULT_RUS_PAGES = 30
DEFAULT_OUT = Path("data/raw/sample/corpus")
DOC_DIR = "dokument"
MARKER = "SYNTETISKT EXEMPEL"
STATEMENT = ("SYNTETISKT EXEMPEL – påhittad text för att testa studiens textanalys, "
             "inte ett verkligt dokument")
FIXED_TIME = dt.datetime(2025, 1, 31, 12, 0, 0, tzinfo=dt.timezone.utc)
FIXED_ZIP_TIME = (2025, 1, 31, 12, 0, 0)
DISTRACTOR_P = 0.05

# The 26 element ids planted (the framework ids of data/reference/strategy_framework.csv).
ELEMENT_IDS = (
    "SO1", "SO1.1", "SO1.2", "SO1.3", "SO2", "SO2.1", "SO2.2",
    "SO3", "SO3.1", "SO3.2", "SO3.3", "SO3.4", "SO3.5", "SO4", "SO4.1", "SO4.2",
    "GF1", "GF2", "GF3", "SU1", "SU2", "SU3", "HB-EK", "HB-SO", "HB-MI", "TP",
)
AREAS = ("SO1", "SO2", "SO3", "SO4")
PARENT = {e: e.split(".")[0] for e in ELEMENT_IDS if "." in e}

FORMATS = ("pdf", "docx", "txt", "md")
FORMAT_P = (0.40, 0.30, 0.15, 0.15)
REPORT_YEARS = (2021, 2022, 2023, 2024)
SMM_YEARS = (2022, 2023, 2024)
TVV_YEARS = (2021, 2022, 2023, 2024)

# Agencies named in the 2024 assignment: slug, name, short name, genitive of the short name.
AGENCIES = (
    ("arbetsformedlingen", "Arbetsförmedlingen", "Arbetsförmedlingen", "Arbetsförmedlingens"),
    ("boverket", "Boverket", "Boverket", "Boverkets"),
    ("lansstyrelserna", "Länsstyrelserna", "länsstyrelserna", "länsstyrelsernas"),
    ("mucf", "Myndigheten för ungdoms- och civilsamhällesfrågor", "MUCF", "MUCF:s"),
    ("myh", "Myndigheten för yrkeshögskolan", "MYH", "MYH:s"),
    ("naturvardsverket", "Naturvårdsverket", "Naturvårdsverket", "Naturvårdsverkets"),
    ("pts", "Post- och telestyrelsen", "PTS", "PTS:s"),
    ("raa", "Riksantikvarieämbetet", "Riksantikvarieämbetet", "Riksantikvarieämbetets"),
    ("energimyndigheten", "Energimyndigheten", "Energimyndigheten", "Energimyndighetens"),
    ("jordbruksverket", "Jordbruksverket", "Jordbruksverket", "Jordbruksverkets"),
    ("kulturradet", "Kulturrådet", "Kulturrådet", "Kulturrådets"),
    ("trafikverket", "Trafikverket", "Trafikverket", "Trafikverkets"),
    ("vinnova", "Vinnova", "Vinnova", "Vinnovas"),
)

# --- planted emphasis ---------------------------------------------------------------------
BASE_WEIGHT = {
    "SO1": 0.7, "SO1.1": 1.0, "SO1.2": 0.9, "SO1.3": 1.0, "SO2": 0.8, "SO2.1": 1.0, "SO2.2": 1.0,
    "SO3": 0.8, "SO3.1": 1.0, "SO3.2": 0.9, "SO3.3": 1.0, "SO3.4": 0.9, "SO3.5": 0.8,
    "SO4": 0.7, "SO4.1": 0.9, "SO4.2": 1.0, "GF1": 0.8, "GF2": 1.2, "GF3": 0.9,
    "SU1": 0.9, "SU2": 0.8, "SU3": 0.6, "HB-EK": 0.5, "HB-SO": 0.6, "HB-MI": 0.6, "TP": 1.0,
}
# Multipliers of the base weights per county: some counties clearly stronger on some elements.
COUNTY_FOCUS = {
    "01": {"SO3": 2.0, "SO3.1": 3.0, "SO3.5": 3.0, "SU3": 2.5, "SO1.1": 2.0,
           "SO4": 0.25, "SO4.1": 0.2, "SO4.2": 0.5, "SO1.2": 0.3, "TP": 0.5},
    "03": {"GF3": 2.5, "SO3.1": 2.0, "SO4": 0.5, "SO4.1": 0.4},
    "04": {"SU3": 2.0, "HB-SO": 2.0, "SO4.1": 0.5},
    "05": {"SO3.1": 2.0, "SO3.4": 2.0, "SO4.1": 0.5},
    "06": {"SO3": 2.5, "SO3.2": 2.5, "SO4": 0.6},
    "07": {"SO3.3": 2.0, "GF1": 2.0},
    "08": {"SO3.3": 2.5, "HB-MI": 2.0, "SU1": 2.0},
    "09": {"SO1.2": 3.0, "SO1.3": 3.0, "SO4.2": 2.5, "SU2": 2.0, "SO3.5": 0.4},
    "10": {"SO3.4": 2.5, "SO4.1": 1.5},
    "12": {"SO3.1": 2.5, "TP": 2.0, "SU3": 2.0, "SO3.5": 2.0, "SO4.1": 0.4},
    "13": {"SO1.1": 2.0, "SU1": 2.0},
    "14": {"SO3.1": 2.5, "SO3.3": 2.0, "SO3.5": 2.0, "HB-SO": 2.0, "SO4.1": 0.5},
    "17": {"SO2.2": 2.0, "TP": 2.0, "SO3.3": 2.0},
    "18": {"SO4.2": 2.0, "GF2": 2.0},
    "19": {"SO3.4": 2.0, "SO2.1": 1.5},
    "20": {"SO1.3": 2.0, "TP": 2.0, "SO2.1": 2.0},
    "21": {"SO2": 3.0, "SO2.1": 3.0, "SO2.2": 2.5, "SU3": 1.5, "SO4": 0.6},
    "22": {"SO4.2": 2.0, "SU2": 2.0, "SO2": 1.5},
    "23": {"SO4": 3.5, "SO4.1": 3.5, "SO4.2": 3.0, "TP": 3.0, "SU2": 2.5, "SO1.2": 2.5},
    "24": {"SO4": 2.5, "SO4.2": 3.0, "SO3.5": 2.0, "TP": 2.5},
    "25": {"SO4": 3.5, "SO4.1": 3.0, "SO4.2": 3.5, "SO3.3": 2.5, "SO3.5": 2.5, "TP": 2.5,
           "SU2": 2.0},
}
AGENCY_FOCUS = {
    "arbetsformedlingen": {"SO2": 5.0, "SO2.1": 5.0, "SU3": 2.0},
    "boverket": {"SO1": 3.0, "SO1.1": 6.0, "SO1.3": 3.0},
    "lansstyrelserna": {"SO1.1": 3.0, "SO1.2": 3.0, "GF2": 2.0, "TP": 2.5, "SU1": 2.0},
    "mucf": {"HB-SO": 5.0, "SU3": 4.0, "SU2": 2.0, "SO1.3": 2.0},
    "myh": {"SO2": 3.0, "SO2.2": 6.0, "SO2.1": 2.0},
    "naturvardsverket": {"SU1": 5.0, "HB-MI": 5.0, "SO3.3": 3.0},
    "pts": {"SO4": 3.0, "SO4.1": 7.0, "SO3.4": 3.0},
    "raa": {"SO1.3": 6.0, "SO1.1": 2.5},
    "energimyndigheten": {"SU1": 4.0, "SO3.3": 4.0, "HB-MI": 3.0, "SO4.2": 1.5},
    "jordbruksverket": {"TP": 4.0, "SO1.2": 2.5, "SO3": 2.0, "SO3.3": 2.5},
    "kulturradet": {"SO1.3": 6.0, "HB-SO": 2.5},
    "trafikverket": {"SO4": 3.0, "SO4.2": 7.0, "SO1.1": 2.0},
    "vinnova": {"SO3": 3.0, "SO3.1": 6.0, "SO3.4": 2.5},
}
AGENCY_DAMP = ("SO1", "SO1.1", "SO1.2", "SO1.3", "SO2", "SO2.1", "SO2.2", "SO3", "SO3.1",
               "SO3.2", "SO3.3", "SO3.4", "SO3.5", "SO4", "SO4.1", "SO4.2")
TVV_FOCUS = {"GF1": 2.5, "GF2": 2.5, "GF3": 3.0, "SO3": 2.0, "SO3.2": 3.0, "SO1.2": 2.5, "TP": 2.0}
# Log change per year (centred on 2022) of an element's weight: a later analysis sees
# learning, climate and environmental sustainability gain, broadband and Annat-like topics lose.
DRIFT = {"GF3": 0.22, "SU1": 0.30, "HB-MI": 0.30, "GF1": 0.10, "SO3.3": 0.12, "TP": 0.08,
         "SO3.4": 0.06, "SO4.1": -0.30, "SO4": -0.12, "SO1.2": -0.08, "SO3.5": -0.06}
DRIFT_CENTRE = 2022
COUNTY_NOISE = 0.30
DOC_NOISE = 0.30

REGION_ORG = {"01": "Region Stockholm", "04": "Region Sörmland", "08": "Region Kalmar län",
              "14": "Västra Götalandsregionen", "23": "Region Jämtland Härjedalen"}
NEIGHBOUR = {"12": ("Danmark",), "14": ("Norge",), "17": ("Norge",), "20": ("Norge",),
             "23": ("Norge",), "24": ("Norge",), "25": ("Finland", "Norge")}
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")
NUMBER_WORDS = ("två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv")

# --- the template grammar -------------------------------------------------------------------
# "[a|b|c]" picks one alternative (nesting allowed, "" allowed), "{slot}" is filled from the
# document's context. A leading "P:" keeps a template to the strategies (future, intent),
# "R:" to the reports (past). Each template's elements are recorded in the truth.
# Slots: {S} subject, {Sg} its genitive, {MOD} a modal phrase taking an infinitive, split
# as {Vf} (finite verb) and {Vr} (the rest) after a fronted {TID}; {omr}/{omrg} the county
# (or the country, in national reports) and its genitive; {lan}, {ort}, {ar}, numbers.

TEMPLATES: dict[str, list[str]] = {
    "SO1": [
        "Alla som bor i {omr} ska ha [likvärdiga|jämbördiga|goda och likvärdiga] möjligheter till boende, arbete och välfärd.",
        "Möjligheten att [bo, arbeta och ta del av välfärden|bo, arbeta och leva ett gott liv] [är grundläggande för|avgör i hög grad] {omrg} [attraktionskraft|utveckling].",
        "[Bostadsmarknaden, arbetsmarknaden och välfärden|Boende, arbete och välfärd] hänger ihop, och {S} {MOD} [hantera dem|se dem] som en helhet.",
        "En väl fungerande bostadsmarknad är en förutsättning för att [människor|hushåll|unga vuxna] ska kunna [flytta dit jobben finns|ta de jobb som finns].",
        "Bostadsbristen gör det svårt för [unga|nyanlända|barnfamiljer] att etablera sig i [flera|många] av {omrg} kommuner.",
        "{S} {MOD} [bidra till|verka för] likvärdiga möjligheter till boende, arbete och välfärd, bland annat genom [insatser för fler bostäder|stöd till bostadsförsörjningen|ett regionalt bostadsmarknadsprogram].",
        "Att kunna försörja sig, ha ett bra boende och få den välfärd man behöver [är grunden för|utgör grunden för] ett gott liv.",
        "[Välfärdens kvalitet|En välfärd av god kvalitet] och en fungerande bostadsmarknad avgör om människor väljer att [bosätta sig|stanna] i {omr}.",
    ],
    "SO1.1": [
        "En god samhällsplanering [förutsätter|kräver] att [den regionala och den kommunala planeringen|regional och kommunal planering] [hänger ihop|går hand i hand].",
        "{S} {MOD} [ta fram|utveckla] [ett regionalt planeringsunderlag|en regional strukturbild] som {omrg} kommuner kan använda i översiktsplaneringen.",
        "[Översiktsplanerna|Kommunernas översiktsplaner] är [viktiga verktyg|centrala instrument] för att omsätta [de regionala prioriteringarna|strategins mål] i mark- och vattenanvändningen.",
        "Nya bostadsområden [behöver|bör] [placeras|lokaliseras] så att marken används effektivt och befintliga strukturer tas tillvara.",
        "Markanvändningen kräver avvägningar mellan [bostäder, verksamheter och grönstruktur|olika allmänna intressen], och [den regionala planeringen|en regional fysisk planering] kan [tydliggöra|underlätta] de avvägningarna.",
        "{TID} {Vf} {S} {Vr} [stödja|ge stöd till] kommunernas arbete med [översiktsplaner|översikts- och detaljplanering].",
        "Samhällsplaneringen är [ett av de viktigaste verktygen|ett centralt verktyg] för att [skapa goda förutsättningar för vardagslivet|forma en fungerande vardag].",
        "Regional fysisk planering [ger|kan ge] kommunerna ett gemensamt planeringsunderlag i frågor som berör flera kommuner.",
        "R:{TID} lämnade {S} [synpunkter på|yttranden över] [{n2}|flera] [översiktsplaner|planförslag] utifrån regionala intressen.",
        "Planeringen av nya [verksamhetsområden|bostadsområden|stadsdelar] ska utgå från en helhetssyn på hur marken används.",
    ],
    "SO1.2": [
        "God tillgång till [kommersiell och offentlig service|både kommersiell och offentlig service] är [en grundförutsättning|avgörande] för att vardagen ska fungera.",
        "[Dagligvarubutiken|Den lokala butiken|Drivmedelsstationen] är [ofta|på många orter] en [viktig|central] servicepunkt där [paketutlämning, apoteksombud och spel|paket, receptfria läkemedel och post] finns under samma tak.",
        "{S} {MOD} [ta fram|uppdatera] [ett regionalt serviceprogram|en regional serviceplan] som pekar ut var servicen behöver stärkas.",
        "[Servicepunkter|Kombinerade serviceställen] kan samla [flera tjänster|både offentliga och kommersiella tjänster] på ett ställe.",
        "Tillgången till [apotek|drivmedel|kontanter och betaltjänster] har [försämrats|minskat] på [flera|vissa] orter, vilket försvårar vardagen för hushåll utan bil.",
        "Statliga servicekontor [gör det lättare|underlättar] för invånarna att [få hjälp med ärenden hos myndigheter|komma i kontakt med myndigheter].",
        "Tillgången till vård, skola och omsorg är grunden för att människor ska vilja bo och arbeta i {omr}.",
        "Den offentliga servicen behöver finnas [nära invånarna|där människor bor], [även|också] när verksamheterna [effektiviseras|omorganiseras].",
        "R:{TID} beviljades [{n}|ett tiotal|ett tjugotal] [butiker|dagligvarubutiker] stöd till kommersiell service på sammanlagt {mnkr} miljoner kronor.",
        "{TID} {Vf} {S} {Vr} [följa|bevaka] hur tillgången till [dagligvaror, drivmedel och apotek|kommersiell service] utvecklas.",
    ],
    "SO1.3": [
        "Attraktiva livsmiljöer med [närhet till natur, kultur och fritid|ett rikt kultur- och föreningsliv] [bidrar till|ger] hög livskvalitet.",
        "[Kulturlivet|Idrotten|Friluftslivet] och föreningslivet [gör|bidrar till att göra] {omr} till en [levande|trivsam] plats att bo på.",
        "{S} {MOD} [utveckla|värna] [goda och attraktiva livsmiljöer|livsmiljöer som människor vill leva i].",
        "En hög livskvalitet handlar om trygghet, närhet till grönområden och tillgång till kultur.",
        "[Torg och parker|Mötesplatser|Offentliga rum] som är [trygga och välkomnande|trygga och välskötta] [stärker|höjer] platsens attraktionskraft.",
        "Kulturmiljöerna ger [identitet|en känsla av sammanhang] och är en del av det som lockar människor att [bosätta sig|leva] i {omr}.",
        "{TID} {Vf} {S} {Vr} [stödja|finansiera] [insatser för kultur och fritid|satsningar på mötesplatser och kulturmiljöer] som höjer livskvaliteten.",
        "Goda livsmiljöer [är|har blivit] en [allt viktigare|avgörande] konkurrensfaktor när [människor|familjer] väljer var de vill bo.",
        "[Tillgången till kultur|Ett rikt kulturutbud] [betyder mycket|är viktigt] för livskvaliteten[ i alla åldrar|].",
    ],
    "SO2": [
        "Tillgången till [rätt kompetens|kvalificerad arbetskraft] är [en av de största utmaningarna|avgörande] för arbetsgivarna i {omr}.",
        "[Många|Flera] arbetsgivare [vittnar om|beskriver] svårigheter att rekrytera, [särskilt|framför allt] inom [vård och omsorg|tekniska yrken|byggsektorn].",
        "{S} {MOD} [arbeta för|bidra till] att arbetsgivarna hittar den kompetens de behöver.",
        "Kompetensförsörjning och kompetensutveckling är [ett av strategins fyra strategiska områden|ett prioriterat område].",
        "Bristen på kompetens [hämmar|begränsar] utvecklingen i [flera|många] branscher.",
        "[Kompetensförsörjningen|Försörjningen av kompetens] [berör|angår] [både privata och offentliga arbetsgivare|alla sektorer] och [kräver|förutsätter] [långsiktiga insatser|ett brett grepp].",
        "{TID} {Vf} {S} {Vr} [prioritera|ge hög prioritet åt] frågor om kompetensförsörjning och kompetensutveckling.",
        "Den kompetens som finns [behöver|måste] [tas tillvara bättre|användas fullt ut] för att arbetsgivarna ska klara sina uppdrag.",
    ],
    "SO2.1": [
        "Den regionala kompetensplattformen samlar [arbetsgivare, utbildningsanordnare och kommuner|kommuner, arbetsgivare och utbildningsaktörer] kring [kompetensbehoven|framtidens kompetensbehov].",
        "{S} {MOD} [utveckla|stärka] det regionala kompetensförsörjningsarbetet, bland annat genom [branschråd och yrkesråd|branschvisa kompetensråd].",
        "Matchningen mellan utbud och efterfrågan på arbetskraft [behöver|måste] [förbättras|bli effektivare], [inte minst|särskilt] [i bristyrkena|för unga].",
        "Kompetensförsörjningsarbetet [utgår från|bygger på] att arbetsgivarnas behov [fångas upp tidigt|tas tillvara].",
        "{TID} {Vf} {S} {Vr} [driva|samordna] [{n2} branschråd|flera branschråd] inom ramen för kompetensförsörjningsarbetet.",
        "Regionernas uppdrag inom kompetensförsörjning [handlar om|är] att [beskriva|kartlägga] [kompetensbehoven|framtida kompetensbehov] och bidra till en bättre matchning.",
        "Validering av [reell kompetens|yrkeskunskaper] gör det möjligt för [nyanlända|yrkesverksamma] att snabbare få ett arbete som motsvarar deras kunskaper.",
        "Matchningen mellan [utbildningsutbudet|de utbildningar som erbjuds] och [arbetsmarknadens behov|det arbetsgivarna efterfrågar] [behöver bli bättre|måste förbättras].",
        "R:Det regionala kompetensförsörjningsarbetet fick en tydligare inriktning när kompetensplattformen [förnyades|fick ett nytt uppdrag] {ar}.",
        "Kompetensförsörjningsarbetet [behöver|ska] bygga på en gemensam bild av arbetsmarknadens behov.",
        "Branschråden ger arbetsgivarna möjlighet att påverka [utbildningsutbudet|vilka utbildningar som erbjuds].",
    ],
    "SO2.2": [
        "Lärcentrum gör det möjligt att [studera på distans|läsa högskolekurser och yrkesutbildningar] nära hemmet.",
        "{S} {MOD} [verka för|bidra till] en väl fungerande infrastruktur för livslångt lärande med [vuxenutbildning, yrkeshögskola och högskola|komvux, yrkeshögskola och högskoleutbildning].",
        "Yrkeshögskolan har blivit en [viktig|allt viktigare] väg till arbete i [bristyrken|yrken där det råder brist].",
        "Det livslånga lärandet [kräver|förutsätter] att det finns utbildningar som går att kombinera med arbete.",
        "R:{TID} startade [{n2}|flera] nya yrkeshögskoleutbildningar i {lan}, [bland annat|exempelvis] inom [elkraft|vård|fastighetsförvaltning|träteknik].",
        "[Komvux|Den kommunala vuxenutbildningen] är en bärande del av infrastrukturen för kompetensförsörjning.",
        "Möjligheten att [vidareutbilda sig|läsa in en ny yrkesexamen] [mitt i livet|under yrkeslivet] blir allt viktigare när arbetsmarknaden förändras.",
        "[Lärcentrumet|Studiecentrumet] i {ort} [erbjuder|har utvecklat] [flexibla utbildningar|korta kurser] för [yrkesverksamma|den som redan arbetar].",
        "{TID} {Vf} {S} {Vr} [bygga ut|utveckla] [lärcentrumen|nätverket av lärcentrum] så att fler kan studera vidare.",
    ],
    "SO3": [
        "Ett [starkt|livskraftigt] näringsliv som präglas av [innovation och förnyelse|förnyelse och nytänkande] är [grunden|en förutsättning] för nya arbetstillfällen i {omr}.",
        "{S} {MOD} [främja|stimulera] [entreprenörskap och företagande|nyföretagande och entreprenörskap] [bland unga|bland kvinnor|bland både kvinnor och män].",
        "[Antalet nystartade företag|Nyföretagandet] har [legat under|legat nära] genomsnittet för riket de senaste åren.",
        "Rådgivningen till [den som vill starta företag|nya företagare] [behöver|ska] vara lätt att hitta.",
        "Innovationskraften i [små och medelstora företag|de mindre företagen] [behöver|måste] stärkas så att de klarar en hårdare konkurrens.",
        "{TID} {Vf} {S} {Vr} [stödja|finansiera] [{n} projekt|ett antal projekt] som främjar [innovation och förnyelse|entreprenörskap och företagande].",
        "Entreprenörskap och företagande [är|utgör] [motorn|en drivkraft] i {omrg} utveckling.",
        "[Fler växande företag|Företag som vågar växa] [behövs|är nödvändiga] för att [skapa jobb|nya jobb ska skapas] i {omr}.",
    ],
    "SO3.1": [
        "Strategin för smart specialisering [pekar ut|lyfter fram] [{n2}|ett antal] [styrkeområden|specialiseringsområden] där {omr} har goda förutsättningar att utvecklas vidare.",
        "Det regionala innovationssystemet [består av|omfattar] [företag, lärosäten, institut och offentliga aktörer|lärosäten, företag och innovationsstödjande aktörer].",
        "{S} {MOD} [stärka|utveckla] innovationssystemet så att [fler goda idéer|nya idéer] blir produkter och tjänster.",
        "Omställningen [i industrin|i basindustrin|i fordonsindustrin] [kräver|förutsätter] ett starkt regionalt innovationssystem.",
        "[Testbäddar|Science parks|Inkubatorer] ger företag möjlighet att [pröva|testa] nya lösningar innan de når marknaden.",
        "Smart specialisering handlar om att [prioritera|välja ut] [de områden|ett fåtal områden] där [regionen har unika styrkor|det finns kritisk massa] och satsa långsiktigt på dem.",
        "R:{TID} uppdaterades [{Sg} strategi|den regionala strategin] för smart specialisering [efter en bred process|i dialog med företag och lärosäten].",
        "Innovationssystemet [i {omr}|] [behöver|måste] bli bättre på att [omsätta kunskap i nya affärer|ta tillvara nya idéer].",
        "Omställningsförmågan i näringslivet [avgör|påverkar] hur väl {omr} klarar [strukturomvandlingen|de stora förändringarna i ekonomin].",
        "Samspelet mellan företag, akademi och offentlig sektor är kärnan i innovationssystemet.",
        "R:{TID} fick [{n2}|flera] innovationsprojekt inom [specialiseringsområdena|strategins styrkeområden] finansiering.",
    ],
    "SO3.2": [
        "Ett gott näringsklimat [bygger på|förutsätter] [snabba handläggningstider|en effektiv myndighetsutövning] och ett gott bemötande.",
        "{S} {MOD} [förbättra|stärka] kapitalförsörjningen, bland annat genom [regionala riskkapitalfonder|mikrolån|en regional investeringsfond].",
        "[Företagsklimatet|Näringsklimatet] i {lan} får [goda|blandade] omdömen i återkommande enkäter till företagare.",
        "[Enklare regler|Tydligare regelverk] och förutsägbara handläggningstider är viktiga ramvillkor för företagen.",
        "R:{TID} fick [{n}|flera] företag [regionalt investeringsstöd|företagsstöd|konsultcheckar] till ett värde av {mnkr} miljoner kronor.",
        "Tillgången till [lånefinansiering|riskkapital|kapital i tidiga skeden] [är|har varit] en flaskhals för [många|flera] företag som vill växa.",
        "{TID} {Vf} {S} {Vr} [förenkla|förbättra] [kontakterna|mötet] mellan företagen och [kommunernas|det offentligas] handläggare.",
        "Goda ramvillkor och en väl fungerande kapitalförsörjning [är|utgör] grunden för att [företag ska vilja investera|nya företag ska kunna växa].",
    ],
    "SO3.3": [
        "Den cirkulära ekonomin [ger|öppnar för] nya affärsmöjligheter när [material återanvänds|restprodukter tas tillvara] i stället för att bli avfall.",
        "{S} {MOD} [stödja|främja] företagens omställning till cirkulära affärsmodeller.",
        "[Skogen|Skogsråvaran|Jord- och skogsbruket] är en grund för en [växande|konkurrenskraftig] biobaserad ekonomi med [nya material|nya produkter och tjänster].",
        "Industriell symbios, där [restvärme|restflöden] från en verksamhet blir en resurs för en annan, visar hur en cirkulär ekonomi kan se ut i praktiken.",
        "R:{TID} genomfördes [{n2}|flera] projekt [om|kring] [återbruk|återvinning av byggmaterial|biobaserade förpackningar] med stöd av {Sg} medel.",
        "[Återbruk, delning och reparation|Cirkulära flöden] kan [bli|utvecklas till] en [konkurrensfördel|styrka] för [näringslivet|företagen] i {omr}.",
        "{TID} {Vf} {S} {Vr} [ge stöd till|uppmuntra] [företag som ställer om till|företag som prövar] cirkulära och biobaserade lösningar.",
        "En biobaserad ekonomi [bygger på|utgår från] förnybara råvaror [från skog, jord och hav|från skogen och jordbruket].",
        "Restprodukter från [skogsindustrin|livsmedelsindustrin] kan bli råvara för nya material och textilier.",
        "R:{TID} fick [{n2}|flera] företag stöd för att utveckla [cirkulära affärsmodeller|tjänster för återbruk och reparation].",
    ],
    "SO3.4": [
        "Digitaliseringen [öppnar|ger] nya möjligheter att [utveckla|effektivisera] verksamheter i [både privat och offentlig sektor|företag och offentlig sektor].",
        "Många mindre företag [har låg digital mognad|saknar förutsättningar att digitalisera] och behöver stöd för att tillvarata digitaliseringens möjligheter.",
        "{S} {MOD} [främja|stödja] [användningen av|införandet av] [artificiell intelligens|AI och automatisering|digitala verktyg] i [näringslivet|små och medelstora företag].",
        "[Digitala tjänster|E-tjänster] gör det möjligt att [erbjuda|nå ut med] tjänster på nya sätt.",
        "[Den digitala omställningen|Digitaliseringen] förändrar [snabbt|i grunden] [arbetsmarknaden|hur företag arbetar].",
        "R:{TID} deltog [{n}|ett stort antal] företag i [program för digital omställning|satsningen på digitalisering i små företag].",
        "{TID} {Vf} {S} {Vr} [ta tillvara|använda] digitaliseringens möjligheter i [den egna verksamheten|sina egna tjänster].",
        "Data och digitala lösningar kan [göra offentlig sektor effektivare|ge nya affärsmöjligheter] om [de används klokt|kompetensen att använda dem finns].",
    ],
    "SO3.5": [
        "[Exporten|Exportindustrin] svarar för en [stor|betydande] del av [sysselsättningen|jobben] i {omr}.",
        "{S} {MOD} [arbeta för|verka för] att fler [små och medelstora företag|företag] [börjar exportera|tar steget ut på en internationell marknad].",
        "Investeringsfrämjandet [handlar om|syftar till] att [locka|attrahera] [utländska investeringar|internationella investerare] till {omr}.",
        "[Exportrådgivning|Exportcheckar] [gör det lättare|har gjort det lättare] för mindre företag att hitta nya marknader [utomlands|i andra länder].",
        "R:{TID} [genomfördes|arrangerades] [{n2}|flera] [delegationsresor|investeringsfrämjande insatser|exportfrämjande aktiviteter] för företag från {lan}.",
        "Internationaliseringen av näringslivet [gör|har gjort] {omr} mer [beroende av|känsligt för] [omvärldens konjunktur|läget på världsmarknaden].",
        "{TID} {Vf} {S} {Vr} [marknadsföra|lyfta fram] {omr} som en plats för [utländska investeringar|internationella etableringar].",
        "Internationalisering, investeringsfrämjande och ökad export [hänger ihop|förstärker varandra] och [behöver|bör] [hanteras samlat|ses som en helhet].",
    ],
    "SO4": [
        "God tillgänglighet genom [både transporter och digital kommunikation|transportsystem och digital kommunikation] är en [förutsättning|grundläggande förutsättning] för utveckling i {omr}.",
        "{S} {MOD} [förbättra|öka] tillgängligheten[ både fysiskt och digitalt| fysiskt och digitalt|] [inom {omr}|till och från {omr}].",
        "Möjligheten att nå arbetsplatser och utbildning [inom rimlig tid|på under en timme] avgör hur väl arbetsmarknaden fungerar.",
        "Tillgängligheten [är|utgör] en nyckelfråga för [hela {omr}|{omrg} utveckling], både för företag och för invånare.",
        "{TID} {Vf} {S} {Vr} [driva på|verka] för bättre tillgänglighet genom digital kommunikation och transporter.",
        "[Bristande tillgänglighet|Dålig tillgänglighet] [begränsar|försvårar] både [vardagslivet|människors vardag] och [företagens utveckling|näringslivets utveckling].",
    ],
    "SO4.1": [
        "{S} {MOD} [verka för|bidra till] att [samtliga|alla] hushåll och företag har tillgång till [bredband om minst 1 Gbit/s|snabbt bredband] [senast 2025|till 2030].",
        "Mobiltäckningen är [bristfällig|ojämn] längs vissa vägsträckor, vilket försvårar vardagen för både boende och besökare.",
        "Den digitala delaktigheten [varierar|skiljer sig åt] mellan [åldersgrupper|olika grupper], och en del äldre har svårt att använda digitala tjänster.",
        "[Det regionala bredbandsprogrammet|Bredbandsstrategin] [har målet|syftar till] att en robust digital infrastruktur ska finnas för hushåll och företag.",
        "R:{TID} fick [omkring|cirka] {n}00 hushåll möjlighet att ansluta sig till fibernätet [med hjälp av|tack vare] stöd till bredbandsutbyggnad.",
        "Bredbandsutbyggnaden [är|har varit] [en av de viktigaste frågorna|en avgörande fråga] för [hushållen|företagen och hushållen] i {omr}.",
        "Snabbt bredband och en ökad digital användning [är|utgör] [grunden|en förutsättning] för att [delta i samhället|kunna arbeta och studera på distans].",
        "{TID} {Vf} {S} {Vr} [stödja|uppmuntra] [insatser för digital delaktighet|utbildning i digitala tjänster för äldre].",
        "De lokala fiberföreningarnas arbete har varit avgörande för utbyggnaden av fibernätet.",
        "En robust digital infrastruktur [behövs|krävs] också för [samhällets krisberedskap|att samhällsviktiga tjänster ska fungera].",
    ],
    "SO4.2": [
        "[Kollektivtrafiken|En väl utbyggd kollektivtrafik] gör det möjligt att [pendla|resa] till [arbete och studier|jobb och utbildning] utan att vara beroende av bil.",
        "{S} {MOD} [verka för|driva på för] [investeringar i järnvägen|en upprustning av järnvägen|fler mötesspår på järnvägen] i den nationella transportinfrastrukturplanen.",
        "[Godstransporterna|Godstrafiken] på väg och järnväg är [en livsnerv|avgörande] för industrin i {omr}.",
        "[Länsplanen för transportinfrastruktur|Den regionala transportinfrastrukturplanen] prioriterar [åtgärder|investeringar] på [det regionala vägnätet|regionala vägar] och [i kollektivtrafiken|för cykel].",
        "Restiden med tåg och buss mellan {ort} och [länets|regionens] största arbetsorter [behöver|måste] kortas för att fler ska kunna pendla.",
        "R:{TID} [beslutades|påbörjades] [{n2}|flera] [åtgärder|investeringar] på det regionala vägnätet, [bland annat|däribland] [säkrare gång- och cykelvägar|en ombyggd korsning] i {ort}.",
        "Ett transportsystem som [är tillförlitligt|fungerar året runt] är en förutsättning för både [persontrafik och godstrafik|pendling och godstransporter].",
        "{TID} {Vf} {S} {Vr} [prioritera|satsa på] [kollektivtrafiken|gång, cykel och kollektivtrafik] i [planeringen av transportsystemet|transportplaneringen].",
        "De regionala tågen [binder ihop|förbinder] {omr} med resten av landet.",
        "[Flygplatsen|Hamnen] i {ort} är en viktig nod i transportsystemet.",
    ],
    "GF1": [
        "Kapaciteten för regionalt och lokalt utvecklingsarbete behöver stärkas, inte minst [hos kommunerna|i de kommunala organisationerna].",
        "{S} {MOD} [bygga upp den egna kapaciteten|stärka sin egen kapacitet|stärka den egna förmågan] att driva det regionala utvecklingsarbetet, bland annat genom [fler processledare|en förstärkt projektorganisation|tydligare roller och mandat].",
        "[Små|Mindre] kommuner [har ofta svårt att|saknar ofta resurser för att] [söka och driva projekt|driva utvecklingsprojekt].",
        "[Projektkapaciteten|Förmågan att ta emot och genomföra projekt] [behöver|måste] stärkas [hos kommunerna|bland de lokala aktörerna|inom civilsamhällets organisationer].",
        "Processtöd till kommunerna är ett sätt att stärka den lokala kapaciteten för utvecklingsarbete.",
        "{TID} {Vf} {S} {Vr} [anställa|rekrytera] [{n2}|fler] [processledare|projektstrateger|utvecklingsledare] för att öka kapaciteten i det regionala utvecklingsarbetet.",
        "[Ett tydligt mandat|Tydliga mandat], [långsiktig finansiering|en långsiktig finansiering] och erfarna medarbetare är förutsättningar för kapaciteten att driva regional utveckling.",
        "Kapacitetsuppbyggnad [hos|bland] de aktörer som ska genomföra [strategin|insatserna] [är|blir] [avgörande|en nyckelfråga] för resultaten.",
    ],
    "GF2": [
        "Samverkan mellan [statliga myndigheter, regioner och kommuner|regionen, kommunerna och de statliga myndigheterna] är [en förutsättning|grunden] för att [strategin ska kunna genomföras|målen ska nås].",
        "{S} {MOD} [fördjupa|utveckla] [dialogen|samverkan] med de statliga myndigheterna om [regionala prioriteringar|hur deras verksamhet påverkar {omr}].",
        "Regional hänsyn innebär att [statliga myndigheter|myndigheterna] [tar hänsyn till|beaktar] de regionala utvecklingsstrategierna i [sin verksamhet|sina beslut].",
        "[Det regionala partnerskapet|Samverkansrådet] [samlar|träffar] företrädare för kommuner, arbetsmarknadens parter och civilsamhälle [flera gånger per år|regelbundet].",
        "Forum för hållbar regional utveckling [ger|har gett] tillfälle till dialog mellan [den nationella och den regionala nivån|Regeringskansliet, myndigheter och regioner].",
        "[Ansvarsfördelningen|Rollfördelningen] mellan [regionen och länsstyrelsen|aktörerna] [behöver|måste] [tydliggöras|vara tydlig] för att samverkan ska fungera.",
        "{TID} {Vf} {S} {Vr} [medverka i|delta i] [{n2}|flera] [samverkansforum|nätverk] tillsammans med [regioner och andra myndigheter|de statliga myndigheterna].",
        "Flernivåsamverkan [mellan kommuner, region och stat|mellan lokal, regional och nationell nivå] [gör|kan göra] insatserna mer samordnade.",
        "R:{TID} undertecknade {S} en [avsiktsförklaring|överenskommelse] om samverkan med [{n2}|flera] statliga myndigheter.",
        "{S} {MOD} [bjuda in|samla] [de statliga myndigheterna|statliga aktörer] till [regelbundna dialoger|ett årligt dialogmöte] om [strategins genomförande|regionala prioriteringar].",
        "Samverkan med [civilsamhället|näringslivet och civilsamhället] [är|har blivit] en [självklar|viktig] del av det regionala utvecklingsarbetet.",
    ],
    "GF3": [
        "{S} {MOD} [systematiskt följa upp|följa upp och utvärdera] [insatserna|de insatser som görs] så att [lärdomar|erfarenheter] kan tas tillvara.",
        "[Lärande utvärderingar|Följeforskning|Löpande utvärderingar] [ger|bidrar med] kunskap om vad som [fungerar|ger effekt][ och varför|].",
        "[Indikatorerna|En uppsättning indikatorer] används för att följa utvecklingen över tid i förhållande till [strategins mål|målen].",
        "Analyser av {omrg} utveckling är ett viktigt underlag för [prioriteringar|beslut] i det regionala utvecklingsarbetet.",
        "Kopplingen till [lärosätena|forskningen] [stärker|bidrar till] [analysförmågan|kunskapsbasen] i det regionala utvecklingsarbetet.",
        "Ett [systematiskt|strukturerat] lärande [kräver|förutsätter] att [resultat och effekter|erfarenheter] [dokumenteras|följs upp] och [sprids|diskuteras] bland berörda.",
        "R:{TID} [genomfördes|avslutades] [en utvärdering|{n2} utvärderingar] av insatser finansierade med 1:1-medel, med fokus på resultat och effekter.",
        "{S} [har tagit fram|tar fram] förändringsteorier för [strategins insatsområden|de egna prioriteringarna] för att underlätta uppföljningen.",
        "Uppföljning, utvärdering och forskning [behövs|krävs] för att veta om [insatserna|arbetet] leder i rätt riktning.",
    ],
    "SU1": [
        "Klimatförändringarna medför ökade risker för [översvämningar, skred och torka|skyfall och värmeböljor] även i {omr}.",
        "[Utsläppen av växthusgaser|Växthusgasutsläppen] [behöver|måste] minska [kraftigt|snabbt] [de kommande åren|till 2030].",
        "[Förlusten av biologisk mångfald|Minskningen av den biologiska mångfalden] är ett av de allvarligaste [miljöproblemen|hoten] i vår tid.",
        "{S} {MOD} [bidra till|driva på] klimatomställningen, bland annat genom [energieffektivisering|satsningar på förnybar energi|en regional klimat- och energistrategi].",
        "[Miljöproblemen|Klimat- och miljöutmaningarna] berör alla delar av samhället och [kräver|förutsätter] en [snabb|genomgripande] omställning.",
        "R:{TID} minskade utsläppen av växthusgaser i {lan} med [{pct2}|omkring {pct2}] procent jämfört med föregående år, enligt den regionala klimatstatistiken.",
        "Klimatanpassningen blir en allt viktigare fråga för kommunerna när [extremväder blir vanligare|klimatet förändras].",
        "Miljöproblem och klimatförändringar [hör till|är en av] strategins samhällsutmaningar.",
    ],
    "SU2": [
        "Befolkningen i {omr} blir äldre, och [andelen personer över 80 år|antalet äldre] väntas öka [kraftigt|markant] [fram till 2035|det kommande decenniet].",
        "[Den demografiska utvecklingen|De demografiska förändringarna] [innebär|leder till] att [färre|en minskande andel] personer i arbetsför ålder ska försörja allt fler.",
        "Många unga [flyttar från|lämnar] hemorten för att studera och kommer inte alltid tillbaka.",
        "Inflyttningen från andra länder har under flera år stått för [hela|större delen av] befolkningsökningen i {omr}.",
        "{S} {MOD} [möta|hantera] de demografiska förändringarna, bland annat genom att underlätta för nya invånare att etablera sig.",
        "En minskande befolkning pressar [de kommunala budgetarna|kommunernas ekonomi] när [skatteunderlaget krymper|färre ska bära kostnaderna].",
        "R:{TID} [ökade|minskade] befolkningen i {lan} med omkring {n}00 personer, samtidigt som antalet födda fortsatte att minska.",
        "Demografiska förändringar [är|utgör] en av strategins [tre samhällsutmaningar|samhällsutmaningar].",
    ],
    "SU3": [
        "Klyftorna [mellan olika grupper|i samhället] [har ökat|fortsätter att öka] när det gäller [inkomster, hälsa och utbildning|inkomst och hälsa].",
        "De socioekonomiska skillnaderna mellan bostadsområden är [stora|påtagliga] i {omr}.",
        "Segregationen [begränsar|minskar] [möjligheterna|chanserna] för [barn och unga|många unga] att [klara skolan|nå sin fulla potential].",
        "{S} {MOD} [motverka|minska] [de ökade klyftorna|ojämlikheten], bland annat genom riktade insatser där behoven är störst.",
        "Ökade klyftor [inom Sverige och inom EU|både inom landet och inom EU] hör till den nationella strategins samhällsutmaningar.",
        "R:{TID} låg andelen barn som lever i hushåll med låga inkomster kvar på en hög nivå i {lan}.",
        "Skillnaderna i livsvillkor [mellan grupper|mellan kvinnor och män, och mellan inrikes och utrikes födda] [riskerar att|kan] [minska tilliten|försvaga sammanhållningen] i samhället.",
    ],
    "HB-EK": [
        "Ekonomisk hållbarhet [handlar om|innebär] en [långsiktig|stabil och långsiktig] utveckling som inte äventyrar kommande generationers möjligheter.",
        "{S} {MOD} [bedöma|pröva] [insatserna|alla insatser] utifrån den ekonomiska dimensionen av hållbar utveckling.",
        "En ekonomiskt hållbar utveckling [kräver|förutsätter] en bred näringslivsstruktur som klarar konjunkturnedgångar.",
        "Den ekonomiska hållbarheten är en av de tre dimensioner av hållbar utveckling som ska genomsyra arbetet.",
        "R:{TID} [infördes|användes] en hållbarhetsbedömning där insatsernas långsiktiga ekonomiska bärkraft [bedöms|prövas] redan i ansökan.",
        "Långsiktig ekonomisk hållbarhet [förutsätter|kräver] att insatser [ger bestående effekter|lever vidare] även efter att finansieringen upphört.",
    ],
    "HB-SO": [
        "Social hållbarhet [handlar om|innebär] att alla ska ha [möjlighet|förutsättningar] att [delta i samhällslivet|leva ett gott liv] på lika villkor.",
        "{S} {MOD} [integrera|beakta] social hållbarhet, bland annat [jämställdhet och inkludering|jämställdhet, mångfald och inkludering], i [alla insatser|arbetet].",
        "[Ett socialt hållbart samhälle|Social hållbarhet] [bygger på|förutsätter] [tillit|förtroende] [mellan människor|mellan invånare och institutioner] och delaktighet.",
        "[Jämställdhetsintegreringen|Arbetet med jämställdhet och integration] är en [viktig|central] del av den sociala dimensionen av hållbar utveckling.",
        "R:{TID} fick [projektägare|{Sg} handläggare] utbildning i [social hållbarhet|jämställdhetsintegrering och social hållbarhet].",
        "Den sociala hållbarheten [stärks|främjas] när [fler|alla grupper] kan påverka [beslut som rör dem|sin livssituation].",
    ],
    "HB-MI": [
        "Miljömässig hållbarhet [innebär|handlar om] att utvecklingen sker inom [planetens gränser|ramen för vad naturen tål].",
        "{S} {MOD} [pröva|bedöma] [alla|samtliga] [insatser|projekt] utifrån kravet på miljömässig hållbarhet.",
        "[Ekologisk|Miljömässig] hållbarhet är en [grundläggande|bärande] dimension av hållbar utveckling.",
        "[Miljöhänsyn|Hänsyn till miljön] [ska|behöver] vägas in redan när [insatser utformas|projekt tas fram].",
        "R:{TID} bedömdes samtliga [projektansökningar|ansökningar om projektmedel] utifrån deras miljömässiga hållbarhet.",
        "Den miljömässiga dimensionen av hållbarhet [väger tungt|har fått större tyngd] i {Sg} [beslut|prioriteringar].",
    ],
    "TP": [
        "Förutsättningarna skiljer sig [kraftigt|mycket] inom {omr}, från de större tätorterna till glest befolkade områden.",
        "Ett territoriellt perspektiv innebär att insatserna anpassas efter [de olika förutsättningar som finns|platsens förutsättningar] i olika delar av {omr}.",
        "Samspelet mellan stad och land [är en styrka|behöver bli tydligare] i {omr}.",
        "[Landsbygderna|Länets landsbygder] har delvis andra förutsättningar än städerna, [och insatserna behöver anpassas därefter|vilket stödet måste ta hänsyn till].",
        "{S} {MOD} [utgå från|ta hänsyn till] [de funktionella regionerna|funktionella arbetsmarknadsregioner] [snarare än|och inte bara] administrativa gränser.",
        "I [glesbygden|de glest befolkade delarna av {omr}] är de långa avstånden en avgörande faktor i vardagen.",
        "{omrg} olika delar har [skilda|olika] [förutsättningar och behov|styrkor och svagheter], vilket kräver [platsbaserade|anpassade] insatser.",
        "Närheten till {granne} gör att pendling över riksgränsen är en del av vardagen för många.",
        "{TID} {Vf} {S} {Vr} [tillämpa|använda] ett territoriellt perspektiv när [stöd fördelas|insatser prioriteras].",
        "Skillnaderna mellan centralorterna och de mindre orterna är [stora|betydande] i {omr}.",
        "Funktionella arbetsmarknadsregioner sträcker sig ofta över [läns- och kommungränser|kommungränserna].",
    ],
}

# Sentences that cover several elements at once (the truth records all of them).
MULTI: list[tuple[tuple[str, ...], str]] = [
    (("SO1.2", "TP"), "På landsbygden och i glesbygden är den lokala butiken ofta den sista servicepunkten inom [rimligt|flera mils] avstånd."),
    (("SO2.2", "TP"), "Tillgången till eftergymnasial utbildning [skiljer sig|varierar] mellan olika delar av {omr}, och på landsbygden är lärcentrumen [särskilt viktiga|avgörande]."),
    (("SO3.2", "TP"), "Tillgången till riskkapital är sämre för företag utanför storstadsregionerna än för företag i storstäderna."),
    (("SO4.1", "TP"), "Bredbandsutbyggnaden har kommit långt i tätorterna, men [många|en del] hushåll [på landsbygden|i glesbygden] saknar fortfarande snabbt bredband."),
    (("SO4.2", "SU1"), "[Laddinfrastrukturen|Tillgången till laddpunkter och förnybara drivmedel] måste byggas ut så att transporterna kan bli fossilfria och klimatpåverkan minska."),
    (("SO3.3", "HB-MI"), "En konkurrenskraftig och [klimat- och miljömässigt hållbar|resurssnål] ekonomi [kräver|förutsätter] att tillväxten kan förenas med minskad miljöpåverkan."),
    (("GF2", "TP"), "Det gränsöverskridande samarbetet med {granne} [inom Interreg|genom gemensamma projekt] [stärker|har stärkt] utvecklingen i gränsregionen."),
    (("SO4.1", "SO4.2"), "Både vägar och järnvägar och den digitala infrastrukturen [behöver|måste] byggas ut för att {omr} ska hålla ihop."),
    (("SU2", "SO2"), "De stora pensionsavgångarna under det kommande decenniet förstärker bristen på arbetskraft."),
    (("SU1", "HB-MI"), "Klimatförändringarna gör det [nödvändigt|ofrånkomligt] att ge miljömässig hållbarhet hög prioritet."),
    (("HB-EK", "HB-SO", "HB-MI"), "[Alla tre dimensioner av hållbarhet|Ekonomisk, social och miljömässig hållbarhet] [ska|behöver] [integreras|vägas samman] i arbetet så att de stödjer varandra."),
    (("GF2", "GF3"), "Lärande nätverk tillsammans med andra regioner [används för att|är ett sätt att] dela erfarenheter om [uppföljning och utvärdering|vad som fungerar]."),
    (("SU3", "TP"), "Klyftorna mellan [stad och land|storstadsregionerna och övriga landet] [har vuxit|växer] när det gäller [inkomster och utbildningsnivå|sysselsättning och hälsa]."),
    (("SO3.4", "SO4.1"), "Snabbt bredband är en förutsättning för att företagen ska kunna tillvarata digitaliseringens möjligheter."),
    (("GF1", "GF3"), "Kapaciteten att analysera, följa upp och utvärdera [insatserna|det egna arbetet] behöver stärkas hos [många|flera] aktörer."),
    (("SO1.3", "HB-SO"), "Trygga och inkluderande livsmiljöer är en del av en socialt hållbar utveckling."),
]

# Noun phrases for the shared frames: "{S} {MOD} stärka {np}", "{np} är en nyckelfråga ...".
NP: dict[str, list[str]] = {
    "SO1": ["de likvärdiga möjligheterna till boende, arbete och välfärd", "tillgången till bostäder, arbete och välfärd", "möjligheterna att bo, arbeta och ta del av välfärden"],
    "SO1.1": ["samhällsplaneringen", "den regionala fysiska planeringen", "kopplingen mellan regional utvecklingsplanering och kommunal översiktsplanering", "översiktsplaneringen", "den fysiska planeringen"],
    "SO1.2": ["tillgången till kommersiell och offentlig service", "den kommersiella servicen", "servicen på mindre orter", "den offentliga servicen"],
    "SO1.3": ["de attraktiva livsmiljöerna", "livskvaliteten", "kulturlivet och fritidsutbudet", "de goda livsmiljöerna"],
    "SO2": ["kompetensförsörjningen", "kompetensförsörjningen och kompetensutvecklingen", "kompetensutvecklingen", "tillgången till rätt kompetens"],
    "SO2.1": ["det regionala kompetensförsörjningsarbetet", "kompetensplattformen", "matchningen på arbetsmarknaden", "kompetensförsörjningsarbetet", "matchningen mellan utbud och efterfrågan på arbetskraft"],
    "SO2.2": ["infrastrukturen för livslångt lärande", "tillgången till vuxenutbildning", "lärcentrumen", "det livslånga lärandet", "yrkeshögskoleutbildningarna"],
    "SO3": ["entreprenörskapet och företagandet", "innovationsförmågan i näringslivet", "nyföretagandet", "förnyelsen i näringslivet", "företagandet"],
    "SO3.1": ["det regionala innovationssystemet", "den smarta specialiseringen", "innovationssystemet", "innovationsmiljöerna", "omställningsförmågan i näringslivet"],
    "SO3.2": ["näringsklimatet", "kapitalförsörjningen", "ramvillkoren för företagen", "företagsklimatet", "tillgången till riskkapital"],
    "SO3.3": ["den cirkulära ekonomin", "den biobaserade ekonomin", "de cirkulära affärsmodellerna", "omställningen till en cirkulär och biobaserad ekonomi", "återbruket och återvinningen"],
    "SO3.4": ["digitaliseringen", "den digitala omställningen i företagen", "företagens digitala mognad", "digitaliseringen av offentlig sektor", "användningen av AI i företagen"],
    "SO3.5": ["exporten", "internationaliseringen", "investeringsfrämjandet", "exportfrämjandet", "företagens internationalisering"],
    "SO4": ["tillgängligheten", "den fysiska och digitala tillgängligheten", "tillgängligheten till arbete och studier"],
    "SO4.1": ["bredbandsutbyggnaden", "den digitala infrastrukturen", "mobiltäckningen", "tillgången till snabbt bredband", "den digitala delaktigheten"],
    "SO4.2": ["kollektivtrafiken", "transportsystemet", "transportinfrastrukturen", "järnvägsförbindelserna", "godstransporterna", "gång- och cykelvägnätet", "de hållbara transporterna"],
    "GF1": ["kapaciteten för regionalt och lokalt utvecklingsarbete", "den lokala kapaciteten för utvecklingsarbete", "kapacitetsuppbyggnaden", "förmågan att driva utvecklingsarbete", "projektkapaciteten"],
    "GF2": ["samverkan mellan statliga myndigheter, regioner och andra aktörer", "dialogen med de statliga myndigheterna", "flernivåsamverkan", "den regionala hänsynen", "samverkan med kommunerna och de statliga myndigheterna", "partnerskapet för regional utveckling"],
    "GF3": ["uppföljningen och utvärderingen", "analysförmågan", "lärandet i det regionala utvecklingsarbetet", "kunskapsunderlagen", "följeforskningen", "det systematiska lärandet"],
    "SU1": ["klimatarbetet", "arbetet med klimatanpassning", "arbetet för minskade utsläpp av växthusgaser", "klimatomställningen", "arbetet för biologisk mångfald"],
    "SU2": ["arbetet med att möta de demografiska förändringarna", "insatserna för att möta en åldrande befolkning", "arbetet med befolkningsfrågorna", "insatserna för att locka inflyttare"],
    "SU3": ["arbetet mot ökade klyftor", "arbetet för minskade skillnader i livsvillkor", "arbetet mot segregation", "insatserna för att minska ojämlikheten"],
    "HB-EK": ["den ekonomiska hållbarheten", "den ekonomiska dimensionen av hållbarhet", "den långsiktiga ekonomiska bärkraften"],
    "HB-SO": ["den sociala hållbarheten", "arbetet med social hållbarhet", "jämställdhetsintegreringen och den sociala hållbarheten"],
    "HB-MI": ["den miljömässiga hållbarheten", "den ekologiska dimensionen av hållbarhet", "arbetet med miljömässig hållbarhet", "miljöhänsynen i insatserna"],
    "TP": ["det territoriella perspektivet", "samspelet mellan stad och land", "landsbygdsutvecklingen", "det platsbaserade arbetet", "de funktionella regionerna", "samspelet mellan städer och landsbygder"],
}
FRAMES = [
    "{S} {MOD} [stärka|utveckla] {np}.",
    "{TID} {Vf} {S} {Vr} [lägga särskild vikt vid|prioritera|ge extra uppmärksamhet åt] {np}.",
    "{np} är [en av de viktigaste frågorna|en nyckelfråga|en av de frågor som väger tyngst|en central fråga] för {omr}.",
    "{S} ser [tydliga|stora] behov av att [stärka|utveckla|förnya] {np}[ ytterligare| de kommande åren|].",
    "{S} [bedömer|konstaterar|menar] att {np} [behöver|måste] [stärkas|utvecklas vidare|ges mer uppmärksamhet].",
    "När det gäller {np} finns [både styrkor och svagheter|flera utvecklingsbehov|en god grund att bygga vidare på].",
    "{S} {MOD} [ta ett samlat grepp om|ta ett större ansvar för] {np}.",
    "P:Målet är att {np} ska [vara betydligt starkare|ha utvecklats tydligt] [år {slut}|när strategiperioden är slut].",
    "R:Jämfört med föregående år har {np} [fått större utrymme|fått mer uppmärksamhet] i arbetet.",
    "[Flera|Många] av de aktörer som deltog i [dialogerna|arbetet] lyfter fram {np} som [en viktig fråga|ett utvecklingsområde].",
    "[Ett tydligt fokus på {np} är nödvändigt|En tydlig inriktning på {np} är nödvändig] [framöver|de kommande åren].",
    "{S} [följer|bevakar] [noga|särskilt] hur {np} utvecklas.",
]
# Neutral sentences that may join an element paragraph without adding an element.
CONNECTORS = [
    "Det är en fråga som kräver [uthållighet|långsiktighet och tålamod].",
    "[Mer om detta|Detta] beskrivs [längre fram|i nästa avsnitt].",
    "Behoven är stora.",
    "Bilden är inte entydig.",
    "Här finns [mycket kvar att göra|stora förbättringsmöjligheter].",
    "[Arbetet|Insatserna] [behöver|måste] bedrivas med uthållighet för att ge [resultat|effekt].",
    "Det gäller [både nu och på längre sikt|på kort och lång sikt].",
    "Frågan [har diskuterats|diskuterades] [ingående|flera gånger] under [året|arbetet med dokumentet].",
]
# Filler paragraphs: no element at all.
FILLER_COMMON = [
    "Dokumentet är [disponerat|uppbyggt] så att kapitlen kan läsas [fristående|var för sig].",
    "[Siffrorna|Uppgifterna] i [tabellerna|dokumentet] är avrundade, och summor kan därför [avvika|skilja sig] [något|marginellt].",
    "Frågor om innehållet kan ställas till [ansvarig handläggare|den enhet som har tagit fram dokumentet].",
    "[En ordlista|En förteckning över förkortningar] finns [i slutet av dokumentet|i bilaga 1].",
    "Det här kapitlet ger en [kort|översiktlig] [bakgrund|beskrivning av sammanhanget].",
    "Texten i det här avsnittet bygger på material från {Sg} [verksamhetsplan|årsplan].",
    "[Nästa kapitel|Kapitel {k}] beskriver [bakgrunden|uppdraget], och därefter följer [en genomgång av året|de viktigaste slutsatserna].",
    "Bilderna i dokumentet är tagna i {ort} och {ort2}.",
    "[Sammanfattningsvis|Sammantaget] kan konstateras att [året|perioden] präglades av [stora förändringar|en hög arbetsbelastning|en omorganisation].",
    "Dokumentet finns även i en lättläst version och kan beställas [i tryckt form|som ljudfil].",
]
FILLER_PLAN = [
    "Strategin [antogs|fastställdes] av regionfullmäktige den {datum}.",
    "Den här strategin ersätter den tidigare strategin från {ar_prev} och gäller till och med {slut}.",
    "Strategin [är|utgör] [länets gemensamma|ett gemensamt] dokument och riktar sig till [alla som verkar i {lan}|organisationer och invånare i {lan}].",
    "Visionen [lyder|är]: {lan} – [öppet, modigt och nyfiket|en plats där framtiden tar form|här växer framtiden].",
    "Texten har [bearbetats|förkortats] efter [remissen|remissrundan] och [språkgranskats|fått en ny struktur].",
    "Remissversionen skickades till [{n} organisationer|ett stort antal organisationer] och [{n2}|många] svar kom in.",
]
FILLER_REPORT = [
    "Denna redovisning avser [verksamhetsåret {ar}|perioden januari–december {ar}].",
    "Redovisningen har tagits fram av en arbetsgrupp [på|inom] {Sg} [kansli|förvaltning|stab] under [våren|vintern] {ar_next}.",
    "Redovisningen [lämnas|överlämnas] till Regeringskansliet enligt [anvisningarna|de anvisningar som gäller] för [rapporteringen|redovisningen].",
    "Beslut om redovisningen [fattades|har fattats] den {datum} av {beslutare}.",
    "Redovisningen följer samma struktur som föregående år för att underlätta jämförelser.",
]
FILLER_TVV = [
    "Antalet anställda uppgick till {n}0 vid årets slut.",
    "Den totala sjukfrånvaron var {pct2},{d} procent under året.",
    "Myndighetens kontor finns i {ort} och {ort2}.",
    "Årets kostnader uppgick till {n}{d}0 miljoner kronor.",
    "Myndigheten [genomförde|avslutade] under året en översyn av [lokalerna|kontorsorganisationen].",
    "Årsredovisningen [har upprättats|är upprättad] enligt förordningen om årsredovisning och budgetunderlag.",
]
# Distractors: a keyword of an element in another sense; truth elements [] and distraktor id.
DISTRACTORS: list[tuple[str, list[str]]] = [
    ("GF1", ["[Konferenssalen|Hörsalen|Stora salen] i [regionhuset|stadshuset] i {ort} har en kapacitet på [{n}0|omkring {n}0] personer.",
             "Vid större möten [hyrs en extra lokal in|bokas en större lokal].",
             "Salen renoverades [{ar_prev}|för några år sedan]."]),
    ("GF1", ["Kylanläggningens kapacitet i [huvudkontorets kök|personalmatsalen] räckte inte till under sommaren.",
             "Ett nytt aggregat [installerades|köptes in] i [september|oktober].",
             "Det nya aggregatet har [dubbelt så hög|betydligt högre] kapacitet och är [tystare|lättare att underhålla]."]),
    ("GF3", ["För sorteringen av [inkommande post|ärenden i diariet] [testas|prövas] en maskininlärningsmodell.",
             "Modellens lärande bygger på [tusentals|ett stort antal] tidigare klassade handlingar.",
             "Registratorn kontrollerar [träffsäkerheten|resultatet] [stickprovsvis|varje vecka]."]),
    ("GF2", ["Vid [målningen|renoveringen] av [trapphuset|fasaden] visade det sig att samverkan mellan [två kemiska ämnen|lösningsmedlet och grundfärgen] fick färgen att flagna [efter några veckor|redan efter en månad].",
             "Entreprenören [bytte|ersatte] produkten [utan extra kostnad|på egen bekostnad]."]),
    ("HB-MI", ["[Golvet|Bänkarna] i [entrén|väntrummet|receptionen] byttes under året mot ett [mer hållbart|slitstarkare och mer hållbart] material som tål hårt slitage.",
               "Det gamla [golvet|materialet] hade blivit slitet efter [tjugo|trettio] år."]),
    ("HB-EK", ["Den nya [minibussen|tjänstebilen] är ekonomisk i drift och har gott om plats för bagage.",
               "Det gamla fordonet såldes på auktion."]),
    ("HB-SO", ["[Kontorets|Receptionens] besökshund Selma är mycket social och hälsar gärna på alla som kommer in.",
               "Hon är på plats [två dagar i veckan|varannan dag]."]),
    ("SU3", ["Under en [vandring|studieresa] i [fjällen|Skuleskogen] fick gruppen klättra förbi djupa klyftor i berget.",
             "Guiden [berättade|förklarade] att klyftorna bildades för [tusentals|miljontals] år sedan."]),
    ("SO1.2", ["[Tjänstebilarna|Bilarna i bilpoolen] lämnades på service i [mars|april|maj].",
               "I samband med servicen byttes [däck och bromsbelägg|oljan och torkarbladen] på [två|tre] av bilarna."]),
    ("SO4.2", ["I produktionshallen i {ort} sköts transporten av gods mellan lagret och monteringen av [självkörande truckar|ett transportband].",
               "Besöksgruppen kunde följa hela flödet från [en läktare|ett fönster] ovanför hallen."]),
    ("SO3", ["Frisörsalongen Innovation [på Storgatan i {ort}|i {ort} centrum] firade [{n}-årsjubileum|sitt jubileum] [under hösten|i maj].",
             "Ägaren bjöd [kunderna|stamkunderna] på kaffe och tårta."]),
    ("SU1", ["Medarbetarenkäten visar att klimatet i arbetsgrupperna upplevs som [öppet och tillåtande|gott].",
             "Svarsfrekvensen var {pct} procent."]),
    ("SU2", ["Befolkningen i bikuporna på [taket|husets tak] växte [snabbt|kraftigt] under [juni|sommaren].",
             "Honungsskörden blev [rekordstor|god] och delades ut till personalen."]),
    ("SU2", ["Whiskyn från destilleriet i {ort} får mogna på ekfat, och åldrandet sätter sin prägel på smaken.",
             "Provningen [lockade|samlade] [{n}0|många] deltagare."]),
    ("SO2", ["I ett ärende om [avtalet för kaffeautomater|städavtalet] fick förvaltningsrätten först pröva om den hade kompetens att pröva målet.",
             "[Domstolen|Rätten] fann att så var fallet."]),
    ("SO3.4", ["Fotoklubben i {ort} arbetar med digitaliseringen av [gamla diabilder|negativ från 1950-talet], som skannas in en i taget.",
               "[Bilderna|Fotografierna] visas [på biblioteket|i en utställning] till [jul|sommaren]."]),
    ("SO3.5", ["Uppgifterna i tabellerna togs fram genom en export från [ekonomisystemet|ärendehanteringssystemet] till ett kalkylblad.",
               "Exporten gjordes den {datum}."]),
    ("SO3.3", ["Utanför stadshuset i {ort} står en cirkulär fontän [från 1960-talet|som renoverades {ar_prev}].",
               "Fontänen stängs av varje höst för att inte frysa sönder."]),
    ("SO1.1", ["Planeringen av [personalfesten|julbordet] tog [längre tid än väntat|flera möten], men till slut bokades en restaurang i {ort}."]),
    ("SO1.3", ["I väntrummet finns ett akvarium där fiskarnas livsmiljö sköts [med omsorg|noga] av vaktmästaren.",
               "Filtret rengörs [varje vecka|varannan vecka]."]),
    ("SO4", ["Växelns tillgänglighet var lägre under semesterperioden, när färre medarbetare arbetade.",
             "Den genomsnittliga väntetiden i telefon var {n} minuter."]),
    ("SO4.1", ["Ljudanläggningen i hörsalen byttes ut [under året|i våras].",
               "De nya bredbandiga högtalarna återger [hela frekvensområdet|både bas och diskant] utan förvrängning."]),
    ("TP", ["Konstnären som ställde ut i [foajén|entrén] [under våren|i mars] beskrivs ofta som gränsöverskridande och förenar [textil, ljud och ljus|musik och bild]."]),
]

# --- section outlines -----------------------------------------------------------------------
# (level, heading variants, affinity, base paragraphs, filler probability, table kind)
# Affinity "*" means any element; None means filler only.
ALL = "*"
SO1_ALL = ("SO1", "SO1.1", "SO1.2", "SO1.3")
SO2_ALL = ("SO2", "SO2.1", "SO2.2")
SO3_ALL = ("SO3", "SO3.1", "SO3.2", "SO3.3", "SO3.4", "SO3.5")
SO4_ALL = ("SO4", "SO4.1", "SO4.2")
HB_ALL = ("HB-EK", "HB-SO", "HB-MI")
SU_ALL = ("SU1", "SU2", "SU3")
PRIORITY_HEADINGS = {
    "SO1.1": ["God samhällsplanering", "Samhällsplanering"],
    "SO1.2": ["Kommersiell och offentlig service", "Tillgång till service"],
    "SO1.3": ["Attraktiva livsmiljöer", "Livskvalitet och livsmiljöer"],
    "SO2.1": ["Regionalt kompetensförsörjningsarbete", "Matchning och kompetensförsörjning"],
    "SO2.2": ["Livslångt lärande", "Utbildning och livslångt lärande"],
    "SO3.1": ["Innovationssystem och smart specialisering", "Smart specialisering"],
    "SO3.2": ["Näringsklimat och kapitalförsörjning", "Goda ramvillkor för företag"],
    "SO3.3": ["Cirkulär och biobaserad ekonomi", "En cirkulär ekonomi"],
    "SO3.4": ["Digitalisering", "Digitaliseringens möjligheter"],
    "SO3.5": ["Internationalisering och export", "Export och investeringar"],
    "SO4.1": ["Bredband och digital användning", "Digital infrastruktur"],
    "SO4.2": ["Hållbara transporter", "Transporter och kollektivtrafik"],
}
AREA_HEADINGS = {
    "SO1": ["Likvärdiga möjligheter till boende, arbete och välfärd", "Goda livsmiljöer och likvärdiga möjligheter"],
    "SO2": ["Kompetensförsörjning", "Kompetensförsörjning och kompetensutveckling", "Kompetens för framtiden"],
    "SO3": ["Innovation och företagande", "Innovation, förnyelse och företagande", "Ett konkurrenskraftigt näringsliv"],
    "SO4": ["Tillgänglighet", "Tillgänglighet genom digital kommunikation och transporter", "Infrastruktur och tillgänglighet"],
}
AREA_MEMBERS = {"SO1": SO1_ALL, "SO2": SO2_ALL, "SO3": SO3_ALL, "SO4": SO4_ALL}


# --- documents ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocSpec:
    """One document of the corpus: its manifest row and what the generator needs to write it."""

    dokument_id: str
    aktorsgrupp: str  # region / statlig_myndighet / tillvaxtverket
    aktor: str  # county code, agency name or "Tillväxtverket"
    dokumenttyp: str  # rus / regionalt_utvecklingsarbete / myndigheters_medverkan / arsredovisning
    ar: int
    fmt: str
    key: str  # county code or agency slug or "tvv"
    period: tuple[int, int] | None = None  # RUS: first and last year

    @property
    def fil(self) -> str:
        return f"{DOC_DIR}/{self.dokument_id.replace('-', '_')}.{self.fmt}"

    def manifest_row(self) -> dict:
        return {"dokument_id": self.dokument_id, "aktorsgrupp": self.aktorsgrupp, "aktor": self.aktor,
                "dokumenttyp": self.dokumenttyp, "ar": self.ar, "fil": self.fil}


MANIFEST_COLUMNS = ("dokument_id", "aktorsgrupp", "aktor", "dokumenttyp", "ar", "fil")


def _rng(seed: int, *keys: object) -> np.random.Generator:
    """A stream keyed by the seed and names, independent of the order documents are made in."""
    entropy = [int(seed) & 0xFFFFFFFF, int(seed) >> 32 & 0xFFFFFFFF]
    entropy += [zlib.crc32(str(k).encode("utf-8")) for k in keys]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))


def _pick_format(seed: int, dokument_id: str) -> str:
    u = _rng(seed, dokument_id, "format").random()
    return FORMATS[int(np.searchsorted(np.cumsum(FORMAT_P), u, side="right"))]


def document_specs(seed: int = DEFAULT_SEED, only_rus: bool = False) -> list[DocSpec]:
    """Every document of the corpus in manifest order: RUS, regions' reports, agencies, Tillväxtverket."""
    specs = []
    for c in reference.counties():
        code = c["lan_kod"]
        r = _rng(seed, "rus", code)
        adopted = int(r.integers(2019, 2024))
        start = adopted + int(r.integers(0, 2))
        end = int((2030, 2035, 2035, 2040)[r.integers(4)])
        specs.append(DocSpec(f"rus-{code}", "region", code, "rus", adopted, "pdf", code, (start, end)))
    if only_rus:
        return specs
    for c in reference.counties():
        code = c["lan_kod"]
        for year in REPORT_YEARS:
            did = f"rua-{code}-{year}"
            specs.append(DocSpec(did, "region", code, "regionalt_utvecklingsarbete", year,
                                 _pick_format(seed, did), code))
    for slug, name, _short, _gen in AGENCIES:
        for year in SMM_YEARS:
            did = f"smm-{slug}-{year}"
            specs.append(DocSpec(did, "statlig_myndighet", name, "myndigheters_medverkan", year,
                                 _pick_format(seed, did), slug))
    for year in TVV_YEARS:
        did = f"tvv-ar-{year}"
        specs.append(DocSpec(did, "tillvaxtverket", "Tillväxtverket", "arsredovisning", year,
                             _pick_format(seed, did), "tvv"))
    return specs


@functools.cache
def _county(code: str) -> dict:
    return next(c for c in reference.counties() if c["lan_kod"] == code)


def _genitive(name: str) -> str:
    return name if name[-1] in "sxz" else name + "s"


def _region_org(code: str) -> str:
    return REGION_ORG.get(code, f"Region {_county(code)['lan_kort']}")


def _agency(slug: str) -> tuple[str, str, str, str]:
    return next(a for a in AGENCIES if a[0] == slug)


def element_weights(spec: DocSpec, seed: int) -> dict[str, float]:
    """The planted emphasis of one document: base x actor profile x noise x drift over the years."""
    w = dict(BASE_WEIGHT)
    if spec.aktorsgrupp == "region":
        focus = COUNTY_FOCUS.get(spec.key, {})
        county_noise = _rng(seed, "profil", spec.key).normal(0.0, COUNTY_NOISE, len(ELEMENT_IDS))
        for i, e in enumerate(ELEMENT_IDS):
            w[e] *= focus.get(e, 1.0) * math.exp(county_noise[i])
    elif spec.aktorsgrupp == "statlig_myndighet":
        focus = AGENCY_FOCUS[spec.key]
        for e in ELEMENT_IDS:
            damp = 0.35 if e in AGENCY_DAMP else 1.0
            w[e] *= focus.get(e, damp)
        w["GF2"] *= 1.5
    else:
        for e in ELEMENT_IDS:
            w[e] *= TVV_FOCUS.get(e, 1.0)
    noise = _rng(seed, spec.dokument_id, "vikter").normal(0.0, DOC_NOISE, len(ELEMENT_IDS))
    years = spec.ar - DRIFT_CENTRE
    return {e: w[e] * math.exp(noise[i] + DRIFT.get(e, 0.0) * years) for i, e in enumerate(ELEMENT_IDS)}


# --- text grammar ---------------------------------------------------------------------------

_ALT = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")


class _Context:
    """The slots of one document and its random stream."""

    def __init__(self, spec: DocSpec, seed: int, rng: np.random.Generator):
        self.spec = spec
        self.rng = rng
        self.mode = "plan" if spec.dokumenttyp == "rus" else "report"
        self.used: set[str] = set()
        self.counts: dict[str, int] = {}
        # Facts a document states more than once must agree with themselves.
        self.ar_prev = str(spec.ar - int(rng.integers(3, 9)))
        self.datum = (_adoption_date(spec, seed) if spec.dokumenttyp == "rus" else
                      f"{int(rng.integers(1, 29))} {MONTHS[int(rng.integers(0, 3))]} {spec.ar + 1}")
        regional = spec.aktorsgrupp == "region"
        if regional:
            c = _county(spec.key)
            self.lan = c["lan"]
            self.lan_kort = c["lan_kort"]
            # Gotland is one municipality; its texts name places on the island instead.
            self.orter = ("Visby", "Slite", "Hemse") if spec.key == "09" else KOMMUNER[spec.key]
            self.granne = NEIGHBOUR.get(spec.key)
            self.org = _region_org(spec.key)
            subjects = ["vi", "regionen", self.org] if self.mode == "plan" else ["regionen", self.org, "vi"]
            self.omr = ["länet", "regionen"]
            self.omrg = ["länets", "regionens"]
            self.sg = ["regionens", _genitive(self.org)]
            self.beslutare = ["regionstyrelsen", "regiondirektören", "regionens ledning"]
        else:
            self.lan = None
            self.lan_kort = None
            self.orter = tuple(k for ks in KOMMUNER.values() for k in ks if k != "Gotland") + ("Visby",)
            self.granne = ("Norge", "Finland", "Danmark")
            if spec.aktorsgrupp == "statlig_myndighet":
                _slug, name, short, gen = _agency(spec.key)
                self.org = name
                if spec.key == "lansstyrelserna":
                    subjects, self.sg = ["länsstyrelserna", "vi"], ["länsstyrelsernas"]
                else:
                    subjects, self.sg = ["myndigheten", short], ["myndighetens", gen]
                self.beslutare = ["generaldirektören", "myndighetens ledning"]
            else:
                self.org = "Tillväxtverket"
                subjects, self.sg = ["Tillväxtverket", "myndigheten", "vi"], ["Tillväxtverkets", "myndighetens"]
                self.beslutare = ["generaldirektören"]
            self.omr = ["landet", "Sverige"]
            self.omrg = ["landets", "Sveriges"]
        # Each document leans on its own one to three ways of naming itself.
        k = int(rng.integers(1, len(subjects) + 1))
        self.subjects = [subjects[i] for i in sorted(rng.choice(len(subjects), size=k, replace=False))]
        if self.mode == "plan":
            self.mods = [("ska", ""), ("vill", ""), ("behöver", ""), ("kommer", "att"), ("avser", "att")]
            self.tid = ["De kommande åren", "Under strategiperioden", "Fram till {slut}", "På sikt"]
        else:
            self.mods = [("har", "fortsatt att"), ("har", "arbetat för att"), ("har", "valt att"),
                         ("har", "sökt")]
            self.tid = ["Under {ar}", "Under året", "Under verksamhetsåret", "Under {ar}"]
        self.k_max = 6

    def _county_name(self) -> str:
        if self.lan:
            return self.lan
        return reference.counties()[int(self.rng.integers(21))]["lan"]

    def slot(self, name: str, mod: tuple[str, str], tid: str) -> str:
        r = self.rng
        spec = self.spec
        if name == "S":
            return self.subjects[int(r.integers(len(self.subjects)))]
        if name == "Sg":
            return self.sg[int(r.integers(len(self.sg)))]
        if name == "MOD":
            return f"{mod[0]} {mod[1]}"
        if name == "Vf":
            return mod[0]
        if name == "Vr":
            return mod[1]
        if name == "TID":
            return tid
        if name == "omr":
            return self.omr[int(r.integers(len(self.omr)))]
        if name == "omrg":
            return self.omrg[int(r.integers(len(self.omrg)))]
        if name == "lan":
            return self._county_name()
        if name == "ort":
            self.last_ort = self.orter[int(r.integers(len(self.orter)))]
            return self.last_ort
        if name == "ort2":  # a second place, not the one just named
            others = [o for o in self.orter if o != getattr(self, "last_ort", None)] or list(self.orter)
            return others[int(r.integers(len(others)))]
        if name == "granne":
            g = self.granne or ("grannländerna",)
            return g[int(r.integers(len(g)))]
        if name == "org":
            return self.org
        if name == "beslutare":
            return self.beslutare[int(r.integers(len(self.beslutare)))]
        if name == "ar":
            return str(spec.ar)
        if name == "ar_prev":
            return self.ar_prev
        if name == "ar_next":
            return str(spec.ar + 1)
        if name == "slut":
            return str(spec.period[1] if spec.period else 2030)
        if name == "n":
            return str(int(r.integers(3, 30)))
        if name == "n2":
            return NUMBER_WORDS[int(r.integers(len(NUMBER_WORDS)))]
        if name == "pct":
            return str(int(r.integers(8, 80)))
        if name == "pct2":
            return str(int(r.integers(1, 10)))
        if name == "d":
            return str(int(r.integers(0, 10)))
        if name == "k":
            return str(int(r.integers(2, self.k_max + 1)))
        if name == "mnkr":
            return f"{r.integers(5, 400) / 10:.1f}".replace(".", ",")
        if name == "datum":
            return self.datum
        raise KeyError(f"unknown slot {{{name}}}")

    def expand(self, template: str) -> str:
        """One sentence from a template: slots filled, alternatives chosen, tidied."""
        r = self.rng
        mod = self.mods[int(r.integers(len(self.mods)))]
        tid = self.tid[int(r.integers(len(self.tid)))]
        s = template
        for _ in range(4):  # slot values may hold slots ({TID} -> "Under {ar}")
            if "{" not in s:
                break
            s = _SLOT.sub(lambda m: self.slot(m.group(1), mod, tid), s)
        while True:
            m = _ALT.search(s)
            if not m:
                break
            opts = m.group(1).split("|")
            s = s[:m.start()] + opts[int(r.integers(len(opts)))] + s[m.end():]
        return _tidy(s)

    def usable(self, template: str) -> bool:
        if template.startswith("P:") and self.mode != "plan":
            return False
        if template.startswith("R:") and self.mode != "report":
            return False
        if "{granne}" in template and self.granne is None:
            return False
        return True


def _tidy(s: str) -> str:
    s = s[2:] if s[:2] in ("P:", "R:") else s
    s = " ".join(s.split())
    s = re.sub(r" ([,.])", r"\1", s)
    s = s[0].upper() + s[1:]
    if not s.endswith("."):
        s += "."
    return s


@functools.cache
def _pools() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Element -> the templates whose sentences cover it, with all the elements they cover."""
    pools: dict[str, list[tuple[tuple[str, ...], str]]] = {e: [] for e in ELEMENT_IDS}
    for e, ts in TEMPLATES.items():
        pools[e].extend(((e,), t) for t in ts)
    for elems, t in MULTI:
        for e in elems:
            pools[e].append((elems, t))
    return pools


def _with_parents(elements) -> list[str]:
    out = set(elements)
    out |= {PARENT[e] for e in elements if e in PARENT}
    return sorted(out)


@dataclass
class Paragraph:
    text: str
    elements: list[str]
    distraktor: str | None = None
    sida: int = 0


@dataclass
class Heading:
    level: int
    number: str
    text: str
    page: int = 0

    @property
    def full(self) -> str:
        return f"{self.number} {self.text}"


@dataclass
class Table:
    caption: str
    rows: list[list[str]]  # first row is the header
    align: tuple[str, ...] = ()


def _choose_template(ctx: _Context, candidates: list, exclude: set) -> int:
    """Index of a template, the less used ones in this document the likelier."""
    w = np.array([0.0 if t in exclude else 1.0 / (1 + ctx.counts.get(t, 0)) ** 2 for _e, t in candidates])
    if w.sum() == 0:
        w = np.ones(len(candidates))
    return int(np.searchsorted(np.cumsum(w / w.sum()), ctx.rng.random(), side="right").clip(0, len(candidates) - 1))


def _sentence_for(ctx: _Context, element: str, exclude: set, frame_p: float = 0.2) -> tuple[str, tuple[str, ...], str]:
    r = ctx.rng
    pool = [(els, t) for els, t in _pools()[element] if ctx.usable(t)]
    for _attempt in range(6):
        if r.random() < frame_p:
            frames = [((element,), f) for f in FRAMES if ctx.usable(f)]
            _els, frame = frames[_choose_template(ctx, frames, exclude)]
            nps = NP[element]
            key = frame
            t = frame.replace("{np}", nps[int(r.integers(len(nps)))])
            els = (element,)
        else:
            els, t = pool[_choose_template(ctx, pool, exclude)]
            key = t
        s = ctx.expand(t)
        if s not in ctx.used:
            break
    ctx.used.add(s)
    ctx.counts[key] = ctx.counts.get(key, 0) + 1
    return s, els, key


# Which elements read naturally together in one paragraph: the same area, and the horizontal ones.
def _related(primary: str) -> set[str]:
    horizontal = {"TP", "HB-EK", "HB-SO", "HB-MI", "SU1", "SU2", "SU3"}
    if primary.startswith("SO"):
        return set(AREA_MEMBERS[primary.split(".")[0]]) | horizontal
    if primary.startswith("GF"):
        return {"GF1", "GF2", "GF3", "TP"}
    return horizontal | {"GF3"}


def _element_paragraph(ctx: _Context, primary: str, secondary: str | None) -> Paragraph:
    r = ctx.rng
    n = int(r.choice([1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6]))
    sentences, elements, keys = [], set(), set()
    for i in range(n):
        s, els, key = _sentence_for(ctx, primary, keys, frame_p=0.2 if i == 0 else 0.12)
        if s not in sentences:
            sentences.append(s)
            elements.update(els)
            keys.add(key)
    if secondary is not None:
        for _ in range(int(r.choice([1, 1, 2]))):
            s, els, key = _sentence_for(ctx, secondary, keys, frame_p=0.1)
            if s not in sentences:
                sentences.insert(int(r.integers(1, len(sentences) + 1)), s)
                elements.update(els)
                keys.add(key)
    if r.random() < 0.12:
        sentences.append(ctx.expand(CONNECTORS[int(r.integers(len(CONNECTORS)))]))
    return Paragraph(" ".join(sentences), _with_parents(elements))


def _filler_paragraph(ctx: _Context) -> Paragraph:
    r = ctx.rng
    own = {"rus": FILLER_PLAN, "arsredovisning": FILLER_TVV}.get(ctx.spec.dokumenttyp, FILLER_REPORT)
    pool = [((), t) for t in FILLER_COMMON + own]
    n = int(r.choice([1, 2, 2, 3]))
    sentences, keys = [], set()
    for _ in range(n):
        _e, t = pool[_choose_template(ctx, pool, keys)]
        keys.add(t)
        ctx.counts[t] = ctx.counts.get(t, 0) + 1
        s = ctx.expand(t)
        if s not in sentences:
            sentences.append(s)
    return Paragraph(" ".join(sentences), [])


def _distractor_paragraph(ctx: _Context, index: int) -> Paragraph:
    element, sentences = DISTRACTORS[index]
    return Paragraph(" ".join(ctx.expand(s) for s in sentences), [], distraktor=element)


# --- outlines and composition ---------------------------------------------------------------

OTHER_HEADINGS = {
    "GF1": ["Kapacitet för utvecklingsarbete", "Stärkt kapacitet"],
    "GF2": ["Samverkan och regional hänsyn", "Samverkan med regionerna"],
    "GF3": ["Analys, uppföljning och utvärdering", "Kunskap och lärande"],
    "SU1": ["Klimat och miljö", "Miljö- och klimatomställning"],
    "SU2": ["Demografiska förändringar", "Befolkningsutveckling"],
    "SU3": ["Minskade klyftor", "Sammanhållning och minskade skillnader"],
    "HB-EK": ["Ekonomisk hållbarhet"], "HB-SO": ["Social hållbarhet"], "HB-MI": ["Miljömässig hållbarhet"],
    "TP": ["Territoriellt perspektiv", "Landsbygder och regionala skillnader"],
}


@dataclass(frozen=True)
class Section:
    level: int
    title: str
    affinity: object  # tuple of element ids, ALL, or None (filler only)
    base: float  # paragraphs at scale 1 (0: a heading with subsections only)
    filler_p: float = 0.0
    table: str | None = None


def _pick(r: np.random.Generator, options):
    return options[int(r.integers(len(options)))]


def _heading_for(r, element: str) -> str:
    if element in PRIORITY_HEADINGS:
        return _pick(r, PRIORITY_HEADINGS[element])
    if element in AREA_HEADINGS:
        return _pick(r, AREA_HEADINGS[element])
    return _pick(r, OTHER_HEADINGS[element])


def _outline(ctx: _Context, weights: dict[str, float]) -> list[Section]:
    r = ctx.rng
    spec = ctx.spec
    S = Section
    if spec.dokumenttyp == "rus":
        out = [
            S(1, _pick(r, ["Inledning", "Om strategin"]), None, 0),
            S(2, _pick(r, ["Syfte och läsanvisning", "Strategins syfte", "Läsanvisning"]), None, 2, 1.0),
            S(2, _pick(r, ["Så har strategin tagits fram", "Process och förankring", "Arbetet med strategin"]),
              ("GF2", "GF3"), 3, 0.4),
            S(1, _pick(r, ["Utgångspunkter", "Förutsättningar och utgångspunkter"]), None, 0),
            S(2, _pick(r, ["Den nationella strategin och andra styrdokument",
                           "Koppling till nationella och europeiska mål"]), ALL, 3, 0.3),
            S(2, _pick(r, ["Samhällsutmaningar", "Stora samhällsutmaningar", "Utmaningar som påverkar länet"]),
              SU_ALL, 5),
            S(2, _pick(r, ["Länets förutsättningar", f"{ctx.lan_kort} i dag", "Läget i länet"]),
              ("TP", "SU2", "SO1", "HB-EK"), 4, 0.1, "indikatorer"),
            S(1, _pick(r, ["Vision och mål", "Vision och övergripande mål"]), HB_ALL, 3, 0.3),
            S(1, _pick(r, ["Prioriteringar", "Strategiska prioriteringar", "Prioriterade områden"]), None, 0),
        ]
        for a in [AREAS[i] for i in r.permutation(len(AREAS))]:
            out.append(S(2, _pick(r, AREA_HEADINGS[a]), (a,), 2))
            prios = [p for p in AREA_MEMBERS[a] if p != a]
            for p in [prios[i] for i in r.permutation(len(prios))]:
                out.append(S(3, _pick(r, PRIORITY_HEADINGS[p]), (p,), 3))
        out += [
            S(1, _pick(r, ["Perspektiv i genomförandet", "Hållbarhet och territoriellt perspektiv"]), None, 0),
            S(2, _pick(r, ["Hållbar utveckling", "Ekonomisk, social och miljömässig hållbarhet"]), HB_ALL, 3),
            S(2, _pick(r, ["Territoriellt perspektiv", "Länets olika delar", "Stad och land"]), ("TP",), 3),
            S(1, _pick(r, ["Genomförande", "Genomförande och uppföljning"]), None, 0),
            S(2, _pick(r, ["Kapacitet och organisering", "Roller och resurser"]), ("GF1",), 3),
            S(2, _pick(r, ["Samverkan", "Samverkan och partnerskap"]), ("GF2",), 3),
            S(2, _pick(r, ["Uppföljning, utvärdering och lärande", "Lärande och uppföljning"]), ("GF3",), 3,
              0.0, "uppfoljning"),
        ]
        return out
    if spec.dokumenttyp == "regionalt_utvecklingsarbete":
        out = [
            S(1, "Sammanfattning", ALL, 2, 0.1),
            S(1, _pick(r, ["Inledning", "Uppdrag och avgränsning"]), ("GF2",), 2, 0.6),
            S(1, _pick(r, ["Genomförande av den regionala utvecklingsstrategin",
                           "Arbetet med den regionala utvecklingsstrategin", f"Insatser under {spec.ar}"]), None, 0),
        ]
        out += [S(2, _pick(r, AREA_HEADINGS[a]), AREA_MEMBERS[a], 2.5) for a in AREAS]
        out += [
            S(1, _pick(r, ["Grundläggande förutsättningar", "Kapacitet, samverkan och lärande"]), None, 0),
            S(2, _pick(r, ["Kapacitet", "Kapacitet för utvecklingsarbete"]), ("GF1",), 2),
            S(2, _pick(r, ["Samverkan", "Samverkan och regional hänsyn"]), ("GF2",), 2),
            S(2, _pick(r, ["Lärande", "Analys, uppföljning och utvärdering"]), ("GF3",), 2),
            S(1, _pick(r, ["Hållbarhet och territoriellt perspektiv", "Perspektiv i arbetet"]), None, 0),
            S(2, _pick(r, ["Hållbarhet", "Miljö, klimat och hållbarhet"]), HB_ALL + ("SU1",), 2),
            S(2, _pick(r, ["Territoriellt perspektiv", "Regionala skillnader och samhällsutmaningar"]),
              ("TP", "SU2", "SU3"), 2),
            S(1, _pick(r, ["Användning av anslag 1:1", "Regionala projektmedel (anslag 1:1)"]), ALL, 2, 0.4, "anslag"),
        ]
        return out
    if spec.dokumenttyp == "myndigheters_medverkan":
        ranked = sorted(ELEMENT_IDS, key=lambda e: (-weights[e], e))
        top = [e for e in ranked if e not in ("GF2", "GF3")][:3]
        out = [
            S(1, "Inledning", None, 2, 1.0),
            S(1, _pick(r, ["Myndighetens uppdrag och roll", "Uppdrag och bidrag till den regionala utvecklingspolitiken"]),
              tuple(top) + ("GF2",), 2, 0.2),
            S(1, _pick(r, [f"Insatser under {spec.ar}", "Myndighetens bidrag till strategins prioriteringar"]), None, 0),
        ]
        out += [S(2, _heading_for(r, e), (e,), 3) for e in top[:2]]
        out += [
            S(1, _pick(r, ["Samverkan med regioner och andra aktörer", "Samverkan och dialog"]), ("GF2",), 3,
              0.0, "insatser"),
            S(1, _pick(r, ["Kunskap, analys och lärande", "Uppföljning och lärande"]), ("GF3",), 2),
            S(1, _pick(r, ["Hållbarhet och territoriella perspektiv", "Hållbarhet och regionala skillnader"]), None, 0),
            S(2, _pick(r, ["Hållbarhet", "Miljö, klimat och hållbarhet"]), HB_ALL + ("SU1",), 2),
            S(2, _pick(r, ["Territoriella perspektiv", "Regionala skillnader"]), ("TP", "SU2", "SU3"), 1.5),
            S(1, _pick(r, ["Slutsatser och fortsatt arbete", "Framåtblick"]), ALL, 2, 0.2),
        ]
        return out
    return [
        S(1, _pick(r, ["Generaldirektören har ordet", "Generaldirektörens kommentar"]), ALL, 2, 0.2),
        S(1, "Resultatredovisning", None, 0),
        S(2, "Hållbar regional utveckling", ("GF1", "GF2", "TP"), 3),
        S(2, "Kommersiell service och attraktiva livsmiljöer", ("SO1", "SO1.2", "SO1.3"), 2),
        S(2, "Företagande, innovation och kapitalförsörjning", SO3_ALL, 3),
        S(2, "Kompetensförsörjning", SO2_ALL, 2),
        S(2, "Tillgänglighet", SO4_ALL, 1.5),
        S(2, "Analys, uppföljning och utvärdering", ("GF3",), 2),
        S(2, "Hållbarhet och klimat", HB_ALL + ("SU1",), 2),
        S(1, "Organisation och medarbetare", None, 2, 1.0),
        S(1, "Finansiell redovisning", None, 1, 1.0, "ekonomi"),
    ]


def _weighted(r: np.random.Generator, items, weights: dict[str, float]) -> str:
    p = np.array([weights[e] for e in items], dtype=float)
    return items[int(np.searchsorted(np.cumsum(p / p.sum()), r.random(), side="right").clip(0, len(items) - 1))]


def _section_factor(affinity, weights: dict[str, float]) -> float:
    if affinity is None or affinity == ALL:
        return 1.0
    mean_all = sum(weights.values()) / len(weights)
    mean_aff = sum(weights[e] for e in affinity) / len(affinity)
    return float(np.clip((mean_aff / mean_all) ** 1.3, 0.25, 5.0))


def _fmt_num(x: float, decimals: int = 0) -> str:
    s = f"{x:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return s


def _table(ctx: _Context, kind: str, number: int) -> Table:
    r = ctx.rng
    spec = ctx.spec
    if kind == "indikatorer":
        end = spec.period[1]
        candidates = [
            ("Förvärvsfrekvens 20–64 år (%)", r.uniform(74, 84), 1, 3.0),
            ("Andel 25–64 år med eftergymnasial utbildning (%)", r.uniform(30, 55), 1, 6.0),
            ("Hushåll med tillgång till 1 Gbit/s (%)", r.uniform(60, 97), 1, 8.0),
            ("Växthusgasutsläpp (tusen ton koldioxidekvivalenter)", r.uniform(500, 6000), 0, -0.45),
            ("Nystartade företag per 1 000 invånare", r.uniform(5, 14), 1, 1.5),
            ("Andel resor med kollektivtrafik (%)", r.uniform(8, 35), 1, 6.0),
            ("Befolkning 31 december", float(_county(spec.key)["folkmangd_2023"]), 0, 0.04),
        ]
        idx = sorted(r.choice(len(candidates), size=5, replace=False))
        rows = [["Indikator", "Utgångsläge", f"Mål {end}"]]
        for i in idx:
            name, v, dec, change = candidates[int(i)]
            target = v * (1 + change) if abs(change) < 1 and name.startswith(("Växt", "Bef")) else min(v + change, 99.0)
            rows.append([name, _fmt_num(v, dec), _fmt_num(target, dec)])
        return Table(f"Tabell {number}. Utvalda indikatorer för {ctx.lan}", rows, ("l", "r", "r"))
    if kind == "uppfoljning":
        rows = [["Område", "Indikator", "Källa"],
                ["Boende och välfärd", "Bostadsbyggande per 1 000 invånare", "SCB"],
                ["Kompetens", "Andel med eftergymnasial utbildning", "SCB"],
                ["Näringsliv", "Nyföretagande och sysselsättning", "Tillväxtanalys"],
                ["Tillgänglighet", "Andel hushåll med snabbt bredband", "PTS"],
                ["Miljö och klimat", "Utsläpp av växthusgaser", "Naturvårdsverket"]]
        keep = [rows[0]] + [rows[1 + int(i)] for i in sorted(r.choice(5, size=4, replace=False))]
        return Table(f"Tabell {number}. Indikatorer för uppföljning av strategin", keep, ("l", "l", "l"))
    if kind == "anslag":
        labels = ["Likvärdiga möjligheter", "Kompetensförsörjning", "Innovation och företagande",
                  "Tillgänglighet", "Övrigt"]
        values = r.gamma(2.0, 6.0, len(labels))
        rows = [["Strategiskt område", "Beviljat (mnkr)", "Andel (%)"]]
        for lab, v in zip(labels, values):
            rows.append([lab, _fmt_num(v, 1), _fmt_num(100 * v / values.sum(), 0)])
        rows.append(["Totalt", _fmt_num(values.sum(), 1), "100"])
        return Table(f"Tabell {number}. Beviljade medel ur anslag 1:1 per strategiskt område {spec.ar}",
                     rows, ("l", "r", "r"))
    if kind == "insatser":
        rows = [["Typ av insats", "Antal"]]
        for lab in ("Dialogmöten med regioner", "Remissvar", "Kunskapsunderlag", "Projekt med regional medverkan"):
            rows.append([lab, str(int(r.integers(2, 60)))])
        return Table(f"Tabell {number}. Myndighetens insatser {spec.ar} per typ", rows, ("l", "r"))
    rows = [["Post", f"{spec.ar} (tkr)", f"{spec.ar - 1} (tkr)"]]
    for lab in ("Intäkter av anslag", "Övriga intäkter", "Kostnader för personal", "Kostnader för lokaler",
                "Övriga driftkostnader", "Lämnade bidrag"):
        v = r.uniform(20_000, 900_000)
        rows.append([lab, _fmt_num(v), _fmt_num(v * r.uniform(0.9, 1.1))])
    return Table(f"Tabell {number}. Verksamhetens intäkter och kostnader {spec.ar}", rows, ("l", "r", "r"))


def _compose(spec: DocSpec, seed: int, weights: dict[str, float], scale: float) -> list:
    """Headings, paragraphs and tables of one document, in order."""
    ctx = _Context(spec, seed, _rng(seed, spec.dokument_id, "text"))
    r = ctx.rng
    sections = _outline(ctx, weights)
    ctx.k_max = max(2, sum(1 for s in sections if s.level == 1))
    # Slots: what each paragraph will be, before any text is drawn.
    plan = []  # (section index, kind, primary, secondary)
    for si, sec in enumerate(sections):
        if sec.base <= 0:
            continue
        n = max(1, int(round(sec.base * scale * _section_factor(sec.affinity, weights))))
        for _ in range(n):
            if sec.affinity is None or r.random() < sec.filler_p:
                plan.append([si, "filler", None, None])
                continue
            if sec.affinity != ALL and r.random() < 0.85:
                primary = _weighted(r, list(sec.affinity), weights)
            else:
                primary = _weighted(r, list(ELEMENT_IDS), weights)
            secondary = None
            if r.random() < 0.3:
                rel = _related(primary)
                others = [e for e in ELEMENT_IDS if e != primary and e != PARENT.get(primary)]
                secondary = _weighted(r, others, {e: weights[e] * (4.0 if e in rel else 1.0) for e in others})
            plan.append([si, "element", primary, secondary])
    k = int(r.binomial(len(plan), DISTRACTOR_P))
    order = r.permutation(len(DISTRACTORS))
    for j, pos in enumerate(sorted(r.choice(len(plan), size=k, replace=False).tolist())):
        plan[pos][1] = "distractor"
        plan[pos][2] = int(order[j % len(order)])
    # Numbering and text.
    blocks: list = []
    counters = [0, 0, 0]
    table_no = 0
    by_section: dict[int, list] = {}
    for item in plan:
        by_section.setdefault(item[0], []).append(item)
    for si, sec in enumerate(sections):
        counters[sec.level - 1] += 1
        for deeper in range(sec.level, 3):
            counters[deeper] = 0
        number = ".".join(str(c) for c in counters[:sec.level])
        blocks.append(Heading(sec.level, number, sec.title))
        items = by_section.get(si, [])
        table_at = min(1, len(items)) if sec.table else None
        for i, (_si, kind, primary, secondary) in enumerate(items):
            if table_at is not None and i == table_at:
                table_no += 1
                blocks.append(_table(ctx, sec.table, table_no))
            if kind == "filler":
                blocks.append(_filler_paragraph(ctx))
            elif kind == "distractor":
                blocks.append(_distractor_paragraph(ctx, primary))
            else:
                blocks.append(_element_paragraph(ctx, primary, secondary))
        if table_at is not None and table_at >= len(items):
            table_no += 1
            blocks.append(_table(ctx, sec.table, table_no))
    return blocks


# --- layout ---------------------------------------------------------------------------------

@functools.cache
def _font_paths() -> tuple[str, str]:
    import matplotlib

    base = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return str(base / "DejaVuSans.ttf"), str(base / "DejaVuSans-Bold.ttf")


@functools.cache
def _char_widths() -> tuple[dict, dict]:
    """Advance widths (1/1000 em) of DejaVu Sans and DejaVu Sans Bold, as fpdf2 measures them."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    regular, bold = _font_paths()
    pdf.add_font("dejavu", "", regular)
    pdf.add_font("dejavu", "B", bold)
    return dict(pdf.fonts["dejavu"].cw), dict(pdf.fonts["dejavuB"].cw)


_MM_PER_PT = 25.4 / 72


@functools.lru_cache(maxsize=200_000)
def _units(text: str, bold: bool) -> int:
    cw = _char_widths()[1 if bold else 0]
    return sum(cw.get(ord(c), 600) for c in text)


def _width(text: str, size: float, bold: bool = False) -> float:
    """Width in mm of text in DejaVu Sans at size pt."""
    return _units(text, bold) * size / 1000 * _MM_PER_PT


_VOWELS = set("aeiouyåäöé")
_FOG = ("ings", "ands", "ens", "ets", "ions", "nads", "tets", "älls")
_WORD = re.compile(r"([A-Za-zÅÄÖåäöÉé]+)([,.;:)]?)")


@functools.lru_cache(maxsize=100_000)
def _split_points(word: str) -> tuple[int, ...]:
    """Where a Swedish word may be hyphenated, by a rough rule: one consonant between vowels
    goes to the next line, two are split, of three only the last goes; the linking s of a
    compound ("kompetens-", "närings-") stays on the line; never inside ck, ng, sj, tj, kj;
    at least three letters on each side."""
    low = word.lower()
    if len(low) < 8 or not low.isalpha() or not word[1:].islower():
        return ()
    vpos = [i for i, c in enumerate(low) if c in _VOWELS]
    points = set()
    for a, b in zip(vpos, vpos[1:]):
        n = b - a - 1  # consonants between the two vowels
        if n == 0:
            continue
        fog = [p for p in range(a + 2, b + 1) if low[:p].endswith(_FOG)]
        if fog:
            points.add(fog[-1])
            continue
        if n > 3:
            continue
        p = b - 1 if n != 2 else a + 2
        pair = low[p - 1:p + 1]
        if pair in ("ck", "ng") or (pair in ("sj", "tj", "kj") and n == 2):
            continue
        if pair in ("sj", "tj", "kj"):
            p -= 1
        points.add(p)
    return tuple(sorted(p for p in points if p >= 3 and len(low) - p >= 3))


def _tokens(text: str) -> list[str]:
    """Words of a paragraph; a word ending in a hyphen ('klimat- och') is tied to the next, so
    that every line ending in '-' is a hyphenation break."""
    out: list[str] = []
    for w in text.split(" "):
        if out and out[-1].endswith("-") and len(out[-1]) > 1:
            out[-1] = out[-1] + " " + w
        else:
            out.append(w)
    return out


def _wrap(text: str, width: float, size: float, bold: bool = False,
          rng: np.random.Generator | None = None, hyphen_p: float = 0.0) -> tuple[list[str], list[bool]]:
    """Greedy line breaking; with rng, a long word at the line end is hyphenated with
    probability hyphen_p when a part of it fits. Returns lines and whether each ends in a break."""
    space = _width(" ", size, bold)
    hyph = _width("-", size, bold)
    lines: list[str] = []
    flags: list[bool] = []
    cur, cur_w = "", 0.0
    for tok in _tokens(text):
        w = _width(tok, size, bold)
        if not cur:
            cur, cur_w = tok, w
            continue
        if cur_w + space + w <= width:
            cur, cur_w = cur + " " + tok, cur_w + space + w
            continue
        if rng is not None and " " not in tok:
            m = _WORD.fullmatch(tok)
            points = _split_points(m.group(1)) if m else ()
            if points and rng.random() < hyphen_p:
                room = width - cur_w - space - hyph
                fit = [p for p in points if _width(tok[:p], size, bold) <= room]
                if fit:
                    p = fit[-1]
                    lines.append(cur + " " + tok[:p] + "-")
                    flags.append(True)
                    cur, cur_w = tok[p:], _width(tok[p:], size, bold)
                    continue
        lines.append(cur)
        flags.append(False)
        cur, cur_w = tok, w
    if cur:
        lines.append(cur)
        flags.append(False)
    return lines, flags


@dataclass(frozen=True)
class PdfStyle:
    body: float = 10.0
    line: float = 5.0
    gap: float = 4.2
    left: float = 25.0
    right: float = 25.0
    top: float = 24.0
    bottom: float = 276.0
    hyphen_p: float = 0.55
    head_size: tuple = (15.0, 12.5, 10.5)
    head_line: tuple = (7.5, 6.2, 5.4)
    head_before: tuple = (7.0, 5.0, 3.5)
    head_after: tuple = (3.0, 2.2, 1.6)
    table_size: float = 8.5
    table_row: float = 6.2

    @property
    def width(self) -> float:
        return 210.0 - self.left - self.right


RUS_STYLE = PdfStyle()
REPORT_STYLE = PdfStyle(body=10.5, line=5.4, gap=4.6, left=22.0, right=22.0, top=25.0, bottom=275.0,
                        hyphen_p=0.45, head_size=(14.0, 12.0, 10.5), head_line=(7.0, 6.0, 5.4))
TOC_LINE = 6.4


@dataclass
class Document:
    spec: DocSpec
    title: str
    subtitle: str
    info: list[str]
    header: str
    blocks: list
    n_pages: int = 0
    pages: list = field(default_factory=list)  # PDF: drawing items per page; others: blocks per page
    toc: list = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]


def _layout_pdf(doc: Document, style: PdfStyle, rng: np.random.Generator) -> None:
    """Place every block on a page; paragraphs may continue on the next page (at least two lines
    on each side, never breaking after a sentence end or a hyphenated line)."""
    headings = [b for b in doc.blocks if isinstance(b, Heading)]
    with_toc = doc.spec.dokumenttyp == "rus"
    toc_per_page = int((style.bottom - style.top - 14) // TOC_LINE)
    toc_pages = math.ceil(len(headings) / toc_per_page) if with_toc else 0
    first_body = 2 + toc_pages
    pages: list[list] = [[]]
    y = style.top
    x = style.left
    lh = style.line

    def new_page():
        nonlocal y
        pages.append([])
        y = style.top

    blocks = doc.blocks
    for bi, block in enumerate(blocks):
        if isinstance(block, Heading):
            li = block.level - 1
            size, hl = style.head_size[li], style.head_line[li]
            lines, _ = _wrap(block.full, style.width, size, bold=True)
            need = len(lines) * hl + style.head_after[li]
            nxt = blocks[bi + 1] if bi + 1 < len(blocks) else None
            if isinstance(nxt, Paragraph):
                need += 2 * lh
            elif isinstance(nxt, Heading):
                need += style.head_line[nxt.level - 1] + 2 * lh
            if y > style.top:
                need += style.head_before[li]
            if y + need > style.bottom:
                new_page()
            if y > style.top:
                y += style.head_before[li]
            block.page = first_body + len(pages) - 1
            for ln in lines:
                pages[-1].append(("text", x, y + hl * 0.78, ln, size, True))
                y += hl
            y += style.head_after[li]
        elif isinstance(block, Paragraph):
            lines, flags = _wrap(block.text, style.width, style.body, rng=rng, hyphen_p=style.hyphen_p)
            avail = int((style.bottom - y) / lh + 1e-6)
            n = len(lines)
            if n > avail:
                split = None
                if avail >= 2 and n >= 4:
                    for s in range(min(avail, n - 2), 1, -1):
                        if not lines[s - 1].endswith(".") and not flags[s - 1]:
                            split = s
                            break
                if split is None:
                    new_page()
                    split = n
            else:
                split = n
            block.sida = first_body + len(pages) - 1
            for i, ln in enumerate(lines):
                if i == split:
                    new_page()
                pages[-1].append(("text", x, y + lh * 0.78, ln, style.body, False))
                y += lh
            y += style.gap
        else:  # Table
            cap_lines, _ = _wrap(block.caption, style.width, style.table_size + 0.5, bold=True)
            h = len(cap_lines) * 5.0 + 1.5 + len(block.rows) * style.table_row + style.gap
            if y + h > style.bottom:
                new_page()
            for ln in cap_lines:
                pages[-1].append(("text", x, y + 5.0 * 0.78, ln, style.table_size + 0.5, True))
                y += 5.0
            y += 1.5
            pages[-1].append(("table", x, y, block, style))
            y += len(block.rows) * style.table_row + style.gap
    if not pages[-1]:
        pages.pop()
    doc.pages = pages
    doc.n_pages = first_body - 1 + len(pages)
    if with_toc:
        doc.toc = [(h.level, h.full, h.page) for h in headings]


def _layout_lines(doc: Document, capacity: float, measure) -> None:
    """Pages for .docx/.txt/.md: whole blocks per page (page 1 is the title page)."""
    pages: list[list] = [[]]
    used = 0.0
    blocks = doc.blocks
    for bi, block in enumerate(blocks):
        h = measure(block)
        need = h
        if isinstance(block, Heading) and bi + 1 < len(blocks):
            need += min(measure(blocks[bi + 1]), 3.0)
        if used + need > capacity and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append(block)
        used += h
        page_no = len(pages) + 1
        if isinstance(block, Paragraph):
            block.sida = page_no if doc.spec.fmt != "md" else 1
        elif isinstance(block, Heading):
            block.page = page_no
    doc.pages = pages
    doc.n_pages = 1 + len(pages)


TXT_WIDTH = 80
TXT_CAPACITY = 60
DOCX_CHARS = 92
DOCX_CAPACITY = 44


def _measure_txt(block) -> float:
    if isinstance(block, Paragraph):
        return len(textwrap.wrap(block.text, TXT_WIDTH, break_long_words=False, break_on_hyphens=False)) + 1
    if isinstance(block, Heading):
        return 2
    return len(block.rows) + 4


def _measure_docx(block) -> float:
    if isinstance(block, Paragraph):
        return math.ceil(len(block.text) / DOCX_CHARS) + 0.7
    if isinstance(block, Heading):
        return (2.6, 2.1, 1.8)[block.level - 1]
    return 2.0 + 1.25 * len(block.rows)


def _adoption_date(spec: DocSpec, seed: int) -> str:
    r = _rng(seed, spec.dokument_id, "antagen")
    return f"{int(r.integers(1, 29))} {MONTHS[int(r.integers(12))]} {spec.ar}"


def _titles(spec: DocSpec, seed: int, r: np.random.Generator) -> tuple[str, str, list[str], str]:
    """Title, subtitle, information lines and running header of a document."""
    if spec.dokumenttyp == "rus":
        c = _county(spec.key)
        start, end = spec.period
        title = f"Regional utvecklingsstrategi för {c['lan']} {start}–{end}"
        sub = _pick(r, ["Strategi för hållbar regional utveckling", f"Tillsammans för ett starkare {c['lan_kort']}",
                        f"Vägen till {c['lan_kort']} {end}"])
        info = [_region_org(spec.key), f"Antagen av regionfullmäktige den {_adoption_date(spec, seed)}"]
        return title, sub, info, f"{title} · {MARKER}"
    if spec.dokumenttyp == "regionalt_utvecklingsarbete":
        org = _region_org(spec.key)
        title = f"Regionalt utvecklingsarbete {spec.ar}"
        sub = f"Redovisning av det regionala utvecklingsarbetet i {_county(spec.key)['lan']}"
        info = [org, f"Redovisning till Regeringskansliet, {int(r.integers(1, 28))} {MONTHS[int(r.integers(0, 3))]} {spec.ar + 1}"]
        return title, sub, info, f"Regionalt utvecklingsarbete {spec.ar} · {org} · {MARKER}"
    if spec.dokumenttyp == "myndigheters_medverkan":
        _slug, name, _short, _gen = _agency(spec.key)
        title = "Statliga myndigheters medverkan i det regionala utvecklingsarbetet"
        sub = f"Redovisning från {name} för {spec.ar}"
        info = [name, f"Dnr {spec.ar + 1}/{int(r.integers(100, 9999))}"]
        return title, sub, info, f"Statliga myndigheters medverkan {spec.ar} · {name} · {MARKER}"
    title = f"Årsredovisning {spec.ar}"
    info = ["Tillväxtverket", f"Beslutad av generaldirektören den {int(r.integers(15, 23))} februari {spec.ar + 1}"]
    return title, "Tillväxtverket", info, f"Tillväxtverket · Årsredovisning {spec.ar} · {MARKER}"


def _page_target(spec: DocSpec, seed: int, rus_pages: int) -> tuple[int, int, int]:
    """(target, lowest, highest) number of pages."""
    if spec.dokumenttyp == "rus":
        return rus_pages + 1, rus_pages, rus_pages + 3
    r = _rng(seed, spec.dokument_id, "sidor")
    lo, hi = {"regionalt_utvecklingsarbete": (4, 12), "myndigheters_medverkan": (3, 8),
              "arsredovisning": (8, 12)}[spec.dokumenttyp]
    t = int(r.integers(lo, hi + 1))
    return t, max(3, t - 1), min(12, t + 1)


PARAS_PER_PAGE = {"pdf": 4.6, "docx": 4.4, "txt": 5.2, "md": 5.2}


def build_document(spec: DocSpec, seed: int = DEFAULT_SEED, rus_pages: int = DEFAULT_RUS_PAGES) -> Document:
    """Compose and lay out one document (no bytes yet): its blocks, pages and truth."""
    weights = element_weights(spec, seed)
    title, sub, info, header = _titles(spec, seed, _rng(seed, spec.dokument_id, "titel"))
    target, lo, hi = _page_target(spec, seed, rus_pages)
    fixed = 2 if spec.dokumenttyp == "rus" else 1
    base_total = sum(s.base for s in _outline(_Context(spec, seed, _rng(seed, spec.dokument_id, "text")), weights))
    scale = max(0.05, (target - fixed) * PARAS_PER_PAGE[spec.fmt] / base_total)
    doc = None
    for _attempt in range(12):
        doc = Document(spec, title, sub, info, header, _compose(spec, seed, weights, scale))
        if spec.fmt == "pdf":
            style = RUS_STYLE if spec.dokumenttyp == "rus" else REPORT_STYLE
            _layout_pdf(doc, style, _rng(seed, spec.dokument_id, "avstavning"))
        elif spec.fmt == "docx":
            _layout_lines(doc, DOCX_CAPACITY, _measure_docx)
        else:
            _layout_lines(doc, TXT_CAPACITY, _measure_txt)
        if lo <= doc.n_pages <= hi:
            return doc
        body = max(doc.n_pages - fixed, 0.5)
        scale *= max(0.5, min(2.0, (target - fixed + 0.3) / body))
    if spec.dokumenttyp == "rus" and doc.n_pages < rus_pages:
        raise RuntimeError(f"{spec.dokument_id}: {doc.n_pages} pages, fewer than {rus_pages}")
    return doc


# --- rendering ------------------------------------------------------------------------------

HEADER_SIZE = 8.0
HEADER_Y = 13.0
RULE_Y = 15.5
FOOTER_Y = 287.0
GREY = 100


def _table_geometry(table: Table, style: PdfStyle) -> tuple[list[float], float]:
    """Column widths filling the text width (extra room to the first column) and the font size,
    smaller when the natural widths would not fit: no cell is ever cut."""
    ncols = len(table.rows[0])
    size = style.table_size
    natural = [max(_width(r[i], size, ri == 0) for ri, r in enumerate(table.rows)) + 4.0 for i in range(ncols)]
    total = sum(natural)
    if total > style.width:
        size *= style.width / total
        natural = [w * style.width / total for w in natural]
        total = style.width
    widths = [natural[0] + style.width - total] + natural[1:]
    return widths, size


def _draw_table(pdf, x: float, y: float, table: Table, style: PdfStyle) -> None:
    widths, size = _table_geometry(table, style)
    align = table.align or ("l",) * len(widths)
    pdf.set_draw_color(120)
    pdf.set_line_width(0.2)
    for ri, row in enumerate(table.rows):
        bold = ri == 0
        pdf.set_font("dejavu", "B" if bold else "", size)
        cx = x
        for ci, cell in enumerate(row):
            w = widths[ci]
            if bold:
                pdf.set_fill_color(228)
                pdf.rect(cx, y, w, style.table_row, style="DF")
            else:
                pdf.rect(cx, y, w, style.table_row)
            tx = cx + 1.5 if align[ci] == "l" else cx + w - 1.5 - _width(cell, size, bold)
            pdf.text(tx, y + style.table_row * 0.68, cell)
            cx += w
        y += style.table_row


def _render_pdf(doc: Document) -> bytes:
    from fpdf import FPDF

    spec = doc.spec
    style = RUS_STYLE if spec.dokumenttyp == "rus" else REPORT_STYLE
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_auto_page_break(False)
    pdf.set_margins(style.left, style.top, style.right)
    pdf.set_title(doc.title)
    pdf.set_author(doc.info[0])
    pdf.set_subject(STATEMENT)
    pdf.set_keywords(MARKER)
    pdf.set_creator("helpers.sample.corpus")
    regular, bold = _font_paths()
    pdf.add_font("dejavu", "", regular)
    pdf.add_font("dejavu", "B", bold)
    total = doc.n_pages
    x, width = style.left, style.width

    header_size = min(HEADER_SIZE, HEADER_SIZE * width / _width(doc.header, HEADER_SIZE))

    def begin():
        pdf.add_page()
        pdf.set_font("dejavu", "", header_size)
        pdf.set_text_color(GREY)
        pdf.text(x, HEADER_Y, doc.header)
        pdf.set_draw_color(160)
        pdf.set_line_width(0.2)
        pdf.line(x, RULE_Y, x + width, RULE_Y)
        pdf.set_text_color(0)

    def end():
        footer = f"Sida {pdf.page_no()} av {total}"
        pdf.set_font("dejavu", "", HEADER_SIZE)
        pdf.set_text_color(GREY)
        pdf.text(105 - _width(footer, HEADER_SIZE) / 2, FOOTER_Y, footer)
        pdf.set_text_color(0)

    # Title page.
    begin()
    y = 72.0
    pdf.set_font("dejavu", "B", 22)
    for ln in _wrap(doc.title, width, 22, bold=True)[0]:
        pdf.text(x, y, ln)
        y += 10.5
    y += 3
    pdf.set_font("dejavu", "", 13)
    for ln in _wrap(doc.subtitle, width, 13)[0]:
        pdf.text(x, y, ln)
        y += 6.5
    y += 10
    pdf.set_font("dejavu", "", 11)
    for info in doc.info:
        for ln in _wrap(info, width, 11)[0]:
            pdf.text(x, y, ln)
            y += 6
    box_lines = _wrap(STATEMENT, width - 8, 9.5, bold=True)[0]
    pdf.set_draw_color(60)
    pdf.set_line_width(0.4)
    pdf.rect(x, 226, width, 6 + 5 * len(box_lines))
    pdf.set_font("dejavu", "B", 9.5)
    y = 232.5
    for ln in box_lines:
        pdf.text(x + 4, y, ln)
        y += 5
    end()
    # Table of contents.
    if doc.toc:
        per_page = int((style.bottom - style.top - 14) // TOC_LINE)
        for start in range(0, len(doc.toc), per_page):
            begin()
            y = style.top + 8
            if start == 0:
                pdf.set_font("dejavu", "B", 16)
                pdf.text(x, y, "Innehåll")
            y += 12
            for level, text, page in doc.toc[start:start + per_page]:
                is_bold = level == 1
                size = 10.0
                indent = (0.0, 6.0, 12.0)[level - 1]
                pdf.set_font("dejavu", "B" if is_bold else "", size)
                pdf.text(x + indent, y, text)
                num = str(page)
                num_w = _width(num, size, is_bold)
                dots_from = x + indent + _width(text, size, is_bold) + 2
                dots_to = x + width - num_w - 2
                n_dots = int((dots_to - dots_from) / _width(".", size, False))
                pdf.set_font("dejavu", "", size)
                if n_dots > 2:
                    pdf.text(dots_to - n_dots * _width(".", size), y, "." * n_dots)
                pdf.set_font("dejavu", "B" if is_bold else "", size)
                pdf.text(x + width - num_w, y, num)
                y += TOC_LINE
            end()
    # Body.
    for items in doc.pages:
        begin()
        for item in items:
            if item[0] == "text":
                _k, tx, ty, text, size, is_bold = item
                pdf.set_font("dejavu", "B" if is_bold else "", size)
                pdf.text(tx, ty, text)
            else:
                _k, tx, ty, table, st = item
                _draw_table(pdf, tx, ty, table, st)
        end()
    if pdf.page_no() != total:
        raise RuntimeError(f"{spec.dokument_id}: laid out {total} pages, rendered {pdf.page_no()}")
    return bytes(pdf.output())


def _wrap_chars(text: str, width: int) -> list[str]:
    """Plain-text line breaking at spaces (never inside 'klimat- och')."""
    lines, cur = [], ""
    for tok in _tokens(text):
        if cur and len(cur) + 1 + len(tok) > width:
            lines.append(cur)
            cur = tok
        else:
            cur = f"{cur} {tok}" if cur else tok
    if cur:
        lines.append(cur)
    return lines


def _text_table(table: Table) -> list[str]:
    ncols = len(table.rows[0])
    widths = [max(len(r[i]) for r in table.rows) for i in range(ncols)]
    align = table.align or ("l",) * ncols
    out = []
    for ri, row in enumerate(table.rows):
        cells = [c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(row, widths, align)]
        out.append("  ".join(cells).rstrip())
        if ri == 0:
            out.append("  ".join("=" * w for w in widths))
    return out


def _render_txt(doc: Document) -> bytes:
    title = [doc.title, doc.subtitle, "", *doc.info, "", STATEMENT]
    pages = ["\n".join(title) + "\n"]
    for blocks in doc.pages:
        parts = []
        for b in blocks:
            if isinstance(b, Heading):
                parts.append(b.full)
            elif isinstance(b, Paragraph):
                parts.append("\n".join(_wrap_chars(b.text, TXT_WIDTH)))
            else:  # caption and table as one block
                parts.append("\n".join([b.caption, *_text_table(b)]))
        pages.append("\n\n".join(parts) + "\n")
    return "\f".join(pages).encode("utf-8")


def _render_md(doc: Document) -> bytes:
    parts = [f"# {doc.title}", doc.subtitle, " · ".join(doc.info), STATEMENT]
    for blocks in doc.pages:
        for b in blocks:
            if isinstance(b, Heading):
                parts.append("#" * (b.level + 1) + " " + b.full)
            elif isinstance(b, Paragraph):
                parts.append(b.text)
            else:
                ncols = len(b.rows[0])
                align = b.align or ("l",) * ncols
                rule = "|" + "|".join("---" if a == "l" else "---:" for a in align) + "|"
                rows = ["| " + " | ".join(r) + " |" for r in b.rows]
                parts.append(b.caption)
                parts.append("\n".join([rows[0], rule, *rows[1:]]))
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def _rezip(data: bytes) -> bytes:
    """The same zip with fixed entry times, so the bytes do not depend on the clock."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, src.read(info.filename))
    return out.getvalue()


def _render_docx(doc: Document) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    fixed = FIXED_TIME.replace(tzinfo=None)
    cp = d.core_properties
    cp.author = "helpers.sample.corpus"
    cp.last_modified_by = "helpers.sample.corpus"
    cp.title = doc.title
    cp.subject = STATEMENT
    cp.keywords = MARKER
    cp.comments = STATEMENT
    cp.created = fixed
    cp.modified = fixed
    cp.last_printed = fixed
    cp.revision = 1
    section = d.sections[0]
    section.header.paragraphs[0].text = doc.header
    footer = section.footer.paragraphs[0]
    footer.text = "Sida "
    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_.append(run)
    footer._p.append(field_)
    d.add_paragraph(doc.title, style="Title")
    d.add_paragraph(doc.subtitle, style="Subtitle")
    for info in doc.info:
        d.add_paragraph(info)
    d.add_paragraph().add_run(STATEMENT).bold = True
    for blocks in doc.pages:
        first = True
        for b in blocks:
            if isinstance(b, Heading):
                p = d.add_heading(b.full, level=b.level)
            elif isinstance(b, Paragraph):
                p = d.add_paragraph(b.text)
            else:
                p = d.add_paragraph(b.caption, style="Caption")
                t = d.add_table(rows=len(b.rows), cols=len(b.rows[0]))
                t.style = "Table Grid"
                for ri, row in enumerate(b.rows):
                    for ci, cell in enumerate(row):
                        t.cell(ri, ci).text = cell
                        if ri == 0:
                            for r_ in t.cell(ri, ci).paragraphs[0].runs:
                                r_.bold = True
            if first:
                p.paragraph_format.page_break_before = True
                first = False
    buf = io.BytesIO()
    d.save(buf)
    return _rezip(buf.getvalue())


RENDERERS = {"pdf": _render_pdf, "docx": _render_docx, "txt": _render_txt, "md": _render_md}


def render_document(doc: Document) -> bytes:
    """The bytes of one laid-out document in its format."""
    return RENDERERS[doc.spec.fmt](doc)


# --- manifest, truth, README ----------------------------------------------------------------

def truth_entry(doc: Document) -> dict:
    paragraphs = []
    for nr, p in enumerate(doc.paragraphs, start=1):
        paragraphs.append({"nr": nr, "sida": p.sida, "text": p.text, "elements": list(p.elements),
                           "distraktor": p.distraktor})
    covered = sorted({e for p in doc.paragraphs for e in p.elements})
    return {"dokument_id": doc.spec.dokument_id, "elements": covered, "sidor": doc.n_pages,
            "paragraphs": paragraphs}


def manifest_text(specs: list[DocSpec]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(MANIFEST_COLUMNS)
    for s in specs:
        row = s.manifest_row()
        w.writerow([row[c] for c in MANIFEST_COLUMNS])
    return buf.getvalue()


def truth_text(seed: int, docs: list[Document]) -> str:
    truth = {"seed": int(seed), "documents": [truth_entry(d) for d in docs]}
    return json.dumps(truth, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def readme_text(seed: int, rus_pages: int, only_rus: bool, ids, docs: list[Document]) -> str:
    n_par = sum(len(d.paragraphs) for d in docs)
    n_dis = sum(1 for d in docs for p in d.paragraphs if p.distraktor)
    n_empty = sum(1 for d in docs for p in d.paragraphs if not p.elements and not p.distraktor)
    fmts = {f: sum(1 for d in docs if d.spec.fmt == f) for f in FORMATS}
    cmd = "python -m helpers.sample.corpus"
    if seed != DEFAULT_SEED:
        cmd += f" --seed {seed}"
    if rus_pages != DEFAULT_RUS_PAGES:
        cmd += f" --rus-pages {rus_pages}"
    if only_rus:
        cmd += " --only-rus"
    subset = "" if not ids else f"\nOnly these documents were generated: {', '.join(sorted(ids))}.\n"
    return f"""# Synthetic document corpus ({MARKER})

**Every document here is synthetic: invented text for testing the study's text analysis, not
a real strategy or report.** Regions, agencies and Tillväxtverket are named so that the
documents look like the real material, but every sentence, number and date was produced by a
template grammar and a random number generator. Each document says so on its title page
("{STATEMENT}"), and every PDF and .docx page carries "{MARKER}" in its running header.

| file | what it is |
|---|---|
| `manifest.csv` | one row per document: dokument_id, aktorsgrupp, aktor, dokumenttyp, ar, fil |
| `truth.json` | what was planted: the framework elements of every body paragraph |
| `{DOC_DIR}/` | the {len(docs)} documents ({fmts['pdf']} PDF, {fmts['docx']} .docx, {fmts['txt']} .txt, {fmts['md']} .md) |

## How it was made
```
{cmd}
```
The generator is `src/helpers/sample/corpus.py` (seed {seed}, numpy PCG64; RUS at least
{rus_pages} pages). Every document has its own random streams keyed by the seed and its id,
so the same seed gives byte-identical files, and a subset generated alone has the same bytes
as in the full corpus. `tests/test_sample_corpus.py` checks that these committed files equal
a fresh generation: do not edit them by hand, regenerate them.
{subset}
## What is in it
- 21 regional development strategies (RUS, `rus-LL`, PDF), one per county, adoption year as
  `ar`; the regions' yearly reports "Regionalt utvecklingsarbete" 2021–2024 (`rua-LL-YYYY`);
  the 13 agencies' reports "Statliga myndigheters medverkan" 2022–2024 (`smm-SLUG-YYYY`);
  Tillväxtverket's annual reports 2021–2024 (`tvv-ar-YYYY`). Reports are 3–12 pages.
- {n_par} body paragraphs: {n_par - n_dis - n_empty} cover one or more elements, {n_empty} are
  neutral filler and {n_dis} ({100 * n_dis / max(n_par, 1):.1f} %) are distractors.

## What is planted (truth.json)
`{{"seed", "documents": [{{"dokument_id", "elements", "sidor", "paragraphs": [{{"nr", "sida",
"text", "elements", "distraktor"}}]}}]}}`
- `elements` of a paragraph: the framework ids it covers (SO1–SO4.2, GF1–GF3, SU1–SU3,
  HB-EK, HB-SO, HB-MI, TP), sorted. A paragraph on a priority also covers its area (SO2.1 and
  SO2). A document's `elements` are those covered by at least one paragraph.
- `distraktor`: for a distractor paragraph, the element whose keyword it uses in another
  sense ("kapacitet" of a cooling unit or a hall, "lärande" of a machine-learning model,
  "samverkan" of two chemicals, "hållbart" of a floor, "klyftor" in a mountain, "service" of
  a car, transport of goods inside a factory, a salon called Innovation, ...); its
  `elements` are []. Otherwise null.
- `text` is the paragraph exactly as written, on one line, without hyphenation; `nr` counts
  body paragraphs from 1; `sida` is the page where the paragraph starts (PDF: the physical
  page; .docx and .txt: the page as delimited by page breaks / form feeds, the title page
  being page 1; .md has no pages, so `sida` is 1); `sidor` is the page count.
- Emphasis differs on purpose: county profiles (e.g. Norrbotten, Jämtland and Västerbotten
  heavy on accessibility (SO4) and the territorial perspective, Stockholm on innovation and
  internationalisation and light on SO4, Gävleborg on skills supply, Gotland on service and
  living environments), agency mandates (Trafikverket on transport, PTS on broadband, ...),
  per-document noise, and a drift over the years (GF3, SU1, HB-MI gain; SO4.1 loses).
- Headings, the table of contents, tables and their captions, running headers, footers and
  the title page are not paragraphs.

## What the files look like (for the intake)
- PDF (fpdf2, DejaVu Sans): page 1 is the title page; a RUS has a table of contents
  ("Innehåll", numbered entries with dotted leaders and right-aligned page numbers) on
  page 2. Every page has a running header (8 pt, grey, a rule below it) and a centred footer
  "Sida N av M". Headings are numbered ("3.2 Kompetensförsörjning"), bold, larger than the
  text. Body paragraphs are left-aligned, separated by an empty gap of almost a line; a
  paragraph may continue on the next page (then the last line before the break never ends a
  sentence). Long words are hyphenated at line ends with "-": a line ending in "-" is always
  such a break (suspended compounds like "klimat- och" are never split across lines), so
  join it to the next line without the hyphen. Every body paragraph ends with a full stop;
  headings, captions ("Tabell N. ..."), table cells, TOC lines, headers and footers never do.
- .docx: title page paragraphs (Title, Subtitle, two lines, the synthetic statement); every
  later page starts with a paragraph that has "page break before"; headings use the styles
  Heading 1–3, body paragraphs the Normal style, captions the Caption style above a real
  table. Header and footer (with a PAGE field) are in the section, not in the body.
- .txt: UTF-8, pages separated by a form feed (\\f); page 1 is the title block; blocks are
  separated by a blank line; paragraphs are wrapped at {TXT_WIDTH} characters without
  hyphenation; a table is one block starting with its caption "Tabell N.".
- .md: "# " title, then the title block (subtitle, information line, the synthetic
  statement) up to the first "## " heading; headings "## 1 ...", "### 1.1 ...",
  "#### 4.1.2 ..."; one paragraph per line; tables as pipe tables after a caption line.

## Real documents go elsewhere
Do not put real documents in this folder. The study reads its corpus from the manifest whose
path is set by `corpus_manifest` in `params.yaml` (a CSV of the same shape as `manifest.csv`,
with `fil` relative to the manifest's folder); point it at a manifest of the real documents,
kept elsewhere. This synthetic corpus is the default, used when no real corpus is given.
"""


_DOC_FILE = re.compile(r"(rus|rua|smm|tvv)_[\w]+\.(pdf|docx|txt|md)")


def plan_corpus(seed: int = DEFAULT_SEED, rus_pages: int = DEFAULT_RUS_PAGES, only_rus: bool = False,
                ids=None) -> list[Document]:
    """Every document composed and laid out (no bytes), in manifest order."""
    specs = document_specs(seed, only_rus)
    if ids is not None:
        wanted = set(ids)
        unknown = wanted - {s.dokument_id for s in specs}
        if unknown:
            raise ValueError(f"unknown document ids: {sorted(unknown)}")
        specs = [s for s in specs if s.dokument_id in wanted]
    return [build_document(s, seed, rus_pages) for s in specs]


def _write_bytes(path: Path, data: bytes) -> None:
    write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_corpus(out=None, seed: int = DEFAULT_SEED, rus_pages: int = DEFAULT_RUS_PAGES,
                 only_rus: bool = False, ids=None) -> dict:
    """Write the documents, manifest.csv, truth.json and README.md into out; return a summary.

    With ids, only those documents are written (with the same bytes as in the full corpus),
    and the manifest and truth list only them. Documents of an earlier run that are not in the
    new manifest are removed from out/dokument/."""
    if rus_pages < 1:
        raise ValueError("rus_pages must be at least 1")
    t0 = time.perf_counter()
    out = Path(out) if out is not None else resolve(DEFAULT_OUT)
    docs = plan_corpus(seed, rus_pages, only_rus, ids)
    total_bytes = 0
    for doc in docs:
        data = render_document(doc)
        total_bytes += len(data)
        _write_bytes(out / doc.spec.fil, data)
    keep = {Path(d.spec.fil).name for d in docs}
    for old in sorted((out / DOC_DIR).glob("*")):
        if old.is_file() and _DOC_FILE.fullmatch(old.name) and old.name not in keep:
            old.unlink()
    texts = {
        "manifest.csv": manifest_text([d.spec for d in docs]),
        "truth.json": truth_text(seed, docs),
        "README.md": readme_text(seed, rus_pages, only_rus, ids, docs),
    }
    for name, text in texts.items():
        data = text.encode("utf-8")
        total_bytes += len(data)
        _write_bytes(out / name, data)
    return {
        "out": str(out),
        "documents": len(docs),
        "pages": sum(d.n_pages for d in docs),
        "paragraphs": sum(len(d.paragraphs) for d in docs),
        "distractors": sum(1 for d in docs for p in d.paragraphs if p.distraktor),
        "bytes": total_bytes,
        "seconds": round(time.perf_counter() - t0, 2),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.sample.corpus",
                                     description="Write the synthetic document corpus (seeded, reproducible).")
    parser.add_argument("--out", default=None, help=f"folder to write (default {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed (default {DEFAULT_SEED})")
    parser.add_argument("--rus-pages", type=int, default=DEFAULT_RUS_PAGES,
                        help=f"least number of pages of each RUS (default {DEFAULT_RUS_PAGES})")
    parser.add_argument("--only-rus", action="store_true", help="write the 21 RUS only")
    parser.add_argument("--ids", default=None, help="comma-separated document ids: write only these")
    args = parser.parse_args(argv)
    ids = [i.strip() for i in args.ids.split(",") if i.strip()] if args.ids else None
    summary = write_corpus(args.out, args.seed, args.rus_pages, args.only_rus, ids)
    print(f"wrote {summary['documents']} documents ({summary['pages']} pages, {summary['paragraphs']} "
          f"paragraphs, {summary['distractors']} distractors, {summary['bytes']:,} bytes) to "
          f"{summary['out']} in {summary['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
