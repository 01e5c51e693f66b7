"""A seeded generator of synthetic yearly reports in the proposed format rapportformat/1.

The format is a proposal, so no real reports in it exist. This sample plays a pilot
2024–2026: the 21 regions, six state agencies and Tillväxtverket report each year, 84 files.
The text is short Swedish from phrase banks, the amounts are of a realistic size, and the
trends the study wants to follow are planted and recorded in ``truth.json``:

- the number of regions with lärande (GF3) entries rises: 8, 13, 18 of 21;
- samverkan (GF2) entries per agency rise by exactly one per agency and year;
- the number of regions with kapacitet (GF1) entries is flat: 14 of 21 each year;

together with the exact counts per actor group x year x dimension, computed from the drawn
numbers (not by reading the files back), so that ``helpers.reporting.followup`` can be tested
against them.

Randomness: one stream ``default_rng([seed, 0])`` for the planted subsets, and one stream per
report ``default_rng([seed, year, actor number])`` for its content, so a report's content does
not depend on the order of generation. JSON is written in the format's field order,
ensure_ascii=False, indent 2, trailing newline: the same seed gives the same bytes.

Run ``python -m helpers.sample.reports`` to rewrite the committed sample in
data/raw/sample/rapportformat/.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import reference
from ..files import write_text_atomic
from ..paths import resolve

DEFAULT_SEED = 20240601
DEFAULT_OUT = Path("data/raw/sample/rapportformat")
FORMAT = "rapportformat/1"
MARKER = "SYNTETISKA EXEMPELDATA"
SYNTHETIC_PREFIX = "[Syntetiskt] "  # every insats title carries it, so a stray file shows what it is
YEARS = (2024, 2025, 2026)

# Planted trends (number of regions of 21, per year).
REGIONS_WITH_LARANDE = {2024: 8, 2025: 13, 2026: 18}
REGIONS_WITH_KAPACITET = {2024: 14, 2025: 14, 2026: 14}
AGENCIES_WITH_LARANDE = 3  # of 6, each year
AGENCIES_WITH_KAPACITET = 2  # of 6, each year

# slug (file name), name, the priorities and areas of its mandate, cross-cutting elements
AGENCIES = (
    ("trafikverket", "Trafikverket", ("SO4.2", "SO4", "SO1.1"), ("TP", "HB-MI")),
    ("arbetsformedlingen", "Arbetsförmedlingen", ("SO2.1", "SO2.2", "SO2"), ("SU2", "HB-SO")),
    ("vinnova", "Vinnova", ("SO3.1", "SO3.4", "SO3.3"), ("HB-EK", "GF3")),
    ("boverket", "Boverket", ("SO1.1", "SO1.3", "SO1"), ("HB-SO", "TP")),
    ("energimyndigheten", "Energimyndigheten", ("SO3.3", "SO3"), ("SU1", "HB-MI")),
    ("jordbruksverket", "Jordbruksverket", ("SO1.2", "SO1.3", "SO3.3"), ("TP", "HB-MI")),
)
TVV = ("tillvaxtverket", "Tillväxtverket", ("SO3.2", "SO3.1", "SO1.2", "SO3"), ("GF1", "GF3", "TP"))
REGION_PRIORITIES = ("SO1.1", "SO1.2", "SO1.3", "SO2.1", "SO2.2", "SO3.1", "SO3.2", "SO3.3", "SO3.4",
                     "SO3.5", "SO4.1", "SO4.2")
REGION_CROSS = ("GF2", "HB-MI", "TP", "SU2", "HB-SO")
REGION_CROSS_P = (0.30, 0.25, 0.15, 0.10, 0.08)

# Insats titles by priority; {plats} is the county's short name or "hela landet", {omrade}
# "hela länet" or "hela landet".
RUBRIKER = {
    "SO1": ("Samordnad samhällsplanering i {plats}", "Service och livsmiljöer i {plats}"),
    "SO1.1": ("Regional fysisk planering i {plats}", "Stöd till kommunernas översiktsplanering",
              "Planeringsunderlag för bostadsförsörjning"),
    "SO1.2": ("Servicepunkter på landsbygden i {plats}", "Regional serviceplan – genomförande",
              "Stöd till kommersiell service i gles- och landsbygder"),
    "SO1.3": ("Attraktiva livsmiljöer i {plats}", "Kultur och fritid som kraft för utveckling",
              "Levande centrum i mindre orter"),
    "SO2": ("Kompetensförsörjning i {plats}", "Matchning på arbetsmarknaden"),
    "SO2.1": ("Regional kompetensplattform i {plats}", "Kompetensförsörjningsanalys för {plats}",
              "Branschråd för kompetensförsörjning"),
    "SO2.2": ("Lärcentrum i samverkan", "Validering och yrkesutbildning för vuxna",
              "Yrkeshögskoleutbildningar i {plats}"),
    "SO3": ("Företagsutveckling i {plats}", "Hållbar omställning i näringslivet"),
    "SO3.1": ("Smart specialisering i {plats}", "Innovationsstöd till små och medelstora företag",
              "Samordning av det regionala innovationssystemet"),
    "SO3.2": ("Kapitalförsörjning i tidiga skeden", "Företagsfrämjande i {plats}", "Stöd till nyföretagande"),
    "SO3.3": ("Cirkulär omställning i industrin", "Klimatsmart näringsliv i {plats}", "Biobaserade värdekedjor"),
    "SO3.4": ("Digitaliseringslyft för småföretag", "Digital mognad i offentlig sektor",
              "Testbädd för digitala tjänster"),
    "SO3.5": ("Exportfrämjande för små och medelstora företag", "Investeringsfrämjande i {plats}",
              "Internationalisering av näringslivet"),
    "SO4": ("Tillgänglighet i {plats}", "Digital och fysisk tillgänglighet"),
    "SO4.1": ("Bredbandsutbyggnad i {plats}", "Digital inkludering i landsbygder",
              "Regional bredbandskoordinering"),
    "SO4.2": ("Hållbara pendlingsstråk i {plats}", "Kollektivtrafik på landsbygden",
              "Godstransporter och logistik i {plats}"),
}
SYFTEN = {
    "SO1": ("Insatsen ska ge goda förutsättningar för boende, arbete och service i {omrade}.",
            "Syftet är att fler orter ska ha tillgång till grundläggande service."),
    "SO2": ("Insatsen ska förbättra matchningen mellan arbetsgivarnas behov och utbildningsutbudet.",
            "Syftet är att fler ska kunna vidareutbilda sig nära hemmet."),
    "SO3": ("Insatsen ska stärka företagens förmåga att förnya sig och växa.",
            "Syftet är fler innovativa företag och en snabbare hållbar omställning."),
    "SO4": ("Insatsen ska göra det lättare att resa och kommunicera i {omrade}.",
            "Syftet är kortare restider och bättre digital uppkoppling utanför tätorterna."),
}
TILLAGG = ("Insatsen genomförs tillsammans med kommunerna.", "Arbetet följs upp varje år.",
           "Insatsen fortsätter under nästa år.", "Erfarenheterna sprids till andra län.",
           "Näringslivet medverkar i styrgruppen.")
# By priority, else by area: name, unit, low, high (uniform; procent with one decimal).
INDIKATORER = {
    "SO1": (("Nya eller bevarade servicepunkter", "antal", 2, 15), ("Kommuner som deltagit", "antal", 2, 12)),
    "SO1.1": (("Kommuner som deltagit", "antal", 2, 12), ("Planeringsunderlag som tagits fram", "antal", 1, 8)),
    "SO1.2": (("Nya eller bevarade servicepunkter", "antal", 2, 15), ("Kommuner som deltagit", "antal", 2, 12)),
    "SO1.3": (("Kommuner som deltagit", "antal", 2, 12), ("Deltagare i aktiviteter", "antal", 100, 3000)),
    "SO2": (("Deltagare som fullföljt utbildning", "antal", 20, 400),
            ("Andel deltagare i arbete efter sex månader", "procent", 40, 85)),
    "SO3": (("Företag som fått stöd", "antal", 5, 120), ("Nya arbetstillfällen", "antal", 3, 80)),
    "SO4": (("Hushåll med tillgång till 1 Gbit/s", "procent", 70, 98),
            ("Nya hållplatser eller pendlarparkeringar", "antal", 1, 25)),
    "SO4.1": (("Hushåll med tillgång till 1 Gbit/s", "procent", 70, 98),
              ("Nyanslutna fastigheter", "antal", 50, 2000)),
    "SO4.2": (("Nya hållplatser eller pendlarparkeringar", "antal", 1, 25),
              ("Ökning av resor med kollektivtrafik", "procent", 1, 12)),
}
FINANSIERING = ("anslag_1_1", "eruf", "esf_plus", "egen", "annan")
# Median amount in kronor and sigma of its log, by actor group.
BELOPP = {"region": (2.5e6, 0.8), "statlig_myndighet": (12e6, 0.9), "tillvaxtverket": (40e6, 0.7)}

PARTNER_TYPER = ("statlig_myndighet", "region", "kommun", "naringsliv", "akademi", "civilsamhalle", "eu", "annan")
PARTNER_P = {
    "region": (0.25, 0.08, 0.25, 0.15, 0.15, 0.07, 0.03, 0.02),
    "statlig_myndighet": (0.20, 0.45, 0.10, 0.10, 0.10, 0.02, 0.02, 0.01),
    "tillvaxtverket": (0.25, 0.45, 0.05, 0.10, 0.05, 0.03, 0.05, 0.02),
}
PARTNER_NAMN = {
    "statlig_myndighet": ("Länsstyrelsen i {lan}", "Arbetsförmedlingen", "Trafikverket", "Tillväxtverket",
                          "Vinnova", "Myndigheten för yrkeshögskolan", "Post- och telestyrelsen"),
    "kommun": ("Kommunerna i {lan}", "Kommunernas näringslivskontor i {lan}"),
    "naringsliv": ("Företagarna {kort}", "Almi Företagspartner", "Branschorganisationer i {lan}",
                   "Besöksnäringens företag i {kort}"),
    "akademi": ("Lärosätena i {lan}", "RISE Research Institutes of Sweden", "Regionalt forskningscentrum i {kort}"),
    "civilsamhalle": ("Hela Sverige ska leva {kort}", "Studieförbunden i {lan}", "Byalag och lokala föreningar"),
    "eu": ("Europeiska kommissionen", "Interreg-programmets sekretariat", "Östersjöstrategins flaggskepp"),
    "annan": ("Nordiska ministerrådet", "Fylkeskommuner i Norge"),
}
FORMER = ("gemensamt_projekt", "natverk", "overenskommelse", "samrad", "finansiering")
FORM_TEXT = {
    "gemensamt_projekt": "Gemensamt projekt om {tema}.",
    "natverk": "Regelbundna nätverksträffar om {tema}.",
    "overenskommelse": "Skriftlig överenskommelse om samarbete kring {tema}.",
    "samrad": "Samråd om {tema} inför beslut.",
    "finansiering": "Gemensam finansiering av insatser för {tema}.",
}
TEMA = {"SO1": "service och livsmiljöer", "SO2": "kompetensförsörjning", "SO3": "innovation och företagande",
        "SO4": "transporter och digital infrastruktur"}
LARANDE_TYPER = ("utvardering", "uppfoljning", "analys", "forskning", "erfarenhetsutbyte")
LARANDE_P = (0.25, 0.30, 0.25, 0.05, 0.15)
LARANDE_TEXT = {
    "utvardering": "Extern utvärdering av arbetet med {tema}.",
    "uppfoljning": "Årlig uppföljning av den regionala utvecklingsstrategin med fokus på {tema}.",
    "analys": "Analys av {tema} i {plats}.",
    "forskning": "Forskningssamarbete om {tema} med ett lärosäte.",
    "erfarenhetsutbyte": "Erfarenhetsutbyte med andra aktörer om {tema}.",
}
ANVANDNING = ("Resultaten användes när handlingsplanen reviderades.",
              "Slutsatserna låg till grund för nya prioriteringar i budgeten.",
              "Resultaten presenterades för den politiska ledningen och styr nästa års insatser.",
              "Analysen används i dialogen med kommunerna.",
              "Rekommendationerna har förts in i verksamhetsplanen.")
ANVANDNING_EMPTY_P = 0.25
KAPACITET_TYPER = ("egen_organisation", "kommuner", "andra_aktorer")
KAPACITET_TEXT = {
    "egen_organisation": ("Förstärkning av den egna analysfunktionen.",
                          "Kompetensutveckling för handläggare om {tema}."),
    "kommuner": ("Processtöd till kommunernas näringslivsarbete.", "Stöd till kommunernas arbete med {tema}."),
    "andra_aktorer": ("Kapacitetsstöd till regionala aktörer inom {tema}.",
                      "Utbildning för projektägare om uppföljning."),
}


@dataclass
class Actor:
    number: int  # 1..28, keys the actor's random streams
    aktorsgrupp: str
    namn: str
    slug: str  # file name part: "region_24", "trafikverket", "tillvaxtverket"
    lan_kod: str = ""
    priorities: tuple[str, ...] = REGION_PRIORITIES
    cross: tuple[str, ...] = REGION_CROSS
    plats: str = "hela landet"
    lan: str = "länet"

    @property
    def omrade(self) -> str:
        return "hela länet" if self.aktorsgrupp == "region" else "hela landet"


@dataclass
class Plan:
    """What was drawn for one report, before any text: the truth is computed from this."""

    actor: Actor
    ar: int
    insatser: list[dict] = field(default_factory=list)
    samverkan: list[dict] = field(default_factory=list)
    larande: list[dict] = field(default_factory=list)
    kapacitet: list[dict] = field(default_factory=list)

    @property
    def fil(self) -> str:
        return f"{self.ar}_{self.actor.slug}.json"


def actors() -> list[Actor]:
    """The 21 regions (county order), the six agencies, Tillväxtverket."""
    out = []
    for c in reference.counties():
        out.append(Actor(len(out) + 1, "region", f"Region {c['lan_kort']}", f"region_{c['lan_kod']}",
                         lan_kod=c["lan_kod"], plats=c["lan_kort"], lan=c["lan"]))
    for slug, name, priorities, cross in AGENCIES:
        out.append(Actor(len(out) + 1, "statlig_myndighet", name, slug, priorities=priorities, cross=cross))
    slug, name, priorities, cross = TVV
    out.append(Actor(len(out) + 1, "tillvaxtverket", name, slug, priorities=priorities, cross=cross))
    return out


def _area(element_id: str) -> str:
    return element_id.split(".")[0]


def _choice(rng: np.random.Generator, options, p=None):
    return options[int(rng.choice(len(options), p=None if p is None else np.asarray(p) / np.sum(p)))]


def _planted(seed: int, regions: list[Actor], agencies: list[Actor]) -> dict:
    """The planted subsets and counts, from their own stream."""
    rng = np.random.default_rng([seed, 0])
    codes = [a.lan_kod for a in regions]
    slugs = [a.slug for a in agencies]
    out = {"larande": {}, "kapacitet": {}, "agency_larande": {}, "agency_kapacitet": {}}
    for year in YEARS:
        out["larande"][year] = set(rng.choice(codes, size=REGIONS_WITH_LARANDE[year], replace=False).tolist())
        out["kapacitet"][year] = set(rng.choice(codes, size=REGIONS_WITH_KAPACITET[year], replace=False).tolist())
        out["agency_larande"][year] = set(rng.choice(slugs, size=AGENCIES_WITH_LARANDE, replace=False).tolist())
        out["agency_kapacitet"][year] = set(rng.choice(slugs, size=AGENCIES_WITH_KAPACITET, replace=False).tolist())
    # Samverkan entries of an agency: its base (1-3) plus one more each year.
    out["agency_samverkan_base"] = {s: int(b) for s, b in zip(slugs, rng.integers(1, 4, size=len(slugs)).tolist())}
    return out


def _elements(rng: np.random.Generator, actor: Actor, first: str) -> list[str]:
    """An entry's element ids: `first`, maybe a priority of the actor, maybe a cross-cutting one."""
    ids = [first]
    if actor.aktorsgrupp == "region":
        for element_id, p in zip(REGION_CROSS, REGION_CROSS_P):
            if element_id not in ids and rng.random() < p:
                ids.append(element_id)
                break
    elif rng.random() < 0.4:
        extra = _choice(rng, actor.cross)
        if extra not in ids:
            ids.append(extra)
    return ids


