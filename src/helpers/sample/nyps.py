"""A seeded generator of a synthetic NYPS2020 project export, shaped like a Diver CSV.

No real NYPS export is public, so the study ships this one. It has the mess a real export
has (Swedish number formats, county as code, full or short name, spelling variants of the
strategic areas, cases spanning several rows, personal data columns) plus a handful of
planted bad rows, and it records what it planted in a "truth" dict, so that the intake and
the analysis can be tested against known answers.

Everything is drawn from ``numpy.random.Generator(PCG64(seed))`` in a fixed order and
formatted without locale, time or hash-order dependence: the same seed gives the same
bytes. Numbers are drawn column-wise and formatted in chunks, so a million rows are cheap.

Run ``python -m helpers.sample.nyps`` to rewrite the committed sample in data/raw/sample/.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from .. import reference
from ..paths import resolve

DEFAULT_SEED = 20210101
DEFAULT_ROWS = 6000
MARKER = "SYNTETISKA EXEMPELDATA"
MIN_ROWS = 100
HEADER_ROW = 3  # spreadsheet row of the header: preamble, empty line, header
DEFAULT_OUT = Path("data/raw/sample/nyps_export.csv")

HEADER = [
    "Ärende", "Beslutsår", "Stödtyp", "Län", "Kommun", "Strategiskt område", "Prioritering",
    "Resultatkedja", "Projektnamn", "Stödmottagare", "Kontaktperson", "E-post",
    "Beviljat belopp", "Utbetalt belopp", "Startdatum", "Slutdatum",
]
(C_ARENDE, C_AR, C_STODTYP, C_LAN, C_KOMMUN, C_OMRADE, C_PRIO, C_RK, C_NAMN, C_MOTTAGARE,
 C_KONTAKT, C_EPOST, C_BEVILJAT, C_UTBETALT, C_START, C_SLUT) = range(len(HEADER))
_QUOTE_COLUMNS = (C_NAMN, C_MOTTAGARE)  # the only columns whose text can hold ; or "

YEARS = np.arange(2018, 2026)
YEAR_P = np.array([0.11, 0.12, 0.13, 0.13, 0.13, 0.13, 0.13, 0.12])
STODTYPER = ("PROJ", "FTG", "KS")
STODTYP_P = np.array([0.78, 0.14, 0.08])
AREAS = (*reference.AREA_IDS, reference.ANNAT)  # draw categories, index 0..4
I_ANNAT = 4
DRIFT_CENTRE = 2022
# Per-year log drift of each area's weight (SO1, SO2, SO3, SO4, ANNAT): SO3 and SO2 gain,
# SO4 and Annat lose over the period.
AREA_DRIFT = np.array([0.0, 0.04, 0.05, -0.10, -0.06])
AREA_CONCENTRATION = 60.0
AREA_MEAN_DEFAULT = (0.17, 0.15, 0.42, 0.10, 0.16)
# Planted regional profiles (means of the per-county Dirichlet draw).
AREA_MEAN = {
    "01": (0.08, 0.14, 0.62, 0.03, 0.13),  # metropolitan: innovation heavy
    "03": (0.10, 0.14, 0.54, 0.06, 0.16),
    "12": (0.10, 0.14, 0.56, 0.05, 0.15),
    "14": (0.10, 0.15, 0.55, 0.06, 0.14),
    "07": (0.14, 0.14, 0.38, 0.06, 0.28),  # much Annat
    "08": (0.18, 0.14, 0.34, 0.08, 0.26),
    "09": (0.30, 0.12, 0.28, 0.16, 0.14),  # island: services and accessibility
    "17": (0.16, 0.22, 0.38, 0.12, 0.12),
    "20": (0.18, 0.22, 0.36, 0.12, 0.12),
    "21": (0.16, 0.24, 0.36, 0.10, 0.14),  # skills heavy
    "22": (0.18, 0.14, 0.34, 0.20, 0.14),
    "23": (0.22, 0.12, 0.26, 0.30, 0.10),  # sparsely populated north: accessibility heavy
    "24": (0.15, 0.13, 0.32, 0.28, 0.12),
    "25": (0.14, 0.12, 0.28, 0.34, 0.12),
}
# Rows per county: population ** 0.55, times a boost where the appropriation is larger per
# head, times some noise.
COUNTY_BOOST = {"01": 0.6, "09": 1.5, "17": 1.3, "20": 1.3, "21": 1.3,
                "22": 1.8, "23": 1.8, "24": 1.8, "25": 1.8}
ANNAT_P = np.array([0.12, 0.18, 0.22, 0.18, 0.30])  # order of reference.annat_values()

PRIORITY_P = {
    "SO1": (0.25, 0.35, 0.40),
    "SO2": (0.60, 0.40),
    "SO3": (0.30, 0.30, 0.15, 0.12, 0.13),
    "SO4": (0.65, 0.35),
}
# Amount medians in kronor: PROJ by area, FTG and KS flat; sigma of log.
PROJ_MEDIAN = np.array([1.2e6, 1.5e6, 2.0e6, 2.5e6, 0.8e6])
FTG_MEDIAN, KS_MEDIAN = 3.5e5, 7.0e4
# Paid out by decision year 2018..2025: share left empty, beta(a, b) of the paid share,
# share paid in full.
PAID_EMPTY = np.array([0.02, 0.02, 0.03, 0.05, 0.10, 0.25, 0.50, 0.80])
PAID_A = np.array([12.0, 12.0, 12.0, 10.0, 5.0, 4.0, 2.0, 1.5])
PAID_B = np.array([1.2, 1.2, 1.2, 1.5, 2.0, 2.5, 4.0, 5.0])
PAID_FULL = np.array([0.35, 0.35, 0.35, 0.25, 0.12, 0.05, 0.0, 0.0])

BAD_KINDS = ("okant_lan", "belopp_ej_tal", "beslutsar_saknas", "arende_saknas",
             "negativt_belopp", "okand_stodtyp", "okant_omrade", "fel_prioritering")

KOMMUNER = {
    "01": ("Stockholm", "Södertälje", "Norrtälje", "Nacka", "Huddinge"),
    "03": ("Uppsala", "Enköping", "Östhammar", "Tierp"),
    "04": ("Eskilstuna", "Nyköping", "Katrineholm", "Strängnäs"),
    "05": ("Linköping", "Norrköping", "Motala", "Finspång"),
    "06": ("Jönköping", "Värnamo", "Gislaved", "Nässjö"),
    "07": ("Växjö", "Ljungby", "Älmhult", "Markaryd"),
    "08": ("Kalmar", "Västervik", "Oskarshamn", "Vimmerby"),
    "09": ("Gotland",),
    "10": ("Karlskrona", "Karlshamn", "Ronneby", "Sölvesborg"),
    "12": ("Malmö", "Helsingborg", "Lund", "Kristianstad", "Ystad"),
    "13": ("Halmstad", "Varberg", "Falkenberg", "Kungsbacka"),
    "14": ("Göteborg", "Borås", "Trollhättan", "Skövde", "Uddevalla"),
    "17": ("Karlstad", "Arvika", "Kristinehamn", "Torsby"),
    "18": ("Örebro", "Karlskoga", "Lindesberg", "Hallsberg"),
    "19": ("Västerås", "Köping", "Sala", "Fagersta"),
    "20": ("Falun", "Borlänge", "Mora", "Malung-Sälen", "Ludvika"),
    "21": ("Gävle", "Sandviken", "Hudiksvall", "Bollnäs", "Ljusdal"),
    "22": ("Sundsvall", "Härnösand", "Örnsköldsvik", "Kramfors", "Sollefteå"),
    "23": ("Östersund", "Åre", "Strömsund", "Härjedalen", "Krokom"),
    "24": ("Umeå", "Skellefteå", "Lycksele", "Storuman", "Vilhelmina"),
    "25": ("Luleå", "Piteå", "Kiruna", "Gällivare", "Jokkmokk", "Arjeplog"),
}

RESULTATKEDJOR = {
    "SO1": ("Attraktiva livsmiljöer", "Tillgång till service", "Hållbar samhällsplanering"),
    "SO2": ("Kompetensförsörjning", "Utbildning och livslångt lärande", "Matchning på arbetsmarknaden"),
    "SO3": ("Innovation", "Entreprenörskap och företagande", "Kapitalförsörjning",
            "Internationalisering", "Hållbar omställning", "Digitalisering"),
    "SO4": ("Bredband och digital tillgänglighet", "Transporter och tillgänglighet"),
    "ANNAT": ("Kapacitet för regionalt utvecklingsarbete", "Övrigt"),
}
RK_EMPTY_P = 0.12

# Project name themes; "{ort}" is the municipality. PROJ themes follow the area.
TEMAN_PROJ = {
    "SO1": ("Levande landsbygd i {ort}", "Servicepunkter på landsbygden kring {ort}",
            "Attraktiva boendemiljöer i {ort}", "Samhällsplanering för växande orter",
            "Kultur och livsmiljö i {ort}", "Lokal service 2.0"),
    "SO2": ("Kompetenslyft inom industrin i {ort}", "Regional kompetensplattform",
            "Validering och yrkesutbildning", "Lärcentrum på distans i {ort}",
            "Matchning och kompetensförsörjning"),
    "SO3": ("Innovationsarena för livsmedel", "Smart specialisering inom skog och trä",
            "Företagsutveckling i besöksnäringen", "Cirkulär omställning i tillverkningsindustrin",
            "Digitaliseringslyft för småföretag i {ort}", "Exportfrämjande för små och medelstora företag",
            "Testbädd för vätgas i {ort}", "Inkubator för nya företag i {ort}",
            'Projekt "Grön industri {ort}"'),
    "SO4": ("Bredband till alla i {ort}", "Digital inkludering", "Hållbara pendlingsstråk kring {ort}",
            "Kollektivtrafik på landsbygden", "Godstransporter och logistik"),
    "ANNAT": ("Interregionalt samarbete", "Genomförande av regional utvecklingsstrategi",
              "Kapacitetsförstärkning i {ort}", "Analys och uppföljning",
              "Nordiskt samarbete; förstudie"),
}
TEMAN_FTG = ("Investering i ny produktionslinje", "Marknadsutveckling", "Konsultcheck för digitalisering",
             "Innovationscheck", "Regionalt investeringsstöd i {ort}")
TEMAN_KS = ("Hemsändningsbidrag {ort}", "Investeringsstöd till dagligvarubutik i {ort}",
            "Särskilt driftstöd", "Servicelösning för {ort}")
NAMN_SUFFIX = ("", "", "", "", " – etapp 2", " (förstudie)", " – genomförande")

FORNAMN = ("Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sara", "Per",
           "Lena", "Mikael", "Emma", "Björn", "Ida", "Göran", "Elin", "Åsa", "Oskar", "Märta")
EFTERNAMN = ("Exempelsson", "Testström", "Provander", "Fiktivsson", "Påhittsdotter",
             "Låtsasberg", "Demolin", "Mallqvist", "Provsson", "Skenlund", "Dummyström",
             "Attrappberg", "Övningsdal", "Fantasiqvist")
MOTTAGARE = {
    "PROJ": ("{ort} Näringslivscenter AB", "Föreningen Framtid {ort}", "{ort} Innovationsnod ek. för.",
             "Högskolecentrum {ort}", "{kort} Testbädd AB", "Regionförbundet Exempel {kort}",
             "Utvecklingsrådet i {ort}", 'Stiftelsen "Nya {ort}"'),
    "FTG": ("{efternamn}s Mekaniska AB", "{ort} Trä & Design AB", "Nordexempel Foods AB",
            "{efternamn} Konsult AB", "Testfabriken i {ort} AB", "{kort} Smide; Service AB"),
    "KS": ("{ort} Lanthandel AB", "Byakassen i {ort} ek. för.", "Handlarn {efternamn} HB"),
}


def _ascii(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "Å": "a", "Ä": "a", "Ö": "o"})
    return text.translate(table).lower()


def _variants(main: str, known: tuple[str, ...], first_p: float) -> tuple[list[str], np.ndarray]:
    """Display texts of one label with their probabilities: official, known variants,
    trailing space, doubled space."""
    texts, probs = [], []
    for i, v in enumerate(known):
        texts.append(v)
        probs.append(first_p if i == 0 else 0.02)
    texts += [main + " ", main.replace(" ", "  ", 1)]
    probs += [0.02, 0.015]
    return [main, *texts], np.array([1.0 - sum(probs), *probs])


class _Tables:
    """Lookup tables of display text, built once per call from reference.py."""

    def __init__(self) -> None:
        self.counties = reference.counties()
        self.codes = [c["lan_kod"] for c in self.counties]
        # County display: full name, two-digit code, code without leading zero, short name.
        self.county_text = []
        for c in self.counties:
            self.county_text += [c["lan"], c["lan_kod"], str(int(c["lan_kod"])), c["lan_kort"]]
        self.kommun = []
        self.kommun_offset = np.zeros(len(self.codes), dtype=np.int64)
        self.kommun_count = np.zeros(len(self.codes), dtype=np.int64)
        for i, code in enumerate(self.codes):
            self.kommun_offset[i] = len(self.kommun)
            self.kommun_count[i] = len(KOMMUNER[code])
            self.kommun += list(KOMMUNER[code])
        self.kommun_county = np.repeat(np.arange(len(self.codes)), self.kommun_count)
        self.lan_kort = [c["lan_kort"] for c in self.counties]

        # Area display texts: index 0 is the empty cell (2018).
        self.area_text = [""]
        self.area_variant_start, self.area_variant_cum = [], []
        by_id = {r["id"]: r for r in reference.elements("strategiskt_omrade")}
        for a in reference.AREA_IDS:
            row = by_id[a]
            first_p = 0.15 if a == "SO4" else 0.12
            texts, p = _variants(row["etikett"], row["varianter"], first_p)
            self.area_variant_start.append(len(self.area_text))
            self.area_variant_cum.append(np.cumsum(p))
            self.area_text += texts
        self.annat_labels = reference.annat_values()
        self.annat_text_start = []
        for lab in self.annat_labels:  # official 97 %, trailing space 3 %
            self.annat_text_start.append(len(self.area_text))
            self.area_text += [lab, lab + " "]
        self.area_unknown = len(self.area_text)
        self.area_text.append("Hållbar turism")

        # Priority display texts: index 0 empty.
        self.prio_ids = [r["id"] for r in reference.elements("prioritering")]
        self.prio_text = [""]
        self.prio_variant_start, self.prio_variant_cum = [], []
        for r in reference.elements("prioritering"):
            texts = [r["etikett"], *r["varianter"], r["etikett"] + " "]
            p = [0.05] * len(r["varianter"]) + [0.02]
            self.prio_variant_start.append(len(self.prio_text))
            self.prio_variant_cum.append(np.cumsum([1.0 - sum(p), *p]))
            self.prio_text += texts
        self.prio_by_area = {a: [i for i, r in enumerate(reference.elements("prioritering"))
                                 if r["overordnad"] == a] for a in reference.AREA_IDS}
        for a, p in PRIORITY_P.items():
            if len(p) != len(self.prio_by_area[a]):
                raise reference.ReferenceError(f"{a}: expected {len(p)} priorities in the framework")

        self.rk_text = [""]
        self.rk_start, self.rk_count = [], []
        for a in AREAS:
            self.rk_start.append(len(self.rk_text))
            self.rk_count.append(len(RESULTATKEDJOR[a]))
            self.rk_text += list(RESULTATKEDJOR[a])

        self.theme = []
        self.theme_start_proj, self.theme_count_proj = [], []
        for a in AREAS:
            self.theme_start_proj.append(len(self.theme))
            self.theme_count_proj.append(len(TEMAN_PROJ[a]))
            self.theme += list(TEMAN_PROJ[a])
        self.theme_start_ftg = len(self.theme)
        self.theme += list(TEMAN_FTG)
        self.theme_start_ks = len(self.theme)
        self.theme += list(TEMAN_KS)

        self.recipient = []
        self.recipient_start, self.recipient_count = [], []
        for s in STODTYPER:
            self.recipient_start.append(len(self.recipient))
            self.recipient_count.append(len(MOTTAGARE[s]))
            self.recipient += list(MOTTAGARE[s])

        self.fornamn_ascii = [_ascii(f) for f in FORNAMN]
        self.efternamn_ascii = [_ascii(e) for e in EFTERNAMN]


def _pick(rng: np.random.Generator, cum: np.ndarray, n: int) -> np.ndarray:
    """n draws from a categorical distribution given by its cumulative probabilities."""
    return np.minimum(np.searchsorted(cum / cum[-1], rng.random(n), side="right"), len(cum) - 1)


def _pick_rows(rng: np.random.Generator, table: np.ndarray, group: np.ndarray) -> np.ndarray:
    """One categorical draw per row, from the probabilities table[group[row]] (k columns)."""
    cum = np.cumsum(table, axis=-1)
    cum = (cum / cum[..., -1:]).reshape(-1, table.shape[-1])
    u = rng.random(len(group))
    out = np.empty(len(group), dtype=np.int8)
    for start in range(0, len(group), 65536):  # in blocks, to keep the n x k temporaries small
        sl = slice(start, start + 65536)
        hits = (u[sl, None] >= cum[group[sl]]).sum(axis=1)
        out[sl] = np.minimum(hits, table.shape[-1] - 1)
    return out


def _round4(x: float) -> float:
    return float(round(float(x), 4))


def _draw_cases(rng: np.random.Generator, n_rows: int, t: _Tables) -> dict:
    """Case-level draws (one entry per case, compact dtypes), sorted by year and case id."""
    multi = rng.random(n_rows) < 0.10
    extra = _pick(rng, np.cumsum([0.6, 0.3, 0.1]), n_rows) + 2
    counts = np.where(multi, extra, 1).astype(np.int32)
    del multi, extra
    ends = np.cumsum(counts)
    n_cases = int(np.searchsorted(ends, n_rows)) + 1
    counts = counts[:n_cases].copy()
    counts[-1] -= int(ends[n_cases - 1] - n_rows)
    del ends
    n_counties = len(t.codes)

    c = {"counts": counts.astype(np.int8)}
    c["year_i"] = _pick(rng, np.cumsum(YEAR_P), n_cases).astype(np.int8)
    stodtyp = _pick(rng, np.cumsum(STODTYP_P), n_cases).astype(np.int8)
    stodtyp[(stodtyp == 2) & (counts > 1)] = 0  # commercial service support: one row per case
    c["stodtyp"] = stodtyp

    pop = np.array([row["folkmangd_2023"] for row in t.counties], dtype=float)
    boost = np.array([COUNTY_BOOST.get(code, 1.0) for code in t.codes])
    county_w = pop ** 0.55 * boost * np.exp(rng.normal(0.0, 0.2, n_counties))
    county = _pick(rng, np.cumsum(county_w), n_cases).astype(np.int8)
    c["county"] = county
    c["county_fmt"] = _pick(rng, np.cumsum([0.80, 0.05, 0.05, 0.10]), n_cases).astype(np.int8)
    c["kommun"] = (t.kommun_offset[county] + np.floor(
        rng.random(n_cases) ** 1.6 * t.kommun_count[county]).astype(np.int64)).astype(np.int16)
    c["kommun_empty"] = rng.random(n_cases) < 0.02

    # Case ids: decision year followed by 4 (or more, for big exports) random digits.
    case_id = np.zeros(n_cases, dtype=np.int64)
    for yi, year in enumerate(YEARS):
        idx = np.flatnonzero(c["year_i"] == yi)
        digits = 4
        while 9 * 10 ** (digits - 1) < 3 * len(idx):
            digits += 1
        nums = rng.choice(9 * 10 ** (digits - 1), size=len(idx), replace=False) + 10 ** (digits - 1)
        case_id[idx] = int(year) * 10 ** digits + nums
    c["case_id"] = case_id

    c["suffix"] = _pick(rng, np.cumsum(np.ones(len(NAMN_SUFFIX))), n_cases).astype(np.int8)
    c["recipient"] = (np.array(t.recipient_start)[stodtyp] + np.floor(
        rng.random(n_cases) * np.array(t.recipient_count)[stodtyp]).astype(np.int64)).astype(np.int16)
    c["recipient_surname"] = rng.integers(0, len(EFTERNAMN), n_cases, dtype=np.int8)
    c["first"] = rng.integers(0, len(FORNAMN), n_cases, dtype=np.int8)
    c["last"] = rng.integers(0, len(EFTERNAMN), n_cases, dtype=np.int8)
    c["email_style"] = _pick(rng, np.cumsum([0.70, 0.15, 0.11, 0.04]), n_cases).astype(np.int8)  # 3: empty
    c["email_num"] = rng.integers(2, 10, n_cases, dtype=np.int8)
    c["contact_empty"] = rng.random(n_cases) < 0.03
    c["start_off"] = rng.integers(-45, 331, n_cases, dtype=np.int16)
    dur_lo = np.array([180, 90, 30])[stodtyp]
    dur_hi = np.array([1100, 730, 365])[stodtyp]
    c["duration"] = (dur_lo + np.floor(rng.random(n_cases) * (dur_hi - dur_lo))).astype(np.int16)

    # Sort cases as an export would list them: by decision year, then case id.
    order = np.lexsort((case_id, c["year_i"]))
    return {k: v[order] for k, v in c.items()}


def _draw_amounts(rng: np.random.Generator, stod: np.ndarray, area: np.ndarray, multi: np.ndarray,
                  year_i: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Granted and paid amounts in öre (int64; paid -1 where the cell is empty)."""
    n = len(stod)
    proj, ftg = stod == 0, stod == 1
    # Granted: log-normal by support type, a heavier tail for projects.
    z = rng.normal(0.0, 1.0, n)
    tail = np.where(rng.random(n) < 0.04, np.exp(rng.normal(1.0, 0.5, n)), 1.0)
    kr = np.select([proj, ftg], [PROJ_MEDIAN[area], FTG_MEDIAN], KS_MEDIAN)
    kr *= np.exp(np.select([proj, ftg], [1.0, 0.9], 0.7) * z)
    del z
    kr *= np.where(proj, tail, 1.0) * np.where(multi, 0.6, 1.0)
    del tail
    kr = np.clip(kr, np.select([proj, ftg], [5e4, 2e4], 5e3), np.select([proj, ftg], [2e8, 3e7], 1.5e6))
    rounding = rng.random(n)
    granted = np.where(rounding < 0.35, np.round(kr / 1000.0) * 100000.0,
                       np.where(rounding < 0.85, np.round(kr) * 100.0, np.round(kr * 100.0)))
    granted = granted.astype(np.int64)
    del kr, rounding

    # Paid out: later decision years are less paid and more often empty.
    empty = rng.random(n) < PAID_EMPTY[year_i]
    share = rng.beta(PAID_A[year_i], PAID_B[year_i])
    share[rng.random(n) < PAID_FULL[year_i]] = 1.0
    over = rng.random(n) < np.where(YEARS[year_i] <= 2022, 0.03, 0.01)
    share[over] = 1.0 + rng.random(n)[over] * 0.04
    with_ore = rng.random(n) < 0.2
    share *= granted
    paid = np.where(with_ore, np.floor(share), np.floor(share / 100.0) * 100.0).astype(np.int64)
    paid[empty] = -1
    return granted, paid


