"""WSGI entry point: ``gunicorn archive.wsgi``.

Searches over a client's limit are refused before Django runs (``SearchLimitApp``), so a search
flood's refusals cost less than the pages readers get.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

django_application = get_wsgi_application()

from articles.web.throttling import SearchLimitApp  # noqa: E402 (needs the apps loaded above)

application = SearchLimitApp(django_application)
