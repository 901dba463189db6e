"""The curation admin, one module per concern; importing them registers the model admins."""

from . import accounts, articles, imports, taxonomy  # noqa: F401
