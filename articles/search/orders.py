"""The orders a search can have, with their labels for the order switch, and how an asked-for one is read."""

from django.utils.translation import gettext_lazy as _

# The first is the default.
ORDERS = {"relevance": _("Relevance"), "newest": _("Newest"), "oldest": _("Oldest")}
DEFAULT_ORDER = "relevance"


def chosen_order(value):
    """The order ``value`` names, else the default (a missing or unknown one is no error)."""
    return value if value in ORDERS else DEFAULT_ORDER
