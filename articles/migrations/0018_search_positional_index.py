"""SQLite: one FTS5 index that keeps token positions, instead of two token sets and a copy of the text.

Phrases and substrings used to be confirmed by reading each candidate's stored canonical text, which
at a million articles was most of a search's time, and the text was a third of the database. The new
index (``search.backends.sqlite``) finds them exactly by itself; the search document keeps a digest
of the text instead. Existing documents are converted from their stored text, in batches, as
``rebuild_search_index`` would index them (about as long as a rebuild). PostgreSQL is unchanged.
Going back restores the old index from the articles themselves.
"""

import hashlib
import re
import unicodedata
import zlib
from importlib import import_module

import opencc
from django.db import migrations

INDEX_OPTIONS = "title, text, content='', detail='full', columnsize=0, tokenize=\"ascii tokenchars '$'\""
HASHSIZE = 16 * 1024 * 1024  # as migration 0005 set for the old index
SCHEMA = [
    f"CREATE VIRTUAL TABLE articles_search_index USING fts5({INDEX_OPTIONS})",
    f"INSERT INTO articles_search_index(articles_search_index, rank) VALUES ('hashsize', {HASHSIZE})",  # noqa: S608
    "CREATE TABLE articles_search_deletions (article_id INTEGER PRIMARY KEY, tokens BLOB NOT NULL)",
    """CREATE TRIGGER articles_searchdocument_ad AFTER DELETE ON articles_searchdocument BEGIN
        INSERT INTO articles_search_index(articles_search_index, rowid, title, text)
            SELECT 'delete', article_id, articles_search_unpack(tokens, 0), articles_search_unpack(tokens, 1)
            FROM articles_search_deletions WHERE article_id = old.article_id;
        DELETE FROM articles_search_deletions WHERE article_id = old.article_id;
    END""",
]
DROP = [
    "DROP TRIGGER IF EXISTS articles_searchdocument_ad",
    "DROP TABLE IF EXISTS articles_search_deletions",
    "DROP TABLE IF EXISTS articles_search_index",
]
OLD = import_module("articles.migrations.0002_search_index")
OLD_HASHSIZE = import_module("articles.migrations.0005_search_index_direct_writes")
BATCH = 1000

