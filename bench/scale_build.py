"""scale_bench's database: ``count`` synthesized articles written in bulk, then the search index.

Each article takes the language and length of a random real sample (../shared/corpus-sample), made
of the samples' sentences (a third in traditional characters), 1-4 of 2,000 tags and 1-2 of 8
categories (both Zipf-like), one of 205 authors and a date from 2000 to 2025 (an import writes no
history row for a new article). The importer, at about 1,000 posts/s on two cores, would take
hours; here rows go straight to the tables:

- PostgreSQL: ``COPY``, foreign key triggers off for the session (the rows are made consistent);
- SQLite: ``executemany`` in transactions of ``COMMIT_ROWS`` articles, without a journal or fsync;
- on both, the three tables' secondary indexes and unique constraints are dropped first and
  created again after the load (one sorted build each instead of a million random inserts).

Then ``rebuild_search_index`` (timed apart). A run killed anywhere leaves no ``BUILT`` mark, so the
next run (``--reuse`` or not) starts again from an empty database: the SQLite file is deleted, the
PostgreSQL database dropped and created again.
"""

import collections
import itertools
import math
import multiprocessing
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

CHUNK = 5000  # articles generated and written at a time (memory stays bounded)
COMMIT_ROWS = 100_000  # articles per SQLite transaction
TAGS = 2000
START, END = datetime(2000, 1, 1, tzinfo=UTC), datetime(2025, 12, 31, tzinfo=UTC)
TABLES = ("articles_article", "articles_taggedarticle", "articles_article_categories")
CATEGORIES = ["rss", "国际", "香港", "台湾", "中国", "军事", "经济", "评论"]
BUILT = "scale_bench_built"  # one row (articles, source bytes) once a build has finished


def reset_database(url):
    """An empty database at ``url`` (before Django is set up): whatever a killed run left is gone."""
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    server = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def built(count):
    """The source bytes of the finished build of ``count`` articles in this database, or None (none,
    another count, or one killed halfway)."""
    from django.db import connection

    if BUILT not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT source_bytes FROM {BUILT} WHERE articles = %s", [count])  # noqa: S608 (a constant)
        row = cursor.fetchone()
    return row[0] if row else None


def mark_built(count, source_bytes):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {BUILT} (articles bigint NOT NULL, source_bytes bigint NOT NULL)")
        cursor.execute(f"INSERT INTO {BUILT} VALUES (%s, %s)", [count, source_bytes])  # noqa: S608 (a constant)


def zipf_weights(count):
    """Cumulative weights (for ``random.choices``) of ``count`` things, the n-th 1/n as popular as the first."""
    return list(itertools.accumulate(1 / (rank + 1) for rank in range(count)))


def tag_names(chinese, rng):
    """2,000 distinct tag names: 2-4 characters from the samples' sentences, else numbered."""
    names = dict.fromkeys(s[: rng.randint(2, 4)] for s in chinese if len(s) >= 4)
    names = [n for n in names if n.strip()][:TAGS]
    return names + [f"话题{i}" for i in range(TAGS - len(names))]


# Columns written, in order; the rest take these constant values.
COLUMNS = ["id", "title", "slug", "body_html", "body_text", "excerpt", "author", "published_at", "reading_time"]
COLUMNS += ["status", "featured", "import_key", "title_key", "text_fingerprint"]
COLUMNS += ["created_at", "updated_at", "first_imported_at", "imported_at"]
CONSTANTS = {"original_url": "", "lead_image_url": "", "lead_image_caption": "", "hidden_reason": ""}
CONSTANTS |= {"content_hash": "", "source_path": "", "legacy_slug": "", "front_matter": "{}", "import_snapshot": "{}"}
PARAGRAPHS = 20_000  # made once per language and script; an article's first paragraph is its own
SEED = 20261130


