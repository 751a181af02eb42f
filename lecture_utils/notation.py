"""The lecture's notation in plain text: indices as subscripts, powers as superscripts.

    subscript(12) -> '₁₂'      W{subscript(1)} -> 'W₁'
    superscript(-5) -> '⁻⁵'    x⁽{superscript(2)}⁾ -> 'x⁽²⁾'
"""

__all__ = ["subscript", "superscript"]

_SUBSCRIPT_DIGITS = str.maketrans("-0123456789", "₋₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPT_DIGITS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def subscript(number):
    """An integer (or its text) as subscript digits: 12 -> '₁₂'."""
    return str(number).translate(_SUBSCRIPT_DIGITS)


def superscript(number):
    """An integer (or its text) as superscript digits: -5 -> '⁻⁵'."""
    return str(number).translate(_SUPERSCRIPT_DIGITS)
