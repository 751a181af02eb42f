"""Panels for notebook 07: the computational graph and the backward pass, step by step."""

__all__ = []
