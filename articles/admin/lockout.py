"""The page a locked-out sign-in gets (django-axes calls ``lockout`` through AXES_LOCKOUT_CALLABLE),
and django-axes' admin list of attempts."""

from axes import admin as axes_admin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
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


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """django-axes' list of sign-in attempts, with its cleanup action fixed.

    "Clean up expired attempts" reads a time django-axes sets only on sign-in requests, so from
    the admin it was always a 500 (django-axes 8.3.1): the request gets it first.
    """

    @admin.action(description=axes_admin.AccessAttemptAdmin.cleanup_expired_attempts.short_description)
    def cleanup_expired_attempts(self, request, queryset):
        AxesProxyHandler.update_request(request)
        return super().cleanup_expired_attempts(request, queryset)


if admin.site.is_registered(AccessAttempt):  # AXES_ENABLE_ADMIN may leave it out
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
