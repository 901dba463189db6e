"""Admin pages of records the app writes and nobody edits by hand (import runs, archived images)."""


class RecordAdminMixin:
    """Every field in ``fields`` shown read-only, and no "Add" page."""

    def get_readonly_fields(self, request, obj=None):
        return [name for row in self.fields for name in (row if isinstance(row, tuple) else (row,))]

    def has_add_permission(self, request):
        return False
