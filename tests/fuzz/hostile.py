"""Values an attacker types into any field: the shapes that broke the service in issue 15's attack pass.

Digits of other scripts (``²`` passes ``str.isdigit`` but not ``int``), CR/LF (header splitting),
lone surrogates (JSON only: no form encoding can carry them), NUL, nesting 10,000 deep (recursive
readers), numbers beyond any column, and texts beyond any column. ``FORM_TEXT`` and ``JSON_VALUE``
mix them with ordinary text so that every field of every form and API body meets them.
"""
from __future__ import annotations

from hypothesis import strategies as st

from tests.fuzz.support import text

NON_ASCII_DIGITS = ("²", "³", "¹", "١٢", "١", "１２", "߂", "৩", "٠", "๓", "᠑", "٣٫٥", "Ⅻ", "⑦", "1_000", "+-1", "0x10",
                    "1e")
LINE_BREAKS = ("a\r\nb", "\r\n", "\n", "\r", "/dashboard\r\nSet-Cookie: x=1", "x\u2028y", "\x0b", "\x7f", "\x85")
NUMBERS = ("99999999999999999999999", "-99999999999999999999999", "2147483648", "9" * 40, "-1", "0", "1e309",
           "1e21", "NaN", "inf", "-0", "00001", " 7 ")
LONG = ("x" * 201, "x" * 255, "x" * 2001, "é" * 300, "@" * 300 + "@x.nhs.uk", "x" * 20_000)
NESTED = ("[" * 10_000 + "]" * 10_000, "{a: " * 2_000 + "1" + "}" * 2_000, "- " * 3_000 + "x",
          "x0: &x0 [1, 1, 1]\nx1: &x1 [*x0, *x0, *x0]\nx2: [*x1, *x1, *x1]\n")
ODD = ("\x00", "a\x00b", "\ufeff", "<script>alert(1)</script>", "' OR 1=1 --", "=cmd|' /C calc'!A0", "x;=1+1",
       "../../etc/passwd", "%00", "%0d%0a", "\\\\evil", "//evil.example", "🏥" * 50)
SURROGATES = ("\ud800", "\ud800x", "x\udfff", "\udbff\udbff")

#: Every value above that a form can carry, in one flat list (Hypothesis spreads its draws over a flat list best).
ALL_FORM_VALUES = NON_ASCII_DIGITS + LINE_BREAKS + NUMBERS + LONG + NESTED + ODD

#: The attack pass's values, one class at a time (each class is drawn as often as the others).
ATTACK = st.one_of(*(st.sampled_from(values) for values in (NON_ASCII_DIGITS, LINE_BREAKS, NUMBERS, LONG, NESTED,
                                                            ODD)))

#: Anything a browser can send in a form field or query string: mostly the attack pass's values.
FORM_TEXT = st.one_of(ATTACK, ATTACK, ATTACK, ATTACK, text, st.integers(-(10**25), 10**25).map(str))

#: Anything a JSON body can hold in one field: the form texts, surrogates, and values of every type.
JSON_SCALAR = st.one_of(FORM_TEXT, st.sampled_from(SURROGATES), st.none(), st.booleans(),
                        st.integers(-(10**30), 10**30), st.floats(allow_nan=False, allow_infinity=False))
JSON_VALUE = st.one_of(JSON_SCALAR, st.lists(JSON_SCALAR, max_size=3),
                       st.dictionaries(st.text(max_size=5), JSON_SCALAR, max_size=3))


#: One value of each shape that broke a field in the attack pass: every field of every form meets each one.
SWEEP = ("²", "١٢", "１２", "a\r\nb", "/dashboard\r\nSet-Cookie: x=1", "99999999999999999999999", "-1", "1e309",
         "x" * 255, "x" * 20_000, "[" * 10_000 + "]" * 10_000, "x0: &x0 [1, 1]\nx1: [*x0, *x0]\n", "a\x00b",
         "x;=1+1", "//evil.example", "\\\\evil")


def nested_json(depth: int) -> str:
    """A JSON document of lists nested ``depth`` deep."""
    return "[" * depth + "]" * depth
