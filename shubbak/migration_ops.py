"""Operations for migrations that Django's own would make too slowly on a large database."""

from django.db import migrations


def drop_index(table: str, column: str, name: str) -> migrations.RunSQL:
    """Drop a foreign key's own index (the field now has db_index=False); reversible.

    Django alters such a field on SQLite by copying the whole table into a new one, which takes minutes on a desk's
    million cases; dropping the index is what the change means, on SQLite and PostgreSQL alike.
    """
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
    )