def _plan_insats(rng: np.random.Generator, actor: Actor, number: int, year: int) -> dict:
    priority = _choice(rng, actor.priorities)
    area = _area(priority)
    median, sigma = BELOPP[actor.aktorsgrupp]
    amount = None
    if rng.random() >= 0.1:
        amount = int(max(50_000, round(median * float(np.exp(sigma * rng.standard_normal())), -4)))
    if actor.aktorsgrupp == "region":
        funding = [f for f, p in zip(FINANSIERING, (0.7, 0.35, 0.3 if area == "SO2" else 0.05, 0.5, 0.1))
                   if rng.random() < p] or ["anslag_1_1"]
    elif actor.aktorsgrupp == "tillvaxtverket":
        funding = ["anslag_1_1"] + (["eruf"] if rng.random() < 0.6 else [])
    else:
        funding = ["egen"] + (["annan"] if rng.random() < 0.2 else [])
    indicators = []
    bank = INDIKATORER.get(priority, INDIKATORER[area])
    for k in rng.permutation(len(bank))[: int(rng.integers(0, 3))].tolist():
        name, unit, low, high = bank[k]
        value = round(float(rng.uniform(low, high)), 1) if unit == "procent" else int(rng.integers(low, high + 1))
        indicators.append({"namn": name, "varde": value, "enhet": unit, "utfall_ar": year})
    return {
        "id": f"i{number}",
        "rubrik": _choice(rng, RUBRIKER[priority]),
        "element_ids": _elements(rng, actor, priority),
        "syfte": _choice(rng, SYFTEN[area]),
        "tillagg": _choice(rng, TILLAGG),
        "belopp_kr": amount,
        "finansiering": funding,
        "indikatorer": indicators,
    }


