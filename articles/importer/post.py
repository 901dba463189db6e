"""The result of parsing one post: plain data, no database."""

from dataclasses import dataclass, field
from datetime import datetime


class PostError(Exception):
    """A post that cannot be imported; the message says why, for a person to read."""


@dataclass
class ParsedPost:
    title: str
    slug: str
    published_at: datetime  # timezone-aware
    author: str = ""
    original_url: str = ""
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    body_html: str = ""  # sanitized
    body_text: str = ""
    excerpt: str = ""
    lead_image_url: str = ""
    lead_image_caption: str = ""
    reading_time: int = 1
    status: str = "published"  # "published" or "draft" ("hidden" only from an export's archive keys)
    front_matter: dict = field(default_factory=dict)  # JSON-safe copy of every key
    legacy_slug: str = ""  # title part of the file name (or its slug key), as Jekyll builds its URLs
    aliases: list[str] = field(default_factory=list)  # old paths that redirect to the article (Hugo)
    warnings: list[str] = field(default_factory=list)
    # From an export's archive keys (see ``fields.archived``): the article it was written from.
    import_key: str = ""
    featured: bool = False
    hidden_reason: str = ""
    exported: bool = False


class NoFrontMatter(PostError):
    """Not a post at all (no front matter): the runner skips it with a note, it is not a failure."""
