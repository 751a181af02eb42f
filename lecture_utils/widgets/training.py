"""Panels for notebook 09: live coding and training a network."""

__all__ = []
