"""Files whose bytes an earlier import stored: reported unchanged without being parsed again.

Identical bytes can be two articles (two paths, keys from the paths: the archives hold such
``.md``/``.html`` pairs) or one (the same ``from`` URL). So each hash keeps every article made from
those bytes, with the path it came from, and a file is matched by its path first.
"""

import os

from articles.models import Article


def compact_hash(content_hash):
    """A content hash (64 hex digits) as 16 bytes: enough to tell files apart, a quarter of the memory."""
    return bytes.fromhex(content_hash[:32])


class KnownFiles:
    def __init__(self, rows=(), run_paths=frozenset()):
        """``rows``: (content hash, source path, import key) of imported articles; ``run_paths``: the
        relative paths of this run's files."""
        self.entries = {}  # compact hash -> ((source path, import key), ...)
        for content_hash, path, key in rows:
            digest = compact_hash(content_hash)
            self.entries[digest] = (*self.entries.get(digest, ()), (path, key))
        self.run_paths = run_paths

    @classmethod
    def from_database(cls, run_paths):
        rows = Article.objects.exclude(content_hash="").exclude(import_key=None)
        return cls(rows.values_list("content_hash", "source_path", "import_key").iterator(chunk_size=5000), run_paths)

    def key(self, content_hash, relative):
        """The import key of the article ``relative`` holds if its bytes are known, else None (parse it)."""
        entries = self.entries.get(compact_hash(content_hash), ())
        for path, key in entries:
            if path == relative:
                return key
        for path, key in entries:
            if key != path:
                return key  # the key comes from the front matter, which these bytes hold
        if not entries or any(path in self.run_paths for path, _ in entries):
            return None  # a copy of a file imported as its own article: it is one too
        # The file moved, or the import's root did: the article of the same name, else the first.
        name = os.path.basename(relative)
        return next((key for path, key in entries if os.path.basename(path) == name), entries[0][1])
