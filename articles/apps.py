from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from .importer.checks import strip_selectors_check


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("News archive")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django imports this module before any model exists, so what needs the models is imported
        # here, once they all do (where Django's documentation puts signal receivers).
        from django.contrib import admin

        from .admin.inputs import adopt_every_admin
        from .counts import signals as count_signals
        from .dashboard import panels  # noqa: F401 (registers the dashboard's panels)
        from .facets import signals as facet_signals
        from .search import signals

        checks.register(strip_selectors_check)
        signals.connect()  # the search index follows every edit made through the ORM
        facet_signals.connect()  # so does the content version (facets and search results are kept per version)
        count_signals.connect()  # and the kept counts
        adopt_every_admin(admin.site)  # the admin registered every app's admins before this app's ready()