def _draw(n_rows: int, seed: int, t: _Tables) -> dict:
    """Every random choice of the export, column-wise, plus the bad rows and the truth."""
    if n_rows < MIN_ROWS:
        raise ValueError(f"n_rows must be at least {MIN_ROWS}, got {n_rows}")
    rng = np.random.Generator(np.random.PCG64(seed))
    n_counties = len(t.codes)
    c = _draw_cases(rng, n_rows, t)
    n_cases = len(c["counts"])

    # --- rows ---------------------------------------------------------------------------
    case_of_row = np.repeat(np.arange(n_cases, dtype=np.int32), c["counts"].astype(np.int64))
    r_year_i = c["year_i"][case_of_row]
    r_year = YEARS[r_year_i].astype(np.int16)
    r_stod = c["stodtyp"][case_of_row]
    r_county = c["county"][case_of_row]
    r_multi = c["counts"][case_of_row] > 1
    is2018 = r_year == 2018
    ks = r_stod == 2

    # Area weights per county (planted), drifting over the years.
    means = np.array([AREA_MEAN.get(code, AREA_MEAN_DEFAULT) for code in t.codes])
    means = means / means.sum(axis=1, keepdims=True)
    weights = np.array([rng.dirichlet(AREA_CONCENTRATION * m) for m in means])
    drift = np.exp(np.outer(YEARS - DRIFT_CENTRE, AREA_DRIFT))  # years x areas
    probs_cy = weights[:, None, :] * drift[None, :, :]
    area = _pick_rows(rng, probs_cy, r_county.astype(np.int64) * len(YEARS) + r_year_i)
    # Business aid leans to SO3; commercial service support is SO1 (mostly priority SO1.2).
    area[(r_stod == 1) & (rng.random(n_rows) < 0.6)] = 2
    ks_area = _pick(rng, np.cumsum([0.85, 0.07, 0.08]), n_rows)  # SO1, SO3, ANNAT
    area[ks] = np.array([0, 2, I_ANNAT])[ks_area[ks]]
    del ks_area

    annat_w = np.array([rng.dirichlet(30.0 * ANNAT_P) for _ in t.codes])
    annat = _pick_rows(rng, annat_w, r_county)
    annat[ks] = 3  # Övrigt

    # Priority (index into t.prio_ids, -1 empty).
    prio = np.full(n_rows, -1, dtype=np.int8)
    u = rng.random(n_rows)
    for ai, a in enumerate(reference.AREA_IDS):
        m = area == ai
        cum = np.cumsum(PRIORITY_P[a])
        local = np.minimum(np.searchsorted(cum / cum[-1], u[m], side="right"), len(cum) - 1)
        prio[m] = np.array(t.prio_by_area[a])[local]
    ks_so1 = ks & (area == 0)
    prio[ks_so1] = t.prio_ids.index("SO1.2")
    empty_p = np.where(r_year <= 2020, 0.30, 0.07)
    empty_p[ks_so1] = 0.08
    prio[rng.random(n_rows) < empty_p] = -1
    del empty_p, ks_so1
    prio[(area == I_ANNAT) | is2018] = -1

    # Display text indexes for area and priority.
    u = rng.random(n_rows)
    area_txt = np.zeros(n_rows, dtype=np.int16)
    for ai in range(4):
        m = area == ai
        cum = t.area_variant_cum[ai]
        area_txt[m] = t.area_variant_start[ai] + np.minimum(
            np.searchsorted(cum / cum[-1], u[m], side="right"), len(cum) - 1)
    m = area == I_ANNAT
    area_txt[m] = np.array(t.annat_text_start)[annat[m]] + (u[m] < 0.03)
    area_txt[is2018] = 0
    u = rng.random(n_rows)
    prio_txt = np.zeros(n_rows, dtype=np.int16)
    for pi in range(len(t.prio_ids)):
        m = prio == pi
        cum = t.prio_variant_cum[pi]
        prio_txt[m] = t.prio_variant_start[pi] + np.minimum(
            np.searchsorted(cum / cum[-1], u[m], side="right"), len(cum) - 1)

    u = rng.random(n_rows)
    rk = (np.array(t.rk_start)[area] + np.floor(u * np.array(t.rk_count)[area])).astype(np.int16)
    rk[rng.random(n_rows) < RK_EMPTY_P] = 0
    del u, m

    # Project theme: from the first row's area (PROJ), or the support type.
    stodtyp = c["stodtyp"]
    case_area = area[np.cumsum(c["counts"], dtype=np.int64) - c["counts"]]
    theme_u = rng.random(n_cases)
    c["theme"] = np.where(
        stodtyp == 0,
        np.array(t.theme_start_proj)[case_area]
        + np.floor(theme_u * np.array(t.theme_count_proj)[case_area]).astype(np.int64),
        np.where(stodtyp == 1,
                 t.theme_start_ftg + np.floor(theme_u * len(TEMAN_FTG)).astype(np.int64),
                 t.theme_start_ks + np.floor(theme_u * len(TEMAN_KS)).astype(np.int64))).astype(np.int16)
    del case_area, theme_u

    granted, paid = _draw_amounts(rng, r_stod, area, r_multi, r_year_i)
    sep = _pick(rng, np.cumsum([0.55, 0.40, 0.05]), n_rows).astype(np.int8)  # space, NBSP, none
    show_ore = rng.random(n_rows) < 0.06  # whole kronor written with ",00"

    # --- planted bad rows: single-row PROJ cases of 2019+ with an SO area ----------------
    cand = np.flatnonzero(~r_multi & (r_stod == 0) & ~is2018 & (area < 4))
    if len(cand) < len(BAD_KINDS):
        raise ValueError(f"too few rows ({n_rows}) to plant the bad rows")
    bad_pos = np.sort(rng.choice(cand, size=len(BAD_KINDS), replace=False))
    del cand
    kinds = [BAD_KINDS[i] for i in rng.permutation(len(BAD_KINDS))]
    overrides: dict[int, dict[int, str]] = {}
    bad_rows = []
    for pos, kind in zip(bad_pos.tolist(), kinds):
        g = int(granted[pos])
        amount: float | None = g / 100.0
        if kind == "okant_lan":
            ov = {C_LAN: "Okänt län"}
        elif kind == "belopp_ej_tal":
            ov = {C_BEVILJAT: "se bilaga", C_UTBETALT: ""}
            amount = None
        elif kind == "beslutsar_saknas":
            ov = {C_AR: ""}
        elif kind == "arende_saknas":
            ov = {C_ARENDE: ""}
        elif kind == "negativt_belopp":
            granted[pos] = -g
            paid[pos] = -1
            amount = -g / 100.0
            ov = {}
        elif kind == "okand_stodtyp":
            ov = {C_STODTYP: "XYZ"}
        elif kind == "okant_omrade":
            ov = {C_OMRADE: "Hållbar turism", C_PRIO: ""}
        else:  # fel_prioritering: a priority of the next area
            other = reference.AREA_IDS[(int(area[pos]) + 1) % 4]
            ov = {C_PRIO: reference.label(t.prio_ids[t.prio_by_area[other][0]])}
        overrides[pos] = ov
        bad_rows.append({"rad": pos + HEADER_ROW + 1, "fel": kind, "beviljat_belopp": amount})

    # --- truth over the good rows ---------------------------------------------------------
    good = np.ones(n_rows, dtype=bool)
    good[bad_pos] = False
    omrade = np.where(is2018, I_ANNAT, area).astype(np.int64)
    key = (r_county.astype(np.int64) * len(AREAS) + omrade) * len(YEARS) + r_year_i
    del omrade
    sums = np.zeros(n_counties * len(AREAS) * len(YEARS), dtype=np.int64)
    np.add.at(sums, key[good], granted[good])
    present = np.zeros(len(sums), dtype=bool)
    present[key[good]] = True
    del key
    lan_omrade_ar = []
    for k in np.flatnonzero(present).tolist():
        ci, rest = divmod(k, len(AREAS) * len(YEARS))
        ai, yi = divmod(rest, len(YEARS))
        lan_omrade_ar.append({"lan_kod": t.codes[ci], "omrade_id": AREAS[ai],
                              "beslut_ar": int(YEARS[yi]), "beviljat": round(int(sums[k]) / 100.0, 2)})
    lan_omrade_ar.sort(key=lambda d: (d["lan_kod"], d["omrade_id"], d["beslut_ar"]))

    annat_sel = good & (area == I_ANNAT) & ~is2018 & (r_year >= 2021) & (r_year <= 2024)
    annat_sums = np.zeros(len(t.annat_labels), dtype=np.int64)
    np.add.at(annat_sums, annat[annat_sel], granted[annat_sel])
    g_paid = paid[good]
    truth = {
        "seed": int(seed),
        "n_rows": int(n_rows),
        "marker": MARKER,
        "header_row": HEADER_ROW,
        "bad_rows": bad_rows,
        "accepted": {
            "rows": int(good.sum()),
            "cases": int(len(np.unique(c["case_id"][case_of_row[good]]))),
            "beviljat_total": round(int(granted[good].sum()) / 100.0, 2),
            "utbetalt_total": round(int(g_paid[g_paid >= 0].sum()) / 100.0, 2),
        },
        "beviljat_lan_omrade_ar": lan_omrade_ar,
        "annat_varden": {lab: round(int(s) / 100.0, 2) for lab, s in zip(t.annat_labels, annat_sums.tolist())},
        "omradesvikter": {code: {a: _round4(w) for a, w in zip(AREAS, weights[i])}
                          for i, code in enumerate(t.codes)},
        "omradesdrift": {
            "beskrivning": "vikt(län, år) proportionell mot omradesvikter[län] * exp(drift * (år - 2022)); "
                           "gäller PROJ och FTG (av FTG dras 60 % till SO3), KS är mest SO1/SO1.2",
            "drift": {a: float(d) for a, d in zip(AREAS, AREA_DRIFT)},
        },
    }
    del g_paid, good, annat_sel
    return {
        "n_rows": n_rows, "cases": c, "case_of_row": case_of_row, "year_i": r_year_i,
        "stodtyp": r_stod, "area_txt": area_txt, "prio_txt": prio_txt, "rk": rk,
        "granted": granted, "paid": paid, "sep": sep, "show_ore": show_ore,
        "overrides": overrides, "truth": truth,
    }


