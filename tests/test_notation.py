"""Indices and powers in the lecture's plain-text notation."""

from lecture_utils.notation import column_index, subscript, superscript


def test_subscripts_and_superscripts():
    assert f"W{subscript(1)}" == "W₁" and subscript(12) == "₁₂"
    assert f"x⁽{superscript(2)}⁾" == "x⁽²⁾" and superscript(-5) == "⁻⁵"


def test_a_column_index_is_a_superscript_in_parentheses():
    assert f"x{column_index(1)}" == "x⁽¹⁾" and f"h{column_index(12)}" == "h⁽¹²⁾"
