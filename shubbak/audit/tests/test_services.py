import datetime

import pytest

from shubbak.audit.models import AuditEntry
from shubbak.audit.services import audit_record, diff, snapshot
from shubbak.middleware import RequestContext, _current
from shubbak.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_snapshot_is_json_safe_and_leaves_out_secrets_and_timestamps(actors):
    values = snapshot(actors.officer)
    assert "password" not in values
    assert values["email"] == actors.officer.email
    assert isinstance(values["date_joined"], str)
    assert "updated_at" not in snapshot(actors.organisation)


def test_diff_lists_only_changed_fields_as_before_after():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}
    assert diff({}, {"x": "y"}) == {"x": [None, "y"]}


def test_an_entry_records_where_the_request_came_from(actors):
    token = _current.set(RequestContext(source="api", ip="10.0.0.7", user_agent="Mozilla/5.0"))
    try:
        entry = audit_record(
            actor=actors.admin, action="update", target=actors.desk, organisation=actors.organisation, changes={"x": [1, 2]}
        )
    finally:
        _current.reset(token)
    entry.refresh_from_db()
    assert (entry.source, entry.ip, entry.user_agent, entry.target_label) == ("api", "10.0.0.7", "Mozilla/5.0", "مكتب منشأتي – نابلس")
    assert entry.at.date() <= datetime.date.today() + datetime.timedelta(days=1)


def test_an_entry_by_the_system_has_no_actor():
    organisation = OrganisationFactory()
    entry = audit_record(actor=None, action="create", target=organisation, organisation=organisation)
    assert (entry.actor, entry.actor_label, entry.source) == (None, "", "command")


def test_entries_outlive_the_people_who_made_them(actors):
    entry = audit_record(actor=actors.officer, action="update", target=actors.desk, organisation=actors.organisation)
    actors.officer.delete()
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_label) == (None, entry.actor_label)
    assert entry.actor_label.endswith("@shubbak.test")
    assert AuditEntry.objects.count() == 1
