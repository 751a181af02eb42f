"""Trace a Tensor's computational graph and draw it with matplotlib (notebook 07)."""

__all__ = []