def _partner_name(rng: np.random.Generator, actor: Actor, kind: str, others: list[Actor]) -> str:
    if kind == "region":
        candidates = [a for a in others if a.aktorsgrupp == "region" and a.lan_kod != actor.lan_kod]
        return _choice(rng, candidates).namn
    name = _choice(rng, PARTNER_NAMN[kind])
    if actor.aktorsgrupp != "region" and ("{lan}" in name or "{kort}" in name):
        region = _choice(rng, [a for a in others if a.aktorsgrupp == "region"])
        return name.format(lan=region.lan, kort=region.plats)
    if kind == "statlig_myndighet" and name == actor.namn:
        return "Länsstyrelserna"
    return name.format(lan=actor.lan, kort=actor.plats)


def _plan_report(seed: int, actor: Actor, year: int, planted: dict, everyone: list[Actor]) -> Plan:
    rng = np.random.default_rng([seed, year, actor.number])
    plan = Plan(actor, year)
    group = actor.aktorsgrupp
    n_insatser = {"region": (3, 7), "statlig_myndighet": (2, 5), "tillvaxtverket": (3, 6)}[group]
    for number in range(1, int(rng.integers(*n_insatser)) + 1):
        plan.insatser.append(_plan_insats(rng, actor, number, year))

    if group == "region":
        n_samverkan = int(rng.integers(2, 6))
    elif group == "statlig_myndighet":
        n_samverkan = planted["agency_samverkan_base"][actor.slug] + (year - YEARS[0])
    else:
        n_samverkan = int(rng.integers(4, 7))
    p = np.array(PARTNER_P[group])
    if actor.lan_kod == "09":  # Gotland's municipality is the region itself
        p[PARTNER_TYPER.index("kommun")] = 0.0
    for _ in range(n_samverkan):
        kind = _choice(rng, PARTNER_TYPER, p)
        area = _area(_choice(rng, actor.priorities))
        plan.samverkan.append({
            "element_ids": ["GF2"] + ([area] if rng.random() < 0.6 else []),
            "partner_typ": kind, "partner": _partner_name(rng, actor, kind, everyone),
            "form": _choice(rng, FORMER), "tema": TEMA[area],
        })

    if group == "region":
        n_larande = 1 + int(rng.random() < 0.35) if actor.lan_kod in planted["larande"][year] else 0
        n_kapacitet = 1 + int(rng.random() < 0.4) if actor.lan_kod in planted["kapacitet"][year] else 0
    elif group == "statlig_myndighet":
        n_larande = 1 if actor.slug in planted["agency_larande"][year] else 0
        n_kapacitet = 1 if actor.slug in planted["agency_kapacitet"][year] else 0
    else:
        n_larande, n_kapacitet = 2, 1
    for _ in range(n_larande):
        area = _area(_choice(rng, actor.priorities))
        plan.larande.append({
            "element_ids": ["GF3"] + ([area] if rng.random() < 0.5 else []),
            "typ": _choice(rng, LARANDE_TYPER, LARANDE_P), "tema": TEMA[area],
            "anvandning": "" if rng.random() < ANVANDNING_EMPTY_P else _choice(rng, ANVANDNING),
        })
    for _ in range(n_kapacitet):
        area = _area(_choice(rng, actor.priorities))
        kind = "andra_aktorer" if group == "tillvaxtverket" else _choice(rng, KAPACITET_TYPER, (0.5, 0.35, 0.15))
        plan.kapacitet.append({
            "element_ids": ["GF1"] + ([area] if rng.random() < 0.3 else []),
            "typ": kind, "text": _choice(rng, KAPACITET_TEXT[kind]), "tema": TEMA[area],
            "arsarbetskrafter": float(rng.integers(1, 13)) / 2,
        })
    return plan


