"""Indexes for the queue at a million cases.

- case_org_status_due replaces case_org_due: the overdue and due-soon views ask for running statuses, and most cases
  whose date has passed are long closed, so (organisation, resolution_due) walked all of them; with the status second
  the counts, the dashboard's overdue/unassigned figures and the workload per officer read the index alone.
- The queue's search box finds words of a case's subject or of the name the client gave, anywhere in the text (Arabic
  glues «لل» and «ال» to words). SQLite: an FTS5 external-content table with the trigram tokenizer (SQLite 3.34+), kept
  in step by triggers. PostgreSQL: trigram GIN indexes on the UPPER(...) expressions that Django's icontains compares.
"""

import sqlite3

from django.db import migrations, models

TABLE = "helpdesk_case"
FTS = f"{TABLE}_fts"
COLUMNS = ("subject", "contact_name")
SQLITE_TRIGRAM = sqlite3.sqlite_version_info >= (3, 34, 0)  # selectors.case_text_index() asks the same


def _sqlite_create():
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    columns = ", ".join(COLUMNS)
    return [
        f"CREATE VIRTUAL TABLE {FTS} USING fts5({columns}, content='{TABLE}', content_rowid='id', tokenize='trigram')",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN INSERT INTO {FTS}(rowid, {columns}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, {columns}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF {columns} ON {TABLE} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, {columns}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {FTS}(rowid, {columns}) VALUES (new.id, {new}); END",
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = _sqlite_create() if SQLITE_TRIGRAM else []
    elif vendor == "postgresql":
        statements = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
            f'CREATE INDEX {TABLE}_{c}_trgm ON {TABLE} USING gin ((UPPER("{c}"::text)) gin_trgm_ops)' for c in COLUMNS
        ]
    else:
        statements = []  # other databases search without an index
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [f"DROP TRIGGER IF EXISTS {FTS}_{t}" for t in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {FTS}"]
    elif vendor == "postgresql":
        statements = [f"DROP INDEX IF EXISTS {TABLE}_{c}_trgm" for c in COLUMNS]
    else:
        statements = []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_initial")]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_org_due"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["organisation", "status", "resolution_due", "assigned_to"], name="case_org_status_due"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
