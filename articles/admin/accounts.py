"""django.contrib.auth's user and group admins, registered again with the archive's safe inputs."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User

from .inputs import SafeInputsMixin

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(SafeInputsMixin, auth_admin.UserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(SafeInputsMixin, auth_admin.GroupAdmin):
    pass