def plan_sample(seed: int = DEFAULT_SEED) -> list[Plan]:
    """Every report's draws, by year then actor."""
    everyone = actors()
    regions = [a for a in everyone if a.aktorsgrupp == "region"]
    agencies = [a for a in everyone if a.aktorsgrupp == "statlig_myndighet"]
    planted = _planted(seed, regions, agencies)
    return [_plan_report(seed, actor, year, planted, everyone) for year in YEARS for actor in everyone]


def render(plan: Plan) -> dict:
    """The report as the format's JSON object, fields in the format's order."""
    actor = plan.actor
    aktor = {"aktorsgrupp": actor.aktorsgrupp, "namn": actor.namn}
    if actor.lan_kod:
        aktor["lan_kod"] = actor.lan_kod
    insatser = []
    for i in plan.insatser:
        entry = {"id": i["id"], "rubrik": SYNTHETIC_PREFIX + i["rubrik"].format(plats=actor.plats),
                 "element_ids": i["element_ids"],
                 "beskrivning": f"{i['syfte'].format(omrade=actor.omrade)} {i['tillagg']}"}
        if i["belopp_kr"] is not None:
            entry["belopp_kr"] = i["belopp_kr"]
        entry["finansiering"] = i["finansiering"]
        if i["indikatorer"]:
            entry["indikatorer"] = i["indikatorer"]
        insatser.append(entry)
    samverkan = [{"element_ids": s["element_ids"], "partner_typ": s["partner_typ"], "partner": s["partner"],
                  "form": s["form"], "beskrivning": FORM_TEXT[s["form"]].format(tema=s["tema"])}
                 for s in plan.samverkan]
    larande = []
    for entry in plan.larande:
        out = {"element_ids": entry["element_ids"], "typ": entry["typ"],
               "beskrivning": LARANDE_TEXT[entry["typ"]].format(tema=entry["tema"], plats=actor.plats)}
        if entry["anvandning"]:
            out["anvandning"] = entry["anvandning"]
        larande.append(out)
    kapacitet = [{"element_ids": k["element_ids"], "typ": k["typ"], "beskrivning": k["text"].format(tema=k["tema"]),
                  "arsarbetskrafter": k["arsarbetskrafter"]} for k in plan.kapacitet]
    return {"format": FORMAT, "aktor": aktor, "ar": plan.ar, "insatser": insatser, "samverkan": samverkan,
            "larande": larande, "kapacitet": kapacitet}


