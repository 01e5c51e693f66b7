"""The verdicts of the conclusions stage: for each follow-up question and each actor group in
scope, a verdict (Ja, Delvis, Nej) drawn by a stated rule from the earlier stages' findings, and
the findings it rests on. Nothing here is typed by hand: change the evidence and the verdict
and its wording change with it.

The rules (thresholds as constants below):
- Questions 1, 3 and 4 (the reports): for each element of the question, the share of the actor
  group's reports of the last year that take it up. Ja when every element reaches HIGH, Nej when
  none reaches LOW, otherwise Delvis.
- Question 2a (the RUS, regions only): the share of RUS that take up every strategic area at
  least in part, in the experts' consensus. Ja from HIGH, Delvis from LOW, otherwise Nej; an area
  that no RUS takes up is named.
- Question 2b (the 1:1 funds, regions only): the share of the granted funds that carry one of
  the strategy's four areas rather than Annat. Ja from HIGH, Delvis from FUNDS_LOW, otherwise Nej.
Questions 2a and 2b concern the regions' strategies and funds; for the other groups the verdict
is "Ej tillämplig"."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..display import sv_number
from ..reference import label

HIGH = 75.0  # per cent
LOW = 25.0
FUNDS_LOW = 50.0
GROUPS = {"region": "Regionerna", "statlig_myndighet": "De statliga myndigheterna", "tillvaxtverket": "Tillväxtverket"}
QUESTIONS = {
    "1": "Har aktörerna genomfört insatser inom samverkan, lärande och kapacitet, och på vilket sätt?",
    "2a": "Har den nationella strategin varit vägledande för inriktningen av de regionala utvecklingsstrategierna?",
    "2b": "Har den nationella strategin varit vägledande för användningen av 1:1-medlen?",
    "3": "Hur har aktörerna tillämpat hållbarhet: det ekonomiska, sociala och miljömässiga perspektivet?",
    "4": "Hur har aktörerna tillämpat ett territoriellt perspektiv?",
}
ELEMENTS = {"1": ("GF1", "GF2", "GF3"), "3": ("HB-EK", "HB-SO", "HB-MI"), "4": ("TP",)}
SUBJECT = {"1": "samverkan, lärande och kapacitet", "3": "ekonomisk, social och miljömässig hållbarhet",
           "4": "ett territoriellt perspektiv"}
AREAS = ("SO1", "SO2", "SO3", "SO4")
VERDICTS = ("Ja", "Delvis", "Nej", "Underlag saknas", "Ej tillämplig")


class EvidenceError(ValueError):
    """A finding the conclusions need is missing or malformed."""


@dataclass(frozen=True)
class Verdict:
    fraga: str
    aktorsgrupp: str
    bedomning: str
    text: str
    belagg: tuple[str, ...] = field(default_factory=tuple)  # finding ids


def load_findings(paths) -> dict[str, dict]:
    """All findings by id, each with the stage it came from; a duplicate id is an error."""
    out: dict[str, dict] = {}
    for path in paths:
        path = Path(path)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            records = payload["fynd"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise EvidenceError(f"{path}: not a findings file ({exc})") from None
        for record in records:
            if record["id"] in out:
                raise EvidenceError(f"{path}: finding {record['id']} also comes from {out[record['id']]['steg']}")
            out[record["id"]] = {**record, "steg": payload.get("steg", path.stem)}
    return out


def _value(findings: dict, fid: str) -> float | None:
    record = findings.get(fid)
    if record is None:
        return None
    value = record["varde"]
    if not isinstance(value, (int, float)):
        raise EvidenceError(f"finding {fid}: expected a number, found {value!r}")
    return float(value)


def _level(values: list[float]) -> str:
    if all(v >= HIGH for v in values):
        return "Ja"
    if all(v < LOW for v in values):
        return "Nej"
    return "Delvis"


def _reports(findings: dict, question: str, group: str) -> Verdict:
    shares, cited, parts = [], [], []
    for element in ELEMENTS[question]:
        key = f"text.{group}.{element.lower()}"
        doc_id = next((fid for fid in sorted(findings, reverse=True)
                       if fid.startswith(f"{key}.dokument.")), None)
        if doc_id is None:
            continue
        share = _value(findings, doc_id)
        shares.append(share)
        cited.append(doc_id)
        parts.append(f"{label(element).lower()} {sv_number(share, 0)} %")
        for extra in (f"{key}.citat", f"{key}.forandring"):
            if extra in findings:
                cited.append(extra)
    if not shares:
        return Verdict(question, group, "Underlag saknas",
                       f"{GROUPS[group]}: det finns inga rapporter från gruppen i underlaget.", ())
    verdict = _level(shares)
    year = cited[0].rsplit(".", 1)[-1]
    lead = {"Ja": "tar upp", "Delvis": "tar delvis upp", "Nej": "tar i liten utsträckning upp"}[verdict]
    text = (f"{GROUPS[group]} {lead} {SUBJECT[question]} i sina rapporter. Andel av rapporterna {year} som "
            "tar upp " + ", ".join(parts) + ".")
    return Verdict(question, group, verdict, text, tuple(cited))


def _rus(findings: dict) -> Verdict:
    all_partly = _value(findings, "granskning.alla_omraden_minst_delvis")
    n_rus = _value(findings, "granskning.antal_rus")
    if all_partly is None or not n_rus:
        return Verdict("2a", "region", "Underlag saknas", "Regionerna: experternas granskning av RUS saknas.", ())
    share = 100.0 * all_partly / n_rus
    verdict = "Ja" if share >= HIGH else ("Delvis" if share >= LOW else "Nej")
    cited = ["granskning.alla_omraden_minst_delvis", "granskning.antal_rus"]
    missing, weakest = [], None
    for area in AREAS:
        fid = f"granskning.omrade.{area.lower()}.minst_delvis"
        count = _value(findings, fid)
        if count is None:
            continue
        cited.append(fid)
        if count == 0:
            missing.append(label(area))
        if weakest is None or count < weakest[1]:
            weakest = (area, count)
    text = (f"{sv_number(all_partly)} av {sv_number(n_rus)} RUS tar åtminstone delvis upp alla fyra strategiska "
            f"områden ({sv_number(share, 0)} %).")
    if missing:
        text += " Ingen RUS tar upp " + " eller ".join(m.lower() for m in missing) + "."
    elif weakest is not None:
        text += (f" Färst RUS tar upp {label(weakest[0]).lower()} ({sv_number(weakest[1])} av "
                 f"{sv_number(n_rus)}).")
    for fid in ("granskning.a2.hanvisning", "granskning.ej_tillforlitliga_fragor", "granskning.alfa_del_b"):
        if fid in findings:
            cited.append(fid)
    reliability = findings.get("granskning.alfa_del_b")
    if reliability is not None and float(reliability["varde"]) < 0.667:
        text += " Bedömarna är inte tillräckligt samstämmiga i del B för att slutsatsen ska vara säker."
    return Verdict("2a", "region", verdict, text, tuple(cited))


def _funds(findings: dict) -> Verdict:
    annat = _value(findings, "nyps.andel_annat_riket")
    if annat is None:
        return Verdict("2b", "region", "Underlag saknas", "Regionerna: NYPS-analysen saknas.", ())
    share = 100.0 - annat
    verdict = "Ja" if share >= HIGH else ("Delvis" if share >= FUNDS_LOW else "Nej")
    cited = ["nyps.andel_annat_riket", "nyps.total_riket"]
    areas = []
    for area in AREAS:
        fid = f"nyps.andel_{area.lower()}_riket"
        if fid in findings:
            cited.append(fid)
            areas.append((area, _value(findings, fid)))
    text = (f"{sv_number(share, 1)} procent av de beviljade 1:1-medlen är knutna till strategins fyra "
            f"strategiska områden; {sv_number(annat, 1)} procent redovisas som Annat.")
    if areas:
        top = max(areas, key=lambda a: a[1])
        text += f" Störst andel gick till {label(top[0]).lower()} ({sv_number(top[1], 1)} %)."
    for fid in ("nyps.forandring_riket", "nyps.spridning_so3"):
        if fid in findings:
            cited.append(fid)
    return Verdict("2b", "region", verdict, text, tuple(cited))


def verdicts(findings: dict) -> list[Verdict]:
    out = []
    for question in QUESTIONS:
        for group in GROUPS:
            if question in ("2a", "2b"):
                if group != "region":
                    out.append(Verdict(question, group, "Ej tillämplig",
                                       f"{GROUPS[group]}: frågan gäller regionernas strategier och medel.", ()))
                else:
                    out.append(_rus(findings) if question == "2a" else _funds(findings))
            else:
                out.append(_reports(findings, question, group))
    for v in out:
        missing = [fid for fid in v.belagg if fid not in findings]
        if missing:
            raise EvidenceError(f"verdict {v.fraga}/{v.aktorsgrupp} cites missing finding(s) {', '.join(missing)}")
    return out
