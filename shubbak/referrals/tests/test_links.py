"""Signed links for receivers without accounts: what they open, what they refuse, and how often."""

import datetime
from unittest import mock

import pytest
from django.core import signing
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from shubbak.helpdesk.models import CaseService
from shubbak.referrals import links, services
from shubbak.referrals.models import Referral

from .referral_data import build_world, send

pytestmark = pytest.mark.django_db
Status = Referral.Status


@pytest.fixture
def world(actors):
    return build_world(actors)


@pytest.fixture
def referral(world):
    return send(world, kind="partner", offer=world.quiet_offer)


def _url(referral) -> str:
    return f"/r/{links.referral_token(referral)}/"


def _refused(response, status: int, error: type[links.LinkError]):
    """A refusal: the status, a page in Arabic saying why, nothing of the referral."""
    body = response.content.decode()
    assert response.status_code == status
    assert 'lang="ar"' in body and 'dir="rtl"' in body
    with translation.override("ar"):
        assert escape(str(error.message)) in body
    for leak in ("قرض لتوسيع المطبخ", "هبة", "تحتاج قرضاً", "Small loans", "قروض صغيرة"):
        assert leak not in body
    assert response["Referrer-Policy"] == "same-origin" and "no-store" in response["Cache-Control"]


def test_the_link_opens_only_what_was_shared(client, referral):
    response = client.get(_url(referral))
    body = response.content.decode()
    assert response.status_code == 200
    assert "قرض لتوسيع المطبخ" in body and "تحتاج قرضاً صغيراً" in body  # the request and the note, shared
    assert "هبة" not in body and "0599" not in body and referral.case.tracking_code not in body  # no identity, no case code
    assert response["Referrer-Policy"] == "same-origin" and "noindex" in response["X-Robots-Tag"]


def test_accept_then_report_the_outcome_through_the_link(client, referral):
    url = _url(referral)
    response = client.post(url, {"action": "accept", "accept-text": ""})
    assert response.status_code == 302 and response["Location"] == url
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    response = client.post(url, {"action": "complete", "complete-text": "حصلت على قرض بقيمة 1500 دولار"})
    assert response.status_code == 200
    with translation.override("ar"):
        assert escape(gettext("Thank you: your answer was recorded.")) in response.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.outcome_note) == (Status.COMPLETED, "حصلت على قرض بقيمة 1500 دولار")
    assert CaseService.objects.get(pk=referral.case_service_id).status == CaseService.Status.DELIVERED
    _refused(client.get(url), 410, links.Closed)  # the loop is closed: the link with it


def test_declining_through_the_link_needs_a_reason(client, referral):
    url = _url(referral)
    response = client.post(url, {"action": "decline", "decline-text": " "}, follow=True)
    assert Referral.objects.get().status == Status.SENT
    assert response.status_code == 200
    client.post(url, {"action": "decline", "decline-text": "لا نقدم قروضاً في هذه المحافظة"})
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (Status.DECLINED, "لا نقدم قروضاً في هذه المحافظة")


def test_a_link_holder_cannot_cancel_or_act_out_of_turn(client, referral):
    url = _url(referral)
    _refused(client.post(url, {"action": "cancel"}), 403, links.Tampered)
    response = client.post(url, {"action": "complete", "complete-text": "تم"}, follow=True)
    assert Referral.objects.get().status == Status.SENT
    assert response.status_code == 200


def test_a_tampered_link_is_refused(client, referral):
    token = links.referral_token(referral)
    _refused(client.get(f"/r/{token[:-2]}xx/"), 403, links.Tampered)
    _refused(client.get("/r/not-a-token/"), 403, links.Tampered)
    forged = signing.dumps([referral.pk + 1, referral.link_key], salt=links.SALTS["referral"], compress=False)[:-4] + "abcd"
    _refused(client.get(f"/r/{forged}/"), 403, links.Tampered)


def test_a_link_signed_for_another_purpose_or_referral_is_refused(client, world, referral):
    other = signing.dumps([referral.pk, referral.link_key], salt="shubbak.something-else", compress=False)
    _refused(client.get(f"/r/{other}/"), 403, links.Tampered)
    services.referral_cancel(actor=world.actors.officer, referral=referral)
    second = send(world)  # another referral: its own key
    stolen = signing.dumps([second.pk, referral.link_key], salt=links.SALTS["referral"], compress=False)
    _refused(client.get(f"/r/{stolen}/"), 410, links.Replaced)


def test_an_expired_link_is_refused(client, referral):
    url = _url(referral)
    Referral.objects.filter(pk=referral.pk).update(link_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    _refused(client.get(url), 410, links.Expired)


def test_a_link_older_than_its_lifetime_is_refused_whatever_the_referral_says(client, referral, settings):
    settings.REFERRAL_LINK_DAYS = 30
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - 31 * 86400):
        old = links.referral_token(referral)
    Referral.objects.filter(pk=referral.pk).update(link_expires_at=timezone.now() + datetime.timedelta(days=5))
    _refused(client.get(f"/r/{old}/"), 410, links.Expired)


def test_a_revoked_link_is_refused_and_a_new_one_replaces_the_old(client, world, referral):
    old_url = _url(referral)
    services.referral_link_revoke(actor=world.actors.officer, referral=referral)
    _refused(client.get(old_url), 410, links.Revoked)
    referral, token = services.referral_link_renew(actor=world.actors.officer, referral=referral)
    _refused(client.get(old_url), 410, links.Replaced)  # "reused": the key rotated
    assert client.get(f"/r/{token}/").status_code == 200


def test_renewing_is_for_the_sender_of_an_open_referral(world, referral):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.referral_link_renew(actor=world.partner_staff, referral=referral)
    with pytest.raises(PermissionDenied):
        services.referral_link_revoke(actor=world.actors.viewer, referral=referral)
    services.referral_cancel(actor=world.actors.officer, referral=referral)
    with pytest.raises(ValidationError):
        services.referral_link_renew(actor=world.actors.officer, referral=referral)


def test_the_link_pages_are_rate_limited_per_address(client, referral, settings):
    settings.REFERRAL_LINK_RATE = (5, 600)
    url = _url(referral)
    for _ in range(5):
        assert client.get(url).status_code == 200
    _refused(client.get(url), 429, links.RateLimited)
    _refused(client.get("/r/anything/"), 429, links.RateLimited)  # bad guesses count too
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address is not held back


def test_tokens_carry_the_referral_and_its_key(referral):
    assert links.unsign("referral", links.referral_token(referral), 60) == [referral.pk, referral.link_key]
    assert links.referral_link(referral).startswith("http") and "/r/" in links.referral_link(referral)