# Frozen copies of what the live code did when this migration was written (``text.normalize``,
# ``search.backends.sqlite``, ``search.indexing``), so editing those never changes this migration.
CJK_RANGES = (
    "\u2e80-\u2fdf"
    "\u3005-\u3007"
    "\u3021-\u3029"
    "\u3040-\u30ff"
    "\u3100-\u312f"
    "\u31a0-\u31ff"
    "\u3400-\u4dbf"
    "\u4e00-\u9fff"
    "\uac00-\ud7af"
    "\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
CJK_CHARS = f"[{CJK_RANGES}]"
WORD_CHARS = rf"[^\W_{CJK_RANGES}]"
SEGMENT_RE = re.compile(rf"{CJK_CHARS}+|{WORD_CHARS}+")
CJK_RE = re.compile(CJK_CHARS)
CJK_RUN_RE = re.compile(f"{CJK_CHARS}+")
WORD_RE = re.compile(f"{WORD_CHARS}+")
MAX_TOKEN_LENGTH = 48
BOUNDARY = "$"
INDEXED_WORD_LENGTH = 256


def chunked(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _is_cjk(segment):
    return bool(CJK_RE.match(segment))


def _line_positions(line):
    parts = SEGMENT_RE.findall(line)
    tokens = []
    for index, segment in enumerate(parts):
        if not _is_cjk(segment):
            tokens.append(segment[:INDEXED_WORD_LENGTH])
            continue
        tokens.extend(segment)
        if index + 1 < len(parts) and _is_cjk(parts[index + 1]):
            tokens.append(segment[-1] + BOUNDARY)
    return tokens


def position_tokens(canonical_text):
    tokens = []
    for number, line in enumerate(canonical_text.split("\n")):
        if number:
            tokens.append(BOUNDARY)
        tokens.extend(_line_positions(line))
    return tokens


def _varint(number):
    out = bytearray()
    while number >= 0x80:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return out


def _is_character(token):
    return token[0] >= "\u2e80" and (len(token) == 1 or token[1:] == BOUNDARY)


def pack_tokens(columns):
    packed = bytearray()
    for tokens in columns:
        numbers = sorted(ord(token[0]) * 2 + (len(token) > 1) for token in tokens if _is_character(token))
        words = " ".join(sorted(token for token in tokens if not _is_character(token))).encode()
        packed += _varint(len(numbers))
        previous = 0
        for number in numbers:
            packed += _varint(number - previous)
            previous = number
        packed += _varint(len(words)) + words
    return zlib.compress(bytes(packed), 9)


def insert_documents(cursor, rows):
    """Write [(article id, canonical title, canonical text)] as the positional index's documents."""
    documents, deletions, index = [], [], []
    for pk, title, text in rows:
        title_tokens, text_tokens = position_tokens(title), position_tokens(text)
        digest = hashlib.blake2b(f"{title}\0{text}".encode(), digest_size=16).hexdigest()
        documents.append((pk, "", digest))
        deletions.append((pk, pack_tokens([set(title_tokens), set(text_tokens)])))
        index.append((pk, " ".join(title_tokens), " ".join(text_tokens)))
    ids = [pk for pk, _title, _text in rows]
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(f"DELETE FROM articles_searchdocument WHERE article_id IN ({placeholders})", ids)  # noqa: S608
    cursor.executemany("INSERT INTO articles_searchdocument (article_id, title, text) VALUES (%s, %s, %s)", documents)
    cursor.executemany("INSERT INTO articles_search_deletions (article_id, tokens) VALUES (%s, %s)", deletions)
    cursor.executemany("INSERT INTO articles_search_index (rowid, title, text) VALUES (%s, %s, %s)", index)


class _Normalizer(dict):
    """NFKC, case folding and OpenCC's traditional-to-simplified table, one character at a time."""

    converter = None

    def __missing__(self, code):
        if _Normalizer.converter is None:
            _Normalizer.converter = opencc.OpenCC("t2s")
        text = unicodedata.normalize("NFKC", chr(code)).casefold()
        if CJK_RE.search(text):
            text = _Normalizer.converter.convert(text)
        self[code] = text
        return text


_TABLE = _Normalizer()


def canonical(text):
    parts = SEGMENT_RE.findall(unicodedata.normalize("NFC", text or "").translate(_TABLE))
    return f" {' '.join(parts)} " if parts else ""


def token_stream(text):
    """The old index's tokens of canonical text, space-separated, with repeats: every CJK character,
    every pair of adjacent ones (the runs joined by spaces), every other word cut."""
    words = " ".join([word[:MAX_TOKEN_LENGTH] for word in WORD_RE.findall(text)])
    runs = " ".join(CJK_RUN_RE.findall(text))
    if len(runs) < 2:
        return f"{runs} {words}"
    characters = "".join(f"{char} " for char in runs)
    pairs = "".join(f"{runs[i]}{runs[i + 1]} " for i in range(len(runs) - 1))
    return f"{characters}{pairs} {words}"


def build_documents(apps, ids, using):
    """{article id: (canonical title, text)}, as ``search.indexing.build_documents`` made them."""
    Article = apps.get_model("articles", "Article")
    Tagged = apps.get_model("articles", "TaggedArticle")
    tags, categories = {}, {}
    for article_id, name in (
        Tagged.objects.using(using).filter(content_object_id__in=ids).values_list("content_object_id", "tag__name")
    ):
        tags.setdefault(article_id, []).append(name)
    through = Article.categories.through.objects.using(using).filter(article_id__in=ids)
    for article_id, name in through.values_list("article_id", "category__name"):
        categories.setdefault(article_id, []).append(name)
    rows = Article.objects.using(using).filter(pk__in=ids).values_list("pk", "title", "author", "body_text")
    return {
        pk: (
            canonical(title),
            "\n".join(canonical(v) for v in (*sorted(tags.get(pk, ())), *sorted(categories.get(pk, ())), author, body)),
        )
        for pk, title, author, body in rows
    }


def _documents(schema_editor):
    """Batches of [(article id, title, text)] of the search documents, in id order."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT article_id FROM articles_searchdocument ORDER BY article_id")
        ids = [pk for (pk,) in cursor.fetchall()]
        for batch in chunked(ids):
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"SELECT article_id, title, text FROM articles_searchdocument WHERE article_id IN ({placeholders})",  # noqa: S608
                batch,
            )
            yield cursor.fetchall()


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in OLD.DROP["sqlite"]:
        schema_editor.execute(statement)
    for statement in SCHEMA:
        schema_editor.execute(statement)
    batches = list(_documents(schema_editor))
    with schema_editor.connection.cursor() as cursor:
        for rows in batches:
            insert_documents(cursor, rows)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in DROP:
        schema_editor.execute(statement)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT article_id FROM articles_searchdocument ORDER BY article_id")
        ids = [pk for (pk,) in cursor.fetchall()]
        documents = {}
        for batch in chunked(ids):
            documents.update(build_documents(apps, batch, schema_editor.connection.alias))
            cursor.executemany(
                "UPDATE articles_searchdocument SET title = %s, text = %s WHERE article_id = %s",
                [(*documents[pk], pk) for pk in batch if pk in documents],
            )
    for statement in OLD.SCHEMA["sqlite"]:
        if "articles_searchdocument_ai" not in statement:  # migration 0005 dropped the insert trigger
            schema_editor.execute(statement)
    for table in OLD_HASHSIZE.TABLES:
        schema_editor.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', {OLD_HASHSIZE.HASHSIZE})")  # noqa: S608
    with schema_editor.connection.cursor() as cursor:
        for pk, (title, text) in documents.items():
            cursor.execute(
                "INSERT INTO articles_search_fts(rowid, tokens) VALUES (%s, %s)",
                [pk, f"{token_stream(title)} {token_stream(text)}"],
            )
            cursor.execute(
                "INSERT INTO articles_search_title_fts(rowid, tokens) VALUES (%s, %s)", [pk, token_stream(title)]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_drop_unused_pattern_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
