"""Pictures for notebook 04: linear projections and stacked layers."""

__all__ = []
