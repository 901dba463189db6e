"""Bytes on disk, each from one cheap query: the database (its page count, or PostgreSQL's own
size) and the search index (PostgreSQL's relation sizes, SQLite's dbstat of the index's tables)."""

from django.db import DatabaseError, connections, router

from articles.models import Article

# The search index's tables all start so: its documents (``articles_searchdocument``) and the token
# tables the backends' migrations make (FTS5's shadow tables, PostgreSQL's token table).
SEARCH_TABLES = "articles_search"


def database_bytes(using=None):
    connection = connections[using or router.db_for_read(Article)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        return cursor.fetchone()[0]


def search_index_bytes(using=None):
    """The search index's tables and their indexes, or None when the database cannot say (an SQLite
    built without dbstat). Each table is named (dbstat then reads that table's pages alone)."""
    connection = connections[using or router.db_for_read(Article)]
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()"
                    " WHERE c.relkind = 'r' AND c.relname LIKE %s",
                    [f"{SEARCH_TABLES}%"],
                )
            else:
                cursor.execute(
                    "SELECT SUM(d.pgsize) FROM sqlite_schema m, dbstat('main', 1) d"
                    " WHERE d.name = m.name AND m.tbl_name LIKE %s",
                    [f"{SEARCH_TABLES}%"],
                )
            return cursor.fetchone()[0] or 0
    except DatabaseError:
        return None
