"""Bulk inserts from Python values: one ``executemany`` per batch, without the ORM's per-value work.

``QuerySet.bulk_create`` compiles every value of every row through the field API; for the
importer's batches (30 columns, hundreds of rows) that was most of the writer's Python time.
Here only values that need converting (dates, JSON) go through ``get_db_prep_save``; strings,
numbers, booleans and foreign key ids go to the driver as they are. No signals are sent and
nothing is validated: the callers (the importer's writer) build complete, valid rows.
"""

from django.db import connections, models

from .fields import CompressedTextField

# Fields whose Python value is what the database driver takes.
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def insert_values(model, attnames, rows, *, using="default", ignore_conflicts=False):
    """INSERT ``rows`` (tuples of Python values, one per name in ``attnames``) into ``model``'s table.

    ``ignore_conflicts`` skips rows that break a unique constraint (another import got there first).
    """
    connection = connections[using]
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_attname[attname] for attname in attnames]
    converters = [_converter(field, connection) for field in fields]
    if any(converters):
        rows = [
            tuple(value if convert is None else convert(value) for value, convert in zip(row, converters, strict=True))
            for row in rows
        ]
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    conflicts = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders}){conflicts}"  # noqa: S608 (names from the model)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def insert_objects(model, objects, *, using="default"):
    """INSERT one row per unsaved instance of ``model``: every column but the primary key."""
    attnames = [field.attname for field in model._meta.concrete_fields if not field.primary_key]
    insert_values(model, attnames, [tuple(getattr(obj, name) for name in attnames) for obj in objects], using=using)


def _converter(field, connection):
    """None when values go as they are; else a function preparing one value (the same object once)."""
    if isinstance(field, _AS_IS) and not isinstance(field, CompressedTextField):
        return None
    last = [object(), None]

    def convert(value):
        # Rows of a batch share values such as the import's timestamp: convert those once.
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return convert
