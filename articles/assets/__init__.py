"""Local copies of the images articles show, a WARC record of each run, and link-rot checks.

One job per module: ``discovery`` (which images an article shows), ``guard`` (the SSRF guard),
``fetching`` (polite HTTP), ``verification`` (Pillow), ``storage`` (files by content),
``derivatives`` (WebP widths), ``warc``, ``pipeline`` (one image, start to end), ``records``
(database writes), ``runner`` (a whole run), ``tasks`` (the admin's background runs), ``linkcheck``
(sources) and ``display`` (pages use the local copies). The ``/media/`` view is ``web.media``; the
models are in ``articles.models.assets``.
"""
