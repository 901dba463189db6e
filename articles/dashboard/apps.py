from django.contrib.admin.apps import AdminConfig


class ArchiveAdminConfig(AdminConfig):
    """Django's admin with the archive's site (``dashboard.site``) as the default one."""

    default_site = "articles.dashboard.site.ArchiveAdminSite"