def report_text(plan: Plan) -> str:
    return json.dumps(render(plan), ensure_ascii=False, indent=2) + "\n"


def truth(seed: int, plans: list[Plan]) -> dict:
    """The planted truth, from the draws: counts per aktorsgrupp x ar x dimension and more."""
    groups = ("region", "statlig_myndighet", "tillvaxtverket")
    counts = []
    money = []
    for group in groups:
        for year in YEARS:
            members = [p for p in plans if p.actor.aktorsgrupp == group and p.ar == year]
            for dimension in ("samverkan", "larande", "kapacitet"):
                entries = [getattr(p, dimension) for p in members]
                counts.append({
                    "aktorsgrupp": group, "ar": year, "dimension": dimension, "aktorer": len(members),
                    "aktorer_med_poster": sum(1 for e in entries if e), "poster": sum(len(e) for e in entries),
                    "partnertyper_summa": (sum(len({s["partner_typ"] for s in e}) for e in entries)
                                           if dimension == "samverkan" else None),
                })
            money.append({"aktorsgrupp": group, "ar": year, "insatser": sum(len(p.insatser) for p in members),
                          "belopp_kr": sum(i["belopp_kr"] or 0 for p in members for i in p.insatser),
                          "indikatorer": sum(len(i["indikatorer"]) for p in members for i in p.insatser)})

    def n_with(group: str, dimension: str, year: int) -> int:
        return next(c["aktorer_med_poster"] for c in counts
                    if (c["aktorsgrupp"], c["dimension"], c["ar"]) == (group, dimension, year))

    def n_entries(group: str, dimension: str, year: int) -> int:
        return next(c["poster"] for c in counts
                    if (c["aktorsgrupp"], c["dimension"], c["ar"]) == (group, dimension, year))

    return {
        "marker": MARKER,
        "seed": int(seed),
        "format": FORMAT,
        "ar": list(YEARS),
        "filer": [p.fil for p in plans],
        "antal": counts,
        "insatser": money,
        "planterade_trender": {
            "larande_regioner_med_poster": {
                "beskrivning": "Antalet regioner (av 21) med minst en post om lärande (GF3) ökar varje år.",
                "varden": {str(y): n_with("region", "larande", y) for y in YEARS},
            },
            "samverkan_poster_per_myndighet": {
                "beskrivning": "Varje statlig myndighet rapporterar en samverkanspost (GF2) mer för varje år.",
                "varden": {str(y): round(n_entries("statlig_myndighet", "samverkan", y) / len(AGENCIES), 4)
                           for y in YEARS},
            },
            "kapacitet_regioner_med_poster": {
                "beskrivning": "Antalet regioner (av 21) med minst en post om kapacitet (GF1) är detsamma varje år.",
                "varden": {str(y): n_with("region", "kapacitet", y) for y in YEARS},
            },
        },
    }


