"""The lecture's notation in plain text: indices as subscripts, powers as superscripts.

    subscript(12) -> '₁₂'      W{subscript(1)} -> 'W₁'
    superscript(-5) -> '⁻⁵'    x{column_index(2)} -> 'x⁽²⁾'

A subscript counts samples (xᵢ) or layers (H₁, W₁, b₁); a superscript in parentheses counts
columns: predictor x⁽ʲ⁾ (column j of X), output h⁽ʲ⁾ (column j of H) and its bias b⁽ʲ⁾.
"""

__all__ = ["subscript", "superscript", "column_index"]

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
