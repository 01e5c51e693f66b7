"""Personal data in free text is removed; numbers that only look like one are kept."""
import numpy as np
import pandas as pd
import pytest

from helpers.privacy import REMOVED_EMAIL, REMOVED_NAME, REMOVED_NUMBER, luhn_ok, redact, redact_series


@pytest.mark.parametrize("number", ["811218-9876", "19811218-9876", "8112189876", "121212-1212", "811278-9873"])
def test_valid_personal_numbers_are_removed(number):
    # 811218-9876 and 121212-1212 are Skatteverket's published test numbers; 811278 is a
    # samordningsnummer (day + 60)
    assert redact(f"Firma {number} AB") == f"Firma {REMOVED_NUMBER} AB"


@pytest.mark.parametrize("text", [
    "Org.nr 556036-0793",      # an organisation number: month 60 is not a birth month
    "perioden 2021-2030",      # years
    "beslut 20210315",         # a date without the four digits
    "811218-9875",             # wrong check digit
    "diarienummer 2023-00123",
])
def test_lookalikes_stay(text):
    assert redact(text) == text


def test_email_and_labelled_contact_names():
    text = "Kontaktperson: Anna-Karin Öberg, anna-karin.oberg@region-x.se. Handläggare: Per Svensson."
    assert redact(text) == (f"Kontaktperson: {REMOVED_NAME}, {REMOVED_EMAIL}. Handläggare: {REMOVED_NAME}.")


def test_luhn_by_hand():
    # weights 2,1,2,1,... on 811218987 give 16,1,2,2,2,8,18,8,14; digit sums 7+1+2+2+2+8+9+8+5 = 44,
    # so the check digit is 6 (44 + 6 = 50)
    assert luhn_ok("8112189876") and not luhn_ok("8112189875")


def test_series_keeps_missing_values_and_non_text():
    values = np.array(["Projekt i Kiruna", None, "Enskild firma 811218-9876", "x@y.se"], dtype=object)
    got = redact_series(values)
    assert got.tolist() == ["Projekt i Kiruna", None, f"Enskild firma {REMOVED_NUMBER}", REMOVED_EMAIL]
    assert redact_series(pd.Series([1.5, "a@b.se"])).tolist() == [1.5, REMOVED_EMAIL]
