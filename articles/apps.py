from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("News archive")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, taxonomy  # noqa: F401 (registers the settings checks; no tag's slug is empty)
        from .assets import models as asset_models  # noqa: F401 (registers Asset, ArticleAsset, SourceCheck)
        from .counts import models as count_models  # noqa: F401 (registers Tally)
        from .counts import signals as count_signals
        from .dashboard import panels  # noqa: F401 (registers the dashboard's panels)
        from .facets import models as facet_models  # noqa: F401 (registers ContentWrites)
        from .facets import signals as facet_signals
        from .importer import models as import_models  # noqa: F401 (registers ImportRun)
        from .search import models, signals  # noqa: F401 (registers SearchDocument)
        from .sources import models as source_models  # noqa: F401 (registers Source, SyncedFile, SourceRemoval...)

        signals.connect()
        facet_signals.connect()
        count_signals.connect()

        from django.contrib import admin

        from .admin.inputs import adopt_every_admin

        adopt_every_admin(admin.site)  # the admin registered every app's admins before this app's ready()
