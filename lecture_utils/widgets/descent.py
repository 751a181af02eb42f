"""Panels for notebook 06: finding the best fit: derivatives and gradient descent."""

__all__ = []
