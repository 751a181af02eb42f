"""Checks for notebook 07: the computational graph and the chain rule."""

__all__ = []
