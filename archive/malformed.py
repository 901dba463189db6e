"""Requests no client sends in good faith, refused before any view reads them."""

from django.core.exceptions import BadRequest


class RejectNulMiddleware:
    """A NUL character in the path or the query string is a 400.

    PostgreSQL cannot hold NUL in text, so ``?author=%00`` or ``/tag/a%00b/`` raised a DataError
    (500) in every view and admin filter that compares text; no real name, slug or search
    contains one. (Forms already refuse NUL in text fields.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET.lists()
        if "\x00" in request.path or any("\x00" in "".join([key, *values]) for key, values in query):
            raise BadRequest("A NUL character in the address.")
        return self.get_response(request)
