"""The curation admin, one module per concern; importing them registers the model admins."""

from . import articles, assets, imports, lockout, sources, taxonomy  # noqa: F401
