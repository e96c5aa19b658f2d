"""The database schema as the migrations leave it, on SQLite and PostgreSQL alike."""

import pytest
from django.apps import apps
from django.db import connection


def _indexes(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [c["columns"] for c in constraints.values() if (c["index"] or c["unique"]) and not c["primary_key"]]


@pytest.mark.django_db
def test_no_index_repeats_the_first_column_of_another():
    """An index on one column that a longer index begins with is only one more to write on every insert."""
    redundant = []
    for model in apps.get_models():
        if not model.__module__.startswith("shubbak."):  # the project's own tables (not Django's, allauth's, axes')
            continue
        indexes = _indexes(model._meta.db_table)
        for columns in indexes:
            if len(columns) == 1 and any(len(other) > 1 and other[0] == columns[0] for other in indexes):
                redundant.append(f"{model._meta.db_table}.{columns[0]}")
    assert redundant == [], "\n".join(redundant)


@pytest.mark.django_db
def test_a_foreign_key_without_its_own_index_is_still_served_by_a_composite_one():
    for table, column in [
        ("helpdesk_case", "organisation_id"),
        ("helpdesk_case", "assigned_to_id"),
        ("audit_auditentry", "target_type_id"),
    ]:
        assert [column] not in _indexes(table)
        assert any(columns[0] == column for columns in _indexes(table))
