"""Referrals in a real browser, in Arabic on a phone: an officer refers a case's service in two clicks, the partner's
staff accept it in their portal, and a partner without an account answers through the signed link."""

import pytest
from playwright.sync_api import expect

from shubbak.tests.browser.conftest import PHONE, SCREENSHOTS, assert_no_horizontal_overflow, logged_in_page


@pytest.fixture
def world(transactional_db, actors):
    from shubbak.referrals.tests.referral_data import build_world

    return build_world(actors)


def _phone(new_context):
    return new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).new_page()


def test_an_officer_refers_and_the_partner_accepts_in_the_portal(phone_page, new_context, live_server, world):
    from shubbak.referrals.models import Referral

    case, case_service = world.case, world.case_service
    page = logged_in_page(phone_page, live_server, world.actors.officer)
    page.goto(f"{live_server.url}/cases/{case.pk}/services/{case_service.pk}/refer/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("قروض صغيرة")
    expect(page.locator("#id_shared_fields_0")).to_be_disabled()  # her name: no consent to share it
    expect(page.locator("#consent-note")).to_be_visible()
    expect(page.locator('input[value="age"]')).to_be_checked()
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "referral-refer.png"), full_page=True)

    page.locator(f'button[name="suggested"][value="offer:{world.offer.pk}"]').click()  # the second click
    expect(page.get_by_role("heading", level=1)).to_contain_text("الإحالة رقم")
    referral = Referral.objects.get()
    assert page.url == f"{live_server.url}/referrals/{referral.pk}/"
    assert (referral.to_organisation, referral.status, set(referral.shared)) == (
        world.partner,
        "sent",
        {"gender", "age", "governorate", "request"},
    )
    expect(page.locator("body")).to_contain_text(case.tracking_code)
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "referral-sent.png"), full_page=True)

    partner = logged_in_page(_phone(new_context), live_server, world.partner_staff)
    partner.goto(f"{live_server.url}/referrals/received/")
    card = partner.locator("article.received-referral")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("قرض لتوسيع المطبخ")  # what she asked for: shared
    expect(card).not_to_contain_text("هبة")  # her name: not shared
    expect(partner.locator("body")).not_to_contain_text(case.tracking_code)
    assert_no_horizontal_overflow(partner)
    partner.screenshot(path=str(SCREENSHOTS / "referral-portal.png"), full_page=True)

    card.locator(f'form[action="/referrals/{referral.pk}/accept/"] button').click()
    expect(partner.locator(".alert-success")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == "accepted"
    expect(partner.locator("article.received-referral details summary").first).to_be_visible()
    assert_no_horizontal_overflow(partner)
    partner.screenshot(path=str(SCREENSHOTS / "referral-accepted.png"), full_page=True)

    page.reload()
    expect(page.locator(".referral-status").first).to_have_text(referral.get_status_display())


def test_a_partner_without_an_account_answers_through_the_link(phone_page, live_server, world):
    from shubbak.referrals import links, services
    from shubbak.referrals.models import Referral

    referral = services.referral_send(
        actor=world.actors.officer,
        case_service=world.case_service,
        kind="partner",
        offer=world.quiet_offer,
        shared_fields=["gender", "age", "governorate", "enterprise", "request"],
        note="تحتاج قرضاً دواراً لشراء فرن ثانٍ",
    )
    page, url = phone_page, f"{live_server.url}/r/{links.referral_token(referral)}/"
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"رقم {referral.pk}")
    expect(page.locator("body")).to_contain_text("مطبخ هبة")
    expect(page.locator("body")).not_to_contain_text(world.case.tracking_code)
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "referral-link.png"), full_page=True)
    page.locator("details summary").first.click()  # decline: opens its form
    page.locator("textarea[name='decline-text']").fill("لا نقدم هذا القرض في نابلس حالياً")
    page.locator("textarea[name='decline-text'] ~ button").click()
    expect(page.locator("section[role=status]")).to_be_visible()
    assert Referral.objects.get().status == "declined"
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "referral-link-done.png"), full_page=True)
    response = page.goto(url)
    assert response.status == 410 and page.locator("section[role=alert]").is_visible()  # the link is closed with the referral
    page.screenshot(path=str(SCREENSHOTS / "referral-link-closed.png"), full_page=True)


def test_the_coordinator_follows_the_referrals_on_a_phone(phone_page, live_server, world):
    from shubbak.referrals import services

    referral = services.referral_send(
        actor=world.actors.officer, case_service=world.case_service, kind="partner", offer=world.offer, shared_fields=["age"], note=""
    )
    services.referral_accept(actor=world.partner_staff, referral=referral)
    page = logged_in_page(phone_page, live_server, world.actors.coordinator)
    page.goto(f"{live_server.url}/referrals/")
    expect(page.locator("#results")).to_contain_text("مؤسسة فاتن للإقراض")
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "referral-list.png"), full_page=True)
    page.goto(f"{live_server.url}/referrals/partners/")
    expect(page.locator(".partner-cards li")).to_have_count(1)  # cards on a phone, a table on a wider screen
    expect(page.locator(".partner-cards")).to_contain_text("مؤسسة فاتن للإقراض")
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "referral-partners.png"), full_page=True)
