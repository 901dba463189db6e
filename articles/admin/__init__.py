"""The curation admin, one module per concern; importing them registers the model admins."""

from . import articles, imports, lockout, taxonomy  # noqa: F401
