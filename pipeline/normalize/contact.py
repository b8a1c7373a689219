"""The reporter's e-mail address and phone number, checked for their shape (a warning: a unit may
write an unusual but working address).

Each check is written twice, in Python and as the Excel formula that tells the same thing in the
template (:mod:`pipeline.rules.conditions`); the two are kept side by side here so they agree.
"""

from __future__ import annotations

PHONE_MARKS = " .-()+,"  # separators a phone number is written with: 0227.383 1234, (0227) 3831234
PHONE_DIGITS = (9, 12)  # 9 (a mobile number whose leading 0 Excel dropped) to 12 (+84 and a landline)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if value is not None else ""


def email_ok(value: object) -> bool:
    """One ``@`` with something before it, a dot after the character that follows it, no space,
    not ending in a dot: ``ten@thaibinh.gov.vn``."""
    text = _text(value)
    if " " in text or text.count("@") != 1:
        return False
    at = text.index("@")
    return at > 0 and "." in text[at + 2 :] and not text.endswith(".")


def email_excel(x: str) -> str:
    """:func:`email_ok` as formula text over the cell reference ``x`` (1 when the shape is right)."""
    t = f"TRIM({x})"
    at = f'FIND("@",{t})'
    return (
        f'((ISERROR(FIND(" ",{t})))*((LEN({t})-LEN(SUBSTITUTE({t},"@","")))=1)'
        f'*(IFERROR({at},0)>1)*(ISNUMBER(IFERROR(FIND(".",{t},{at}+2),"")))*(RIGHT({t},1)<>"."))'
    )


def phone_digits(value: object) -> str:
    text = _text(value)
    for mark in PHONE_MARKS:
        text = text.replace(mark, "")
    return text


def phone_ok(value: object) -> bool:
    """Digits only once the separators are taken out, 9 to 12 of them."""
    digits = phone_digits(value)
    return digits.isascii() and digits.isdigit() and PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1]


def phone_excel(x: str) -> str:
    """:func:`phone_ok` as formula text over the cell reference ``x``: the text without its
    separators reads as a number (``--``) and has no exponent ``e``, so it is digits only."""
    d = f"TRIM({x})"
    for mark in PHONE_MARKS:
        d = f'SUBSTITUTE({d},"{mark}","")'
    low, high = PHONE_DIGITS
    return f'((LEN({d})>={low})*(LEN({d})<={high})*ISNUMBER(--{d})*ISERROR(SEARCH("e",{d})))'
