"""Checks for notebook 03: the matrix form ŷ = Xw + b."""

__all__ = []
