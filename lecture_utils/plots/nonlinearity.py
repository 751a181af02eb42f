"""Pictures for notebook 05: why linear layers are not enough; the playground."""

__all__ = []