_SEPS = (" ", "\u00a0", "")


def _amounts(values: list[int], seps: list[int], show: list[bool]) -> list[str]:
    out = []
    for v, s, sh in zip(values, seps, show):
        if v == -1:
            out.append("")
            continue
        kr, ore = divmod(abs(v), 100)
        text = f"{kr:,}".replace(",", _SEPS[s])
        if ore or sh:
            text = f"{text},{ore:02d}"
        out.append("-" + text if v < 0 else text)
    return out


def _case_texts(c: dict, t: _Tables, cases: slice) -> list[list[str]]:
    """Texts that belong to the case: kommun, project name, recipient, contact, e-mail, dates."""
    kommun_idx = c["kommun"][cases].tolist()
    kommun_names = [t.kommun[k] for k in kommun_idx]
    county_idx = [int(t.kommun_county[k]) for k in kommun_idx]
    names = ["[Syntetiskt] " + t.theme[th].replace("{ort}", k) + NAMN_SUFFIX[s]
             for th, k, s in zip(c["theme"][cases].tolist(), kommun_names, c["suffix"][cases].tolist())]
    recipients = [t.recipient[r].replace("{ort}", k).replace("{kort}", t.lan_kort[ci])
                  .replace("{efternamn}", EFTERNAMN[sn])
                  for r, k, ci, sn in zip(c["recipient"][cases].tolist(), kommun_names, county_idx,
                                          c["recipient_surname"][cases].tolist())]
    contacts, emails = [], []
    for f, l, st, num, empty in zip(c["first"][cases].tolist(), c["last"][cases].tolist(),
                                    c["email_style"][cases].tolist(), c["email_num"][cases].tolist(),
                                    c["contact_empty"][cases].tolist()):
        if empty:
            contacts.append("")
            emails.append("")
            continue
        contacts.append(f"{FORNAMN[f]} {EFTERNAMN[l]}")
        fa, la = t.fornamn_ascii[f], t.efternamn_ascii[l]
        if st == 0:
            emails.append(f"{fa}.{la}@exempel.se")
        elif st == 1:
            emails.append(f"{fa[0]}.{la}@exempel.se")
        elif st == 2:
            emails.append(f"{fa}.{la}{num}@exempel.se")
        else:
            emails.append("")
    kommun_cells = ["" if e else k for k, e in zip(kommun_names, c["kommun_empty"][cases].tolist())]
    year = YEARS[c["year_i"][cases]].astype(np.int64)
    start_d = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + c["start_off"][cases].astype(np.int64)
    end_d = start_d + c["duration"][cases].astype(np.int64)
    county_cells = [t.county_text[k] for k in
                    (c["county"][cases].astype(np.int64) * 4 + c["county_fmt"][cases]).tolist()]
    return [[str(x) for x in c["case_id"][cases].tolist()], county_cells, kommun_cells, names,
            recipients, contacts, emails, np.datetime_as_string(start_d, unit="D").tolist(),
            np.datetime_as_string(end_d, unit="D").tolist()]


