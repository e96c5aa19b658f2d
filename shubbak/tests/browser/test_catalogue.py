"""The service catalogue and the working calendar in a real browser, in Arabic, on a phone."""

import pytest
from playwright.sync_api import expect

from shubbak.tests.browser.conftest import SCREENSHOTS, assert_no_broken_arabic_words, assert_no_horizontal_overflow, logged_in_page


@pytest.fixture
def catalogue_actors(transactional_db, actors):
    from shubbak.helpdesk.catalogue import catalogue_load

    catalogue_load(actor=None, network=actors.organisation.network)
    return actors


def test_an_officer_searches_the_catalogue_in_another_spelling(phone_page, live_server, catalogue_actors):
    page = logged_in_page(phone_page, live_server, catalogue_actors.officer)
    page.goto(f"{live_server.url}/services/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#results")).to_contain_text("خدمات التشغيل")
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "catalogue.png"))
    page.locator("#id_q").fill("العلامه التجاريه")  # taa marbuta written as haa: found all the same, live
    expect(page.locator("#results")).not_to_contain_text("خطة تسويق", timeout=5000)
    expect(page.locator("#results")).to_contain_text("تسجيل علامة تجارية")
    page.locator("#results details summary").first.click()
    expect(page.locator("#results details li").first).to_be_visible()
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "catalogue-search.png"), full_page=True)


def test_a_network_manager_edits_a_service_on_a_phone(phone_page, live_server, catalogue_actors):
    from shubbak.helpdesk.models import Service

    service = Service.objects.get(code="trademark-registration")
    page = logged_in_page(phone_page, live_server, catalogue_actors.manager)
    page.goto(f"{live_server.url}/services/#service-{service.pk}")
    page.locator(f'a[href="/services/{service.pk}/edit/"]').click()
    expect(page.locator("#id_name_ar")).to_have_value("تسجيل علامة تجارية")
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "service-form.png"), full_page=True)
    page.locator("#id_resolution_days").fill("25")
    page.locator("form.card button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    service.refresh_from_db()
    assert service.resolution_days == 25


def test_a_coordinator_sets_the_rest_days_and_adds_an_eid(phone_page, live_server, catalogue_actors):
    page = logged_in_page(phone_page, live_server, catalogue_actors.coordinator)
    page.goto(f"{live_server.url}/o/{catalogue_actors.organisation.slug}/")
    page.locator(f'a[href="/o/{catalogue_actors.organisation.slug}/calendar/"]').click()
    page.locator("#id_weekend").select_option("fri_sat")
    page.locator('form:has(input[value="calendar"]) button[type=submit]').click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#id_weekend")).to_have_value("fri_sat")
    page.locator("#id_date").fill("2027-03-09")
    page.locator("#id_name").fill("عيد الفطر – اليوم الأول")
    page.locator('form:has(input[value="holiday"]) button[type=submit]').click()
    expect(page.locator("#added-holidays + p + ul")).to_contain_text("عيد الفطر – اليوم الأول")
    expect(page.locator("#added-holidays + p + ul")).to_contain_text("1 شوال 1448 هـ")
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "calendar.png"), full_page=True)
    page.locator("#added-holidays + p + ul form button").click()
    expect(page.locator("#added-holidays + p + ul")).not_to_contain_text("عيد الفطر – اليوم الأول")


def test_a_viewer_reads_the_calendar_without_forms(phone_page, live_server, catalogue_actors):
    page = logged_in_page(phone_page, live_server, catalogue_actors.viewer)
    page.goto(f"{live_server.url}/o/{catalogue_actors.organisation.slug}/calendar/")
    expect(page.locator("#fixed-holidays")).to_be_visible()
    expect(page.locator("#id_weekend")).to_have_count(0)
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "calendar-viewer.png"), full_page=True)
