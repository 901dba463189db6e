"""The page a locked-out sign-in gets (django-axes calls ``lockout`` through AXES_LOCKOUT_CALLABLE)."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def lockout(request, original_response=None, credentials=None):
    """429 and a page in the admin's look saying why, for how long, and how to be let in sooner."""
    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": settings.LOGIN_LOCKOUT_MINUTES,
    }
    return render(request, "admin/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
