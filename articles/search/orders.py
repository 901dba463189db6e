"""The orders a search can have, with their labels for the order switch."""

from django.utils.translation import gettext_lazy as _

# The first is the default.
ORDERS = {"relevance": _("Relevance"), "newest": _("Newest"), "oldest": _("Oldest")}
DEFAULT_ORDER = "relevance"
