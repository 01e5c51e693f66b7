"""Personal data in free text. Columns that hold personal data (contact persons, e-mail) are
dropped at intake by allowlist; this module cleans the free text the study keeps — project
names, document passages, experts' comments — of what can be recognised in it: e-mail
addresses, Swedish personal identity numbers (personnummer and samordningsnummer) and a name
after a contact label ("Kontaktperson: Anna Andersson"). A name elsewhere in running text
cannot be told from a place or an organisation, which is why whole columns go first."""
from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# YYMMDD-NNNN, YYYYMMDD-NNNN, with '-', '+' or nothing between; day 01-31 or 61-91 (samordningsnummer)
PERSONAL_NUMBER = re.compile(
    r"(?<![\d-])(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+]?\d{4}(?![\d-])")
CONTACT = re.compile(
    r"\b((?:[Kk]ontakt(?:person)?|[Hh]andläggare|[Ff]rågor besvaras av|[Uu]ppgiftslämnare)\s*:\s*)"
    r"[A-ZÅÄÖÉ][\w'-]+(?:\s+[A-ZÅÄÖÉ][\w'-]+){0,3}")

REMOVED_EMAIL = "[e-post borttagen]"
REMOVED_NUMBER = "[personnummer borttaget]"
REMOVED_NAME = "[namn borttaget]"


def luhn_ok(digits: str) -> bool:
    """The personnummer check digit (Luhn over the last ten digits)."""
    ten = digits[-10:]
    total = 0
    for i, ch in enumerate(ten):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _number(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return REMOVED_NUMBER if luhn_ok(digits) else match.group(0)


def redact(text):
    """The text with e-mail addresses, valid personal identity numbers and labelled contact
    names replaced; anything that is not a string is returned as it is."""
    if not isinstance(text, str) or not text:
        return text
    text = EMAIL.sub(REMOVED_EMAIL, text)
    text = PERSONAL_NUMBER.sub(_number, text)
    return CONTACT.sub(lambda m: m.group(1) + REMOVED_NAME, text)


_SUSPECT = re.compile(r"@|\d{6}|:")


def redact_series(values):
    """A pandas Series of text, redacted (missing values kept). Only values that could hold
    something to remove (an '@', six digits in a row, a ':') go through the full patterns, found
    with Arrow's vectorised regex, so a million project names cost well under a second."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pd.Series(values, dtype=object)
    try:
        strings = pa.array(values.to_numpy(object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: check each value as it is
        return values.map(redact)
    suspect = np.asarray(pc.match_substring_regex(strings, _SUSPECT.pattern).fill_null(False), dtype=bool)
    if not suspect.any():
        return values
    out = values.copy()
    out[suspect] = values[suspect].map(redact)
    return out
