"""Panels for notebook 08: the derivative of every operation."""

__all__ = []
