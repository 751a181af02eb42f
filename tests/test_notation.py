"""Indices and powers in the lecture's plain-text notation."""

from lecture_utils.notation import subscript, superscript


def test_subscripts_and_superscripts():
    assert f"W{subscript(1)}" == "W₁" and subscript(12) == "₁₂"
    assert f"x⁽{superscript(2)}⁾" == "x⁽²⁾" and superscript(-5) == "⁻⁵"
