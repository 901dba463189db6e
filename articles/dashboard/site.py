"""The admin site: the archive's own name, the curators' models first, and the dashboard on its index."""

from django.contrib import admin
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from articles.core.site import site_name

from .registry import panels


def _defined_in(*modules):
    """A group's rule: the models defined in these modules of the models package."""
    names = {f"articles.models.{module}" for module in modules}
    return lambda model: model.__module__ in names


# The index's groups, in order: what curators use first. A model goes in the first group whose rule
# takes it; models of other apps (users, sign-in attempts, tasks...) follow, one group per app.
GROUPS = (
    (_("Articles"), lambda model: model._meta.app_label == "taggit" or _defined_in("article", "labels")(model)),
    (_("Imports"), _defined_in("imports")),
    (_("Sources"), _defined_in("sources")),
    (_("Images"), _defined_in("assets")),
)
_site_name = lazy(site_name, str)


class ArchiveAdminSite(admin.AdminSite):
    site_header = _site_name()
    site_title = _site_name()
    index_title = _("Dashboard")
    index_template = "admin/dashboard/index.html"

    def get_app_list(self, request, app_label=None):
        """Django's list (alphabetical apps and models), with the curators' models regrouped first."""
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        groups = [{"name": name, "models": [], "rule": rule} for name, rule in GROUPS]
        others = []
        for app in apps:
            rest = []
            for model in app["models"]:
                group = next((group for group in groups if group["rule"](model["model"])), None)
                if group is None:
                    rest.append(model)
                else:
                    group.setdefault("app", app)
                    group["models"].append(model)
            if rest:
                others.append({**app, "models": rest})
        curated = [
            {**group["app"], "name": group["name"], "models": group["models"]} for group in groups if group["models"]
        ]
        return curated + others

    def index(self, request, extra_context=None):
        return super().index(request, {"panels": panels(request), **(extra_context or {})})
