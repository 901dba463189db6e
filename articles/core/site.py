"""The site's own name, as pages, feeds, structured data and exports give it."""

from django.conf import settings
from django.utils.translation import gettext as _


def site_name():
    """The SITE_NAME setting, or "News archive" translated into the current language."""
    return settings.SITE_NAME or _("News archive")
