"""Panels for notebook 02: more predictors: a plane over two inputs."""

__all__ = []
