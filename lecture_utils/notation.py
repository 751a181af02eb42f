"""The lecture's notation in plain text: indices as subscripts, powers as superscripts, numbers.

    subscript(12) -> '₁₂'      W{subscript(1)} -> 'W₁'
    superscript(-5) -> '⁻⁵'    x{column_index(2)} -> 'x⁽²⁾'
    number(-0.25) -> '−0.25'   number(-0.001, ".2f") -> '0.00' (never "−0")

A subscript counts samples (xᵢ) or layers (H₁, W₁, b₁); a superscript in parentheses counts
columns: predictor x⁽ʲ⁾ (column j of X), output h⁽ʲ⁾ (column j of H) and its bias b⁽ʲ⁾.

`number` is the one way a number becomes text in a picture, a title or a text alternative:
a true minus sign, and a number that rounds to zero is written without one.
"""

import math
import re

__all__ = ["subscript", "superscript", "column_index", "MINUS", "minus", "number", "term", "scientific",
           "power_of_ten"]

_SUBSCRIPT_DIGITS = str.maketrans("-0123456789", "₋₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPT_DIGITS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def subscript(number):
    """An integer (or its text) as subscript digits: 12 -> '₁₂'."""
    return str(number).translate(_SUBSCRIPT_DIGITS)


def superscript(number):
    """An integer (or its text) as superscript digits: -5 -> '⁻⁵'."""
    return str(number).translate(_SUPERSCRIPT_DIGITS)


def column_index(number):
    """The lecture's index of a column, a superscript in parentheses: 2 -> '⁽²⁾' (x⁽²⁾, h⁽²⁾, b⁽²⁾)."""
    return "⁽" + superscript(number) + "⁾"


# --- numbers as text ------------------------------------------------------------------------

MINUS = "−"  # U+2212: a true minus sign, as wide as the plus
_ALL_ZERO = re.compile(r"[^1-9]*")  # a number's text that shows nothing but zeros (0, 0.00, 0e+00, 0%)


def minus(text):
    """`text` with every hyphen typeset as a true minus sign − (and "+ −" written "− ")."""
    return text.replace("-", MINUS).replace("+ " + MINUS, MINUS + " ")


def number(value, spec="short", large=None):
    """One number as text, with a true minus sign and never "−0" (nor "−0.00": what rounds to zero has no sign).

    spec:  a format spec (".2f", ".5g", ",.0f", "+.1f", ".0%", "," for a whole number with thousands, ...),
           or "short": at most three significant digits, whole numbers without decimals (0.42, −3.1, 12, 250, 1).
    large: from this size on (and for inf or NaN), powers of ten instead: 3.2e+21.
    """
    value = float(value)
    if large is not None and not abs(value) < large:
        spec = ".1e"
    elif spec == "short" and not math.isfinite(value):
        spec = "g"  # inf, −inf, nan
    elif spec == "short":
        size = abs(value)
        spec = ".0f" if (value == round(value) and size < 1e4) or size >= 99.5 else ".1f" if size >= 9.95 else ".2f"
    text = format(round(value), spec) if spec in (",", "d", ",d") else format(value, spec)
    if text.startswith("-") and math.isfinite(value) and _ALL_ZERO.fullmatch(text.split("e")[0]):
        text = ("+" if "+" in spec else "") + text[1:]
    return minus(text)


def term(value, spec="short"):
    """A number added in a sum, with its sign apart: "+ 20.0", "− 3.1" (what rounds to zero: "+ 0.0")."""
    text = number(value, spec)
    return f"{MINUS} {text[1:]}" if text.startswith(MINUS) else f"+ {text}"


def scientific(value):
    """A number in powers of ten with Unicode superscripts: 9.4e-06 -> '9.4·10⁻⁶' (plain from 0.01 to 99)."""
    if not math.isfinite(value) or value == 0:
        return number(value, "g")
    mantissa, exponent = f"{value:.1e}".split("e")
    exponent = int(exponent)
    if exponent in (-1, 0, 1):
        return number(value, ".2g")
    return f"{minus(mantissa)}·10{superscript(exponent)}"


def power_of_ten(value):
    """A power of ten with a Unicode superscript: 1e-05 -> '10⁻⁵' (1 and 10 as they are)."""
    exponent = int(round(math.log10(value)))
    return "10" + superscript(exponent) if exponent not in (0, 1) else number(value, "g")
