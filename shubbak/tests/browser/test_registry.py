"""The registry in a real browser: search in another spelling → open → edit, on a phone, in Arabic."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from shubbak.tests.browser.conftest import SCREENSHOTS, assert_no_horizontal_overflow, logged_in_page


@pytest.fixture
def registry_actors(transactional_db, actors):
    from shubbak.registry import services

    person = services.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={
            "first_name": "فاطمة", "father_name": "عبد الله", "grandfather_name": "محمود", "family_name": "التميمي",
            "gender": "female", "birth_date": datetime.date(2001, 3, 14), "phone": "0599123456", "governorate": "PS-NBS",
        },
    )  # fmt: skip
    enterprise = services.enterprise_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"name_ar": "مطبخ فاطمة للمأكولات البيتية", "legal_form": "home_based", "governorate": "PS-NBS", "women_full_time": 2},
    )
    actors.person, actors.enterprise = person, enterprise
    return actors


def test_search_in_another_spelling_open_and_edit(phone_page, live_server, registry_actors):
    page = logged_in_page(phone_page, live_server, registry_actors.officer)
    page.goto(f"{live_server.url}/registry/")
    page.locator("#registry-q").fill("فاطمه عبدالله")  # taa marbuta as haa, «عبد الله» joined
    page.locator("#registry-q").press("Enter")
    page.get_by_role("link", name="فاطمة عبد الله محمود التميمي").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("فاطمة عبد الله محمود التميمي")
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "person.png"), full_page=True)
    page.locator(f'a[href="/people/{registry_actors.person.pk}/edit/"]').click()
    page.locator("#id_locality").fill("رفيديا")
    page.locator("#id_phone").fill("٠٥٩٨٧٦٥٤٣٢")  # Arabic-Indic digits
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "person-edit.png"), full_page=True)
    page.locator("form.card button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("فاطمة عبد الله محمود التميمي")
    expect(page.locator("body")).to_contain_text("رفيديا")
    expect(page.locator("body")).to_contain_text("+970598765432")


def test_registering_a_duplicate_shows_it_and_keeps_the_input(phone_page, live_server, registry_actors):
    page = logged_in_page(phone_page, live_server, registry_actors.officer)
    page.goto(f"{live_server.url}/people/new/")
    page.locator("#id_first_name").fill("فاطمه")
    page.locator("#id_family_name").fill("التميمى")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_phone").fill("0599 123 456")
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("#dup-heading")).to_be_visible()
    expect(page.locator("section.border-warning")).to_contain_text("فاطمة عبد الله محمود التميمي")
    expect(page.locator("#id_first_name")).to_have_value("فاطمه")
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "person-duplicates.png"), full_page=True)


def test_people_list_filters_live_and_enterprise_page_fits_a_phone(phone_page, live_server, registry_actors):
    page = logged_in_page(phone_page, live_server, registry_actors.officer)
    page.goto(f"{live_server.url}/people/")
    page.locator("#id_q").fill("التميمى")
    expect(page).to_have_url(re.compile(r"/people/\?q=%D8%A7%D9%84%D8%AA%D9%85%D9%8A%D9%85%D9%89"), timeout=5000)
    expect(page.locator("#results")).to_contain_text("فاطمة عبد الله محمود التميمي")
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "people.png"), full_page=True)
    page.goto(f"{live_server.url}/enterprises/{registry_actors.enterprise.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("مطبخ فاطمة للمأكولات البيتية")
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "enterprise.png"), full_page=True)
