"""The public request on a phone, in Arabic: fill the form, get the code, track the request with code and phone."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from shubbak.tests.browser.conftest import SCREENSHOTS, assert_no_broken_arabic_words, assert_no_horizontal_overflow


@pytest.fixture
def public_desk(transactional_db, actors):
    from shubbak.helpdesk import intake
    from shubbak.testing.factories import ServiceCategoryFactory, ServiceFactory

    cache.clear()  # rate counts of earlier tests
    intake.forget_catalogues()
    network = actors.organisation.network
    registration = ServiceCategoryFactory(network=network, name_ar="التسجيل والترخيص", position=1)
    advice = ServiceCategoryFactory(network=network, name_ar="الاستشارات والتمويل", position=2)
    ServiceFactory(
        category=registration,
        code="business-registration",
        name_ar="تسجيل منشأة لدى وزارة الاقتصاد الوطني",
        description_ar="نرافقك في إجراءات التسجيل ونراجع أوراقك قبل تقديمها.",
    )
    ServiceFactory(category=registration, code="trademark", name_ar="تسجيل علامة تجارية")
    ServiceFactory(category=advice, code="business-plan", name_ar="إعداد خطة عمل")
    ServiceFactory(category=advice, code="financing", name_ar="الوصول إلى التمويل")
    return actors


def test_a_client_sends_a_request_and_tracks_it_on_her_phone(phone_page, live_server, public_desk):
    page = phone_page
    page.goto(f"{live_server.url}/request/nablus/")
    expect(page.locator("h1 + p")).to_have_text(public_desk.organisation.name_ar)
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "public-request-form.png"), full_page=True)

    # sent with a mistake first: her answers stay, the message is next to the field
    page.get_by_label("تسجيل منشأة لدى وزارة الاقتصاد الوطني").check()
    page.get_by_label("إعداد خطة عمل").check()
    page.locator("#id_first_name").fill("سماح")
    page.locator("#id_father_name").fill("خليل")
    page.locator("#id_family_name").fill("الجعبري")
    page.locator("#id_gender_0").check()
    page.locator("#id_phone").fill("٠٥٩٩ ٢٢")  # two digits short
    page.locator("#id_governorate").select_option("PS-HBN")
    page.locator("#id_enterprise_name").fill("مشغل سماح للخياطة والتطريز")
    page.locator("#id_legal_form").select_option("home_based")
    page.locator("#id_subject").fill("أريد تسجيل مشغل الخياطة الذي أديره من البيت")
    page.locator("#id_description").fill("<script>alert(1)</script> أعمل مع ثلاث نساء من الحي")
    page.locator("#id_heard_from").select_option("social")
    page.locator("#id_consent_data").check()
    page.get_by_role("button", name=re.compile("إرسال|Send")).click()
    expect(page.locator(".invalid-feedback")).to_have_count(1)
    expect(page.locator("#id_subject")).to_have_value("أريد تسجيل مشغل الخياطة الذي أديره من البيت")
    expect(page.get_by_label("إعداد خطة عمل")).to_be_checked()
    assert_no_horizontal_overflow(page)
    page.locator("#id_phone").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "public-request-error.png"))

    page.locator("#id_phone").fill("٠٥٩٩ ٢٢٢ ٣٣٣")
    page.get_by_role("button", name=re.compile("إرسال|Send")).click()
    expect(page).to_have_url(f"{live_server.url}/request/nablus/sent/")
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code), code
    expect(page.locator("#sms-text")).to_contain_text(code)
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "public-request-sent.png"), full_page=True)

    page.locator("a[href='/track/']").last.click()
    page.locator("#id_code").fill(code.lower().replace("-", " "))
    page.locator("#id_phone").fill("0599222333")
    page.locator("#track-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/track/case/")
    expect(page.locator("#case-status")).to_be_visible()
    expect(page.locator("body")).to_contain_text("تسجيل منشأة لدى وزارة الاقتصاد الوطني")
    expect(page.locator("body")).not_to_contain_text("<script>")  # the description is not shown to anyone here anyway
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "public-track-case.png"), full_page=True)


def test_a_wrong_pair_gets_one_message(phone_page, live_server, public_desk):
    page = phone_page
    page.goto(f"{live_server.url}/track/")
    page.locator("#id_code").fill("ABCD-EFGH-JKMN")
    page.locator("#id_phone").fill("0599000000")
    page.locator("#track-form button[type=submit]").click()
    expect(page.locator(".alert-danger")).to_have_count(1)
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "public-track-wrong.png"), full_page=True)