def _chunk_columns(plan: dict, t: _Tables, start: int, stop: int) -> list[list[str]]:
    """The export's cells for rows start..stop, as one list per column."""
    case_rows = plan["case_of_row"][start:stop]
    first_case = int(case_rows[0])
    local = (case_rows - first_case).tolist()
    (ids, county, kommun, names, recipients, contacts, emails, starts, ends) = _case_texts(
        plan["cases"], t, slice(first_case, int(case_rows[-1]) + 1))
    sl = slice(start, stop)
    seps = plan["sep"][sl].tolist()
    show = plan["show_ore"][sl].tolist()
    year_text = [str(y) for y in YEARS]
    cols = [
        [ids[i] for i in local],
        [year_text[y] for y in plan["year_i"][sl].tolist()],
        [STODTYPER[s] for s in plan["stodtyp"][sl].tolist()],
        [county[i] for i in local],
        [kommun[i] for i in local],
        [t.area_text[a] for a in plan["area_txt"][sl].tolist()],
        [t.prio_text[p] for p in plan["prio_txt"][sl].tolist()],
        [t.rk_text[r] for r in plan["rk"][sl].tolist()],
        [names[i] for i in local],
        [recipients[i] for i in local],
        [contacts[i] for i in local],
        [emails[i] for i in local],
        _amounts(plan["granted"][sl].tolist(), seps, show),
        _amounts(plan["paid"][sl].tolist(), seps, show),
        [starts[i] for i in local],
        [ends[i] for i in local],
    ]
    for pos, ov in plan["overrides"].items():
        if start <= pos < stop:
            for col, text in ov.items():
                cols[col][pos - start] = text
    return cols


