"""The referral network's demo: every referral state, experts with accounts, assignments; loading twice adds nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shubbak.audit.models import AuditEntry
from shubbak.referrals.models import Assignment, Expert, Offer, QuestionnaireResponse, Referral, Timesheet

pytestmark = pytest.mark.django_db


def test_the_demo_needs_the_networks_first():
    with pytest.raises(CommandError):
        call_command("load_referrals_demo", stdout=StringIO())


def test_the_demo_has_every_state_and_loads_once():
    call_command("load_demo", stdout=StringIO())
    call_command("load_referrals_demo", stdout=StringIO())
    assert set(Referral.objects.values_list("status", flat=True)) == set(Referral.Status.values)
    assert set(Referral.objects.values_list("kind", flat=True)) == {"partner", "expert"}
    assert set(Expert.objects.values_list("vetting", flat=True)) == {"pending", "suspended", "vetted"}
    assert Expert.objects.filter(user__isnull=False).count() == 2
    assert sorted((a.status, a.rating) for a in Assignment.objects.all()) == [("closed", 5), ("open", None)]
    assert Timesheet.objects.filter(approved_at__isnull=True).count() == 1
    assert set(QuestionnaireResponse.objects.values_list("status", flat=True)) == {"waiting", "submitted", "reviewed"}
    counts = (Referral.objects.count(), Offer.objects.count(), Expert.objects.count(), AuditEntry.objects.count())
    out = StringIO()
    call_command("load_referrals_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Referral.objects.count(), Offer.objects.count(), Expert.objects.count(), AuditEntry.objects.count()) == counts
