"""Full-text indexes over the normalised search column: FTS5 on SQLite, trigram GIN on PostgreSQL.

SQLite's FTS5 table is an external-content index kept in step by triggers, so bulk inserts and
updates from any code path stay searchable. The text is normalised by the application first
(shubbak.arabic), because neither database folds Arabic spelling variants reliably.
"""

from django.db import migrations

TABLES = ["registry_person", "registry_enterprise"]


def _sqlite_create(table):
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {table}_fts_au AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
    ]


def _sqlite_drop(table):
    return [f"DROP TRIGGER IF EXISTS {table}_fts_{t}" for t in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {table}_fts"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [s for table in TABLES for s in _sqlite_create(table)]
    elif vendor == "postgresql":
        statements = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
            f"CREATE INDEX {table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)" for table in TABLES
        ]
    else:
        statements = []  # other databases search without an index
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [s for table in TABLES for s in _sqlite_drop(table)]
    elif vendor == "postgresql":
        statements = [f"DROP INDEX IF EXISTS {table}_search_trgm" for table in TABLES]
    else:
        statements = []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
