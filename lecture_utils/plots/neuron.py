"""Pictures for notebook 00: neurons as functions, vanishing gradients and dead ReLUs."""

__all__ = []
