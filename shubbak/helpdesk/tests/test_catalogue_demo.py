"""The helpdesk part of the demo: catalogues, calendars, the Eids, and cases in every state, played through the services."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from shubbak.audit.models import AuditEntry
from shubbak.helpdesk import calendars
from shubbak.helpdesk.catalogue import CATALOGUE
from shubbak.helpdesk.models import Case, CaseEvent, FollowUp, Holiday, Service, Session, WorkingCalendar

pytestmark = pytest.mark.django_db


def test_the_demo_helpdesk_has_cases_in_every_state_and_loads_only_once(capsys):
    call_command("load_demo")
    counts = [m.objects.count() for m in (Service, Case, CaseEvent, Session, FollowUp, Holiday, AuditEntry)]
    assert "40 demo cases added" in capsys.readouterr().out

    assert Service.objects.filter(network__slug="munshati").count() == sum(len(c.services) for c in CATALOGUE)
    by_status = dict(Case.objects.order_by().values_list("status").annotate(n=Count("id")))
    assert set(by_status) == set(Case.Status.values) and sum(by_status.values()) == 40
    ahmad = Case.objects.filter(assigned_to__email="ahmad.qasem@nablus-chamber.example")
    assert ahmad.filter(status=Case.Status.ASSIGNED).exists() and ahmad.filter(status=Case.Status.IN_PROGRESS).exists()
    now = timezone.now()
    overdue = [c for c in Case.objects.all() if c.is_overdue(now)]
    assert len(overdue) >= 3 and all(c.escalated_at for c in overdue)
    assert Case.objects.filter(status=Case.Status.CLOSED, rating__isnull=False).count() >= 5
    assert Case.objects.filter(jobs_women__gt=0).exists() and Case.objects.filter(jobs_men__gt=0).exists()
    assert set(Case.objects.exclude(financing_currency="").values_list("financing_currency", flat=True)) >= {"USD", "SYP"}
    assert FollowUp.objects.filter(done_at__isnull=True, due_on__lte=timezone.localdate()).exists()  # lands in a queue now
    assert FollowUp.objects.filter(done_at__isnull=False).exists()

    # the history was written on its days, through the services
    kitchen = Case.objects.get(idempotency_key="demo-n16")
    assert (now - kitchen.created_at).days == 75 and kitchen.business_registered and kitchen.formalised
    assert kitchen.closed_at < now - datetime.timedelta(days=50)
    assert list(kitchen.events.values_list("kind", flat=True))[-1] == CaseEvent.Kind.CREATED
    assert all(e.created_at >= kitchen.created_at for e in kitchen.events.all())
    assert AuditEntry.objects.filter(target_type__model="case", action="create").count() == 40
    assert Session.objects.filter(case__idempotency_key="demo-n07").count() == 2

    # calendars: Friday in Palestine (Friday and Sunday in Bethlehem), Friday and Saturday in Syria and Yemen
    weekends = dict(WorkingCalendar.objects.values_list("organisation__slug", "weekend"))
    assert (weekends["nablus-chamber"], weekends["bethlehem-chamber"], weekends["smeda-aleppo"], weekends["smeps-hadramawt"]) == (
        "fri",
        "fri_sun",
        "fri_sat",
        "fri_sat",
    )
    eids = set(Holiday.objects.filter(organisation__slug="nablus-chamber").values_list("date", flat=True))
    assert {datetime.date(2026, 3, 20), datetime.date(2026, 5, 27), datetime.date(2027, 3, 9), datetime.date(2027, 5, 16)} <= eids
    assert calendars.WEEKENDS["fri"] == frozenset({calendars.FRIDAY})

    call_command("load_demo")
    assert "0 catalogue services and 0 demo cases added" in capsys.readouterr().out
    assert [m.objects.count() for m in (Service, Case, CaseEvent, Session, FollowUp, Holiday, AuditEntry)] == counts