class Generator:
    """Articles made from the samples' sentences: the same ones for the same chunk, in any process.

    Each takes a random sample's language and length (0.7-1.3x), every third is in traditional
    characters (search_bench's mix). For speed, paragraphs after the first come from a pool of
    ``PARAGRAPHS`` made of 1-4 sentences each; the first is made for the article, so texts (and their
    duplicate fingerprints) stay distinct.
    """

    def __init__(self):
        import opencc
        from search_bench import _sentences, sample_texts

        rng = random.Random(SEED)
        samples = sample_texts()
        chinese, english = _sentences(samples)
        self.tags = tag_names(chinese, rng)
        self.tag_weights = zipf_weights(len(self.tags))
        self.category_weights = zipf_weights(len(CATEGORIES))
        self.authors = [""] * 5 + [f"记者 {i}" for i in range(200)]
        to_traditional = opencc.OpenCC("s2t")
        traditional = [to_traditional.convert(s) for s in chinese]
        self.sentences = {False: chinese, True: english, "traditional": traditional}
        self.paragraphs = {kind: [self.paragraph(rng, kind) for _ in range(PARAGRAPHS)] for kind in self.sentences}
        self.templates = [(sum(c.isascii() for c in b) > 0.8 * len(b), len(b)) for _t, b, _c, _a in samples if b]
        self.templates = self.templates or [(False, 800)]
        self.now = datetime.now(UTC)

    def paragraph(self, rng, kind):
        return (" " if kind is True else "").join(rng.choices(self.sentences[kind], k=rng.randint(1, 4)))

    def text(self, rng, n):
        """(title, paragraphs) of the ``n``-th article."""
        is_english, length = rng.choice(self.templates)
        kind = "traditional" if n % 3 == 0 and not is_english else is_english
        paragraphs = [self.paragraph(rng, kind)]
        size, target = len(paragraphs[0]), max(60, round(length * rng.uniform(0.7, 1.3)))
        while size < target:
            paragraphs.append(rng.choice(self.paragraphs[kind]))
            size += len(paragraphs[-1])
        title = rng.choice(self.sentences["traditional" if n % 3 == 0 else False])[: rng.randint(8, 30)]
        return title or f"无题 {n + 1}", paragraphs

    def chunk(self, index, count):
        """Articles ``index * CHUNK + 1`` on (at most ``count`` in all): (article rows, tag links,
        category links, source bytes). Rows are ``COLUMNS`` then ``CONSTANTS``, as the database takes
        them (bodies compressed); links name their tag or category (``write`` swaps in ids); the
        source bytes are the titles' and bodies' (UTF-8)."""
        from articles.models import unicode_slug
        from articles.models.fields import compress
        from articles.text.fingerprints import text_fingerprint, title_key

        rng, constants = random.Random(SEED + index), tuple(CONSTANTS.values())
        rows, tag_links, category_links, source_bytes = [], [], [], 0
        for n in range(index * CHUNK, min(count, (index + 1) * CHUNK)):
            pk, (title, paragraphs) = n + 1, self.text(rng, n)
            body, html = "\n\n".join(paragraphs), "".join(f"<p>{p}</p>" for p in paragraphs)
            source_bytes += len(title.encode()) + len(html.encode())
            status = "published" if n % 50 else "hidden"
            published = START + (END - START) * rng.random()
            rows.append(
                (pk, title, f"{unicode_slug(title)[:60]}-{pk}", compress(html), compress(body), paragraphs[0][:200])
                + (rng.choice(self.authors), published, max(1, len(body) // 500), status, n % 1000 == 0)
                + (f"scale-bench/{pk}", title_key(title), text_fingerprint(body), *[self.now] * 4, *constants)
            )
            tags = rng.choices(self.tags, cum_weights=self.tag_weights, k=rng.randint(1, 4))
            tag_links += [(pk, name, published, status) for name in set(tags)]
            categories = rng.choices(CATEGORIES, cum_weights=self.category_weights, k=rng.randint(1, 2))
            category_links += [(pk, name, published, status) for name in set(categories)]
        return rows, tag_links, category_links, source_bytes


_generator = None


def generator():
    """This process's ``Generator``, made once (worker processes, forked, inherit it)."""
    global _generator  # noqa: PLW0603 (one per process)
    _generator = _generator or Generator()
    return _generator


def _make_chunk(index, count):
    return generator().chunk(index, count)


def chunks(count, workers=2, ahead=4):
    """Every chunk of ``count`` articles in order, made by ``workers`` processes at most ``ahead`` chunks
    before the writer (memory stays bounded)."""
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        pending = collections.deque()
        for index in range(math.ceil(count / CHUNK)):
            pending.append(pool.apply_async(_make_chunk, (index, count)))
            if len(pending) >= ahead:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def secondary_indexes(cursor, vendor):
    """[(drop statement, create statement)] of the bulk-loaded tables' indexes and unique constraints
    (primary keys stay: ids arrive in order, so theirs is appended to)."""
    tables = ", ".join(f"'{table}'" for table in TABLES)  # constants
    if vendor == "sqlite":
        cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({tables})")  # noqa: S608
        return [(f'DROP INDEX "{name}"', sql) for name, sql in cursor.fetchall() if sql]  # not inline UNIQUEs
    cursor.execute(
        f"""SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', rel.relname, con.conname),
                   format('ALTER TABLE %I ADD CONSTRAINT %I %s',
                          rel.relname, con.conname, pg_get_constraintdef(con.oid))
            FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
            WHERE con.contype = 'u' AND rel.relname IN ({tables})"""  # noqa: S608
    )
    constraints = cursor.fetchall()
    cursor.execute(
        f"""SELECT format('DROP INDEX %I', indexname), indexdef FROM pg_indexes
            WHERE tablename IN ({tables}) AND indexname NOT IN (SELECT conname FROM pg_constraint)"""  # noqa: S608
    )
    return constraints + cursor.fetchall()


def write(count):
    """Write ``count`` generated articles with their links; (seconds, source bytes). The database
    must be freshly migrated (see ``reset_database``)."""
    from django.db import connection

    from articles.importer.links import ensure_categories, ensure_tags

    started, source_bytes = time.perf_counter(), 0
    tag_ids, category_ids = ensure_tags(set(generator().tags)), ensure_categories(set(CATEGORIES))
    vendor = connection.vendor
    writer = PostgresWriter() if vendor == "postgresql" else SqliteWriter()
    with connection.cursor() as cursor:
        indexes = secondary_indexes(cursor, vendor)
    with writer:
        for drop, _create in indexes:
            writer.execute(drop)
        for rows, tag_links, category_links, made in chunks(count):
            writer.write("articles_article", COLUMNS + list(CONSTANTS), rows)
            writer.write_links("articles_taggedarticle", "content_object_id", "tag_id", tag_links, tag_ids)
            writer.write_links("articles_article_categories", "article_id", "category_id", category_links, category_ids)
            source_bytes += made
            print(f"  {rows[-1][0]:,} articles written", file=sys.stderr, end="\r", flush=True)
        for _drop, create in indexes:
            writer.execute(create)
    if vendor == "postgresql":
        with connection.cursor() as cursor:  # explicit ids: move the sequences past them
            for table in TABLES:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")  # noqa: S608
    return time.perf_counter() - started, source_bytes


def link_columns(table, article_column, other_column):
    """The link table's columns the writer fills: the two ids, and the article's publication time and
    status where the table keeps them beside the link."""
    from django.db import connection

    with connection.cursor() as cursor:
        names = {c.name for c in connection.introspection.get_table_description(cursor, table)}
    return [article_column, other_column] + [name for name in ("published_at", "status") if name in names]


class SqliteWriter:
    """executemany in big transactions, without journal or fsync (a killed build is started again anyway)."""

    def __enter__(self):
        from django.db import connection

        connection.ensure_connection()
        self.sqlite = connection.connection
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -500000", "temp_store = MEMORY"):
            self.sqlite.execute(f"PRAGMA {pragma}")
        self.sqlite.execute("BEGIN")  # Django's connection is in autocommit mode: one transaction per chunk of chunks
        self.rows = 0
        return self

    def execute(self, sql):
        self.sqlite.execute(sql)

    def write(self, table, columns, rows):
        from django.db import connection

        adapt = connection.ops.adapt_datetimefield_value
        at = [
            columns.index(name)
            for name in ("published_at", "created_at", "updated_at", "first_imported_at", "imported_at")
            if name in columns
        ]
        stamps = {}
        rows = [list(row) for row in rows]
        for row in rows:
            for i in at:
                value = row[i]
                row[i] = stamps[value] if value in stamps else stamps.setdefault(value, adapt(value))
        self.insert(table, columns, rows)
        if table == "articles_article":
            self.rows += len(rows)
            if self.rows >= COMMIT_ROWS:
                self.sqlite.execute("COMMIT")
                self.sqlite.execute("BEGIN")
                self.rows = 0

    def write_links(self, table, article_column, other_column, links, ids):
        columns = link_columns(table, article_column, other_column)
        self.write(table, columns, [(pk, ids[name], *rest)[: len(columns)] for pk, name, *rest in links])

    def insert(self, table, columns, rows):
        marks = ", ".join("?" * len(columns))
        self.sqlite.executemany(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})', rows)  # noqa: S608

    def __exit__(self, *exc):
        self.sqlite.execute("COMMIT")
        self.sqlite.execute("PRAGMA journal_mode = WAL")
        self.sqlite.execute("PRAGMA synchronous = NORMAL")


class PostgresWriter:
    """COPY, foreign key checks off for the session (the rows are consistent), one transaction per chunk."""

    def __enter__(self):
        from django.db import connection

        connection.ensure_connection()
        self.pg = connection.connection
        self.pg.autocommit = True
        self.pg.execute("SET session_replication_role = replica")
        self.pg.execute("SET maintenance_work_mem = '1GB'")
        return self

    def execute(self, sql):
        self.pg.execute(sql)

    def write(self, table, columns, rows):
        sql = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
        with self.pg.transaction(), self.pg.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def write_links(self, table, article_column, other_column, links, ids):
        columns = link_columns(table, article_column, other_column)
        self.write(table, columns, [(pk, ids[name], *rest)[: len(columns)] for pk, name, *rest in links])

    def __exit__(self, *exc):
        self.pg.execute("SET session_replication_role = DEFAULT")
        self.pg.execute("RESET maintenance_work_mem")