def readme_text(seed: int, plans: list[Plan]) -> str:
    cmd = "python -m helpers.sample.reports" + ("" if seed == DEFAULT_SEED else f" --seed {seed}")
    return f"""# Synthetic yearly reports in rapportformat/1 ({MARKER})

**These files are SYNTHETIC. They are not reports from any region, agency or Tillväxtverket.**
The actors are named so that the sample looks like the real reporting, but every entry,
text, partner, amount and indicator value was invented by a random number generator and
short phrase banks. Every insats title begins with `{SYNTHETIC_PREFIX.strip()}`.

The format itself is the study's proposal for structured yearly reporting (see
`docs/rapportformat.md` and `data/reference/rapportformat.schema.json`); no real report in
this format exists yet. The sample plays a pilot {YEARS[0]}–{YEARS[-1]}.

| file | what it is |
|---|---|
| `YYYY_region_LL.json` | a region's report for year YYYY (LL = county code) |
| `YYYY_<myndighet>.json` | a state agency's report (trafikverket, arbetsformedlingen, vinnova, boverket, energimyndigheten, jordbruksverket) |
| `YYYY_tillvaxtverket.json` | Tillväxtverket's report |
| `truth.json` | what was planted, for the tests and for checking results |

{len(plans)} reports: 21 regions, 6 agencies and Tillväxtverket, each year {YEARS[0]}–{YEARS[-1]}.

## How it was made
```
{cmd}
```
The generator is `src/helpers/sample/reports.py` (seed {seed}, numpy PCG64). The same seed
gives byte-identical files, and `tests/test_sample_reports.py` checks that these committed
files equal a fresh generation: do not edit them by hand, regenerate them.

## What is planted (truth.json)
- Regions with at least one lärande (GF3) entry: {REGIONS_WITH_LARANDE[2024]}, {REGIONS_WITH_LARANDE[2025]}
  and {REGIONS_WITH_LARANDE[2026]} of 21 in {YEARS[0]}, {YEARS[1]} and {YEARS[2]} (rising).
- Samverkan (GF2) entries per state agency: each agency reports one entry more each year
  (rising); regions report 2–5 a year, Tillväxtverket 4–6.
- Regions with at least one kapacitet (GF1) entry: {REGIONS_WITH_KAPACITET[2024]} of 21 every year (flat).
- `antal`: for every aktorsgrupp x ar x dimension (samverkan, larande, kapacitet): aktorer,
  aktorer_med_poster, poster and, for samverkan, partnertyper_summa (distinct partner types
  summed over the actors). `insatser`: insatser, total belopp_kr and indicators per
  aktorsgrupp x ar. All computed from the generator's draws, not by reading the files.

## Real reports go elsewhere
Do not put real reports in this folder. Reports in this format hold data about organisations
only (no contact persons, no e-mail addresses): the format does not allow other fields.
"""


