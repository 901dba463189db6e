"""``/media/``: the archived files, served by the app itself (a CDN or an S3 bucket can take over).

Only names the archive makes are served (``storage.NAME_RE``): no other file under MEDIA_ROOT, no
path tricks. A name is the file's SHA-256, so its bytes never change: responses are cached for a
year as immutable, carry the Content-Type of the type verified at fetch time, and ``nosniff``
(from SecurityMiddleware) so no browser second-guesses it.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.views.decorators.http import require_safe

from articles.assets.storage import NAME_RE, content_type


@require_safe
def serve(request, name):
    match = NAME_RE.match(name)
    if match is None:
        raise Http404("No such file.")
    etag = f'"{match["sha"]}{match["width"] or ""}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        try:
            file = default_storage.open(name, "rb")
        except (FileNotFoundError, OSError) as error:
            raise Http404("No such file.") from error
        response = FileResponse(file, content_type=content_type(name))
    response["ETag"] = etag
    response["Cache-Control"] = settings.MEDIA_CACHE_CONTROL
    # Opened on its own, an archived file may load nothing and run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
