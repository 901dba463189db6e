"""What curators do to many articles at once: bulk edits, merges, duplicate detection, uploads.

Plain functions over querysets, so the admin, management commands and tests share one implementation.
"""