def write_sample(out=None, seed: int = DEFAULT_SEED) -> dict:
    """Write the reports, truth.json and README.md into out; validate each report first.
    Report files of an earlier run that are not in the new sample are removed."""
    from ..reporting.schema import validate_report

    out = Path(out) if out is not None else resolve(DEFAULT_OUT)
    plans = plan_sample(seed)
    texts = {}
    for plan in plans:
        validate_report(render(plan), plan.fil)  # a generator bug must not reach the sample
        texts[plan.fil] = report_text(plan)
    texts["truth.json"] = json.dumps(truth(seed, plans), ensure_ascii=False, indent=2) + "\n"
    texts["README.md"] = readme_text(seed, plans)
    for name, text in texts.items():
        write_text_atomic(out / name, text)
    for old in sorted(out.glob("20[0-9][0-9]_*.json")):
        if old.name not in texts:
            old.unlink()
    return {"out": str(out), "reports": len(plans)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.sample.reports",
        description="Write synthetic yearly reports in rapportformat/1 (seeded, reproducible).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed (default {DEFAULT_SEED})")
    parser.add_argument("--out", default=None, help=f"folder to write (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    summary = write_sample(args.out, args.seed)
    print(f"wrote {summary['reports']} reports, truth.json and README.md to {summary['out']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
