"""The queue's search box at a million cases, second step.

A case linked to a person is found by the person's name through the registry's own index (any spelling); the name
the client gave is searched only in cases not linked yet, which case_org_person finds at once (organisation, no
person). So the trigram index keeps the subject alone: names in it made a search for a common name («محمد …») read
posting lists of most cases.
"""

import sqlite3

from django.db import migrations, models

TABLE = "helpdesk_case"
FTS = f"{TABLE}_fts"
SQLITE_TRIGRAM = sqlite3.sqlite_version_info >= (3, 34, 0)  # as in 0002


def _sqlite_index(columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [f"DROP TRIGGER IF EXISTS {FTS}_{t}" for t in ("ai", "ad", "au")] + [
        f"DROP TABLE IF EXISTS {FTS}",
        f"CREATE VIRTUAL TABLE {FTS} USING fts5({names}, content='{TABLE}', content_rowid='id', tokenize='trigram')",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN INSERT INTO {FTS}(rowid, {names}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, {names}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF {names} ON {TABLE} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, {names}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {FTS}(rowid, {names}) VALUES (new.id, {new}); END",
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = _sqlite_index(("subject",)) if SQLITE_TRIGRAM else []
    elif vendor == "postgresql":
        statements = [f"DROP INDEX IF EXISTS {TABLE}_contact_name_trgm"]
    else:
        statements = []
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = _sqlite_index(("subject", "contact_name")) if SQLITE_TRIGRAM else []
    elif vendor == "postgresql":
        statements = [f'CREATE INDEX {TABLE}_contact_name_trgm ON {TABLE} USING gin ((UPPER("contact_name"::text)) gin_trgm_ops)']
    else:
        statements = []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0002_case_search_and_due_index")]

    operations = [
        migrations.AddIndex(model_name="case", index=models.Index(fields=["organisation", "person"], name="case_org_person")),
        migrations.RunPython(forwards, backwards),
    ]
