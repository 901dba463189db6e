"""``/media/``: the archived files, served by the app itself (a CDN or an S3 bucket can take over).

Only names the archive makes are served (``storage.NAME_RE``): no other file under MEDIA_ROOT, no
path tricks. A name is the file's SHA-256, so its bytes never change: responses are cached for a
year as immutable, carry the Content-Type of the type verified at fetch time, and ``nosniff``
(from SecurityMiddleware) so no browser second-guesses it. A WebP copy not stored yet is made by
the first request for it (``copies.py``).
"""

import io

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.views.decorators.http import require_safe

from articles.assets import copies
from articles.assets.storage import NAME_RE, content_type, variant_name


@require_safe
def serve(request, name):
    match = NAME_RE.match(name)
    if match is None:
        raise Http404("No such file.")
    etag = f'"{match["sha"]}{match["width"] or ""}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(_open(name, match), content_type=content_type(name))
    response["ETag"] = etag
    response["Cache-Control"] = settings.MEDIA_CACHE_CONTROL
    # Opened on its own, an archived file may load nothing and run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _open(name, match):
    """The stored file ``name``, or the copy it names made now; Http404 when neither can be.

    Only a copy's own name makes it (``variant_name``: not ``.w0720``, not another fan folder).
    """
    try:
        return default_storage.open(name, "rb")
    except OSError as error:  # FileNotFoundError included
        width = int(match["width"] or 0)
        data = copies.made(match["sha"], width) if width and name == variant_name(match["sha"], width) else None
        if data is None:
            raise Http404("No such file.") from error
        return io.BytesIO(data)