def _quote(cell: str) -> str:
    if ";" in cell or '"' in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _preamble(n_rows: int, seed: int) -> str:
    return (f"{MARKER} – inte verkliga uppgifter ur NYPS2020. Skapad av helpers.sample.nyps "
            f"med seed {seed} och {n_rows} rader.")


def generate(n_rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> tuple[list[str], list[list[str]], dict]:
    """header (display headers), rows (cells as the export's text), truth (planted truth, JSON-able)"""
    t = _Tables()
    plan = _draw(n_rows, seed, t)
    cols = _chunk_columns(plan, t, 0, n_rows)
    rows = [list(r) for r in zip(*cols)]
    return list(HEADER), rows, plan["truth"]


CHUNK = 50_000


def write_export(path, n_rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED, truth_path=None) -> dict:
    """Write the export (UTF-8 with BOM, ';', CRLF) and optionally its truth as JSON; return the truth."""
    t = _Tables()
    plan = _draw(n_rows, seed, t)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff" + _preamble(n_rows, seed) + "\r\n\r\n" + ";".join(HEADER) + "\r\n")
        for start in range(0, n_rows, CHUNK):
            cols = _chunk_columns(plan, t, start, min(start + CHUNK, n_rows))
            for c in _QUOTE_COLUMNS:
                cols[c] = [_quote(x) for x in cols[c]]
            fh.write("".join(";".join(r) + "\r\n" for r in zip(*cols)))
    truth = plan["truth"]
    if truth_path is not None:
        truth_path = Path(truth_path)
        truth_path.parent.mkdir(parents=True, exist_ok=True)
        with truth_path.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(json.dumps(truth, ensure_ascii=False, sort_keys=True, indent=2) + "\n")
    return truth


def truth_path_for(path) -> Path:
    """data/raw/sample/nyps_export.csv -> data/raw/sample/nyps_export.truth.json"""
    p = Path(path)
    return p.with_name(p.stem + ".truth.json")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.sample.nyps",
                                     description="Write a synthetic NYPS2020 export (seeded, reproducible).")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"data rows (default {DEFAULT_ROWS})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed (default {DEFAULT_SEED})")
    parser.add_argument("--out", default=None, help=f"CSV to write (default {DEFAULT_OUT})")
    parser.add_argument("--truth", default=None, help="truth JSON (default: next to --out, .truth.json)")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else resolve(DEFAULT_OUT)
    truth_path = Path(args.truth) if args.truth else truth_path_for(out)
    truth = write_export(out, args.rows, args.seed, truth_path)
    print(f"wrote {out} ({truth['n_rows']} rows, {len(truth['bad_rows'])} planted bad rows) and {truth_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
