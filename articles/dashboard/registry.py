"""The dashboard's panels: functions that each give one panel's template and values, in order.

A panel function takes the request and returns a ``Panel`` (or None to show nothing, for a user
who may not see it, say). Each reads kept counts or a few rows: a constant number of queries,
whatever the archive's size, so the index stays fast at a million articles.
"""

from dataclasses import dataclass, field

_PANELS = []


@dataclass
class Panel:
    title: str
    template: str  # under templates/admin/dashboard/
    context: dict = field(default_factory=dict)
    width: int = 1  # columns of the dashboard's grid it takes (a chart or a table wants more)


def panel(order):
    """Register a panel function; panels are shown by ``order``, lowest first."""

    def register(function):
        _PANELS.append((order, function))
        _PANELS.sort(key=lambda item: item[0])
        return function

    return register


def panels(request):
    """The panels ``request``'s user sees, in order."""
    shown = (function(request) for _order, function in _PANELS)
    return [item for item in shown if item is not None]
