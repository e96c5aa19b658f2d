"""The desk officer's day in a real browser, in Arabic: the queue, a case, a session, a message, the outcome."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shubbak.tests.browser.conftest import SCREENSHOTS, assert_no_broken_arabic_words, assert_no_horizontal_overflow, logged_in_page

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def desk(transactional_db, actors):
    """A catalogue and a queue with a realistic mix: the officer's case, a new one, an overdue one, a long one."""
    from shubbak.helpdesk import services
    from shubbak.helpdesk.models import Case, Session
    from shubbak.registry import services as registry_services
    from shubbak.testing.factories import ServiceCategoryFactory, ServiceFactory

    network = actors.organisation.network
    consulting = ServiceCategoryFactory(network=network, name_ar="الاستشارات والتخطيط", name_en="Consulting")
    legal = ServiceCategoryFactory(network=network, name_ar="الخدمات القانونية والإدارية", name_en="Legal")
    registration = ServiceFactory(category=legal, name_ar="تسجيل منشأة لدى وزارة الاقتصاد الوطني", name_en="Business registration")
    plan = ServiceFactory(category=consulting, name_ar="إعداد خطة عمل ودراسة جدوى", name_en="Business plan")
    ServiceFactory(category=legal, name_ar="تسجيل علامة تجارية", name_en="Trademark registration")

    def case(subject, chosen, **data):
        data = {"subject": subject, "channel": Case.Channel.WALK_IN, **data}
        return services.case_create(actor=actors.officer, organisation=actors.organisation, data=data, services=chosen)

    mine = case(
        "تسجيل مشغل خياطة منزلي وتحويله إلى منشأة رسمية",
        [registration, plan],
        contact_name="سناء محمود عودة",
        contact_phone="0599 123 456",
        contact_email="sanaa.odeh.tailoring-workshop@example.ps",
        description="لدي مشغل خياطة في البيت منذ ثلاث سنوات وأريد تسجيله رسمياً والحصول على تمويل صغير لشراء ماكنتين.",
    )
    services.case_assign(actor=actors.officer, case=mine, assignee=actors.officer)
    services.note_add(actor=actors.officer, case=mine, text="العميلة تفضل الاتصال بعد الساعة الرابعة مساءً.")
    late = case("استشارة قانونية حول عقد إيجار المحل", [registration], contact_name="خليل إبراهيم", contact_phone="0598 765 432")
    services.case_assign(actor=actors.coordinator, case=late, assignee=actors.officer)
    Case.objects.filter(pk=late.pk).update(resolution_due=timezone.now() - datetime.timedelta(days=2))
    case("طلب دراسة جدوى لمشروع تربية نحل في طوباس", [plan], contact_name="مريم يوسف", contact_phone="0597 111 222", priority="urgent")
    services.session_add(actor=actors.officer, case=late, session=Session(minutes=75, topic="قراءة عقد الإيجار مع المحامي"))
    registry_services.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"first_name": "سناء", "father_name": "محمود", "family_name": "عودة", "gender": "female", "phone": "0599123456"},
    )
    actors.mine = mine
    return actors


def check_page(page, name: str):
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_an_officer_serves_a_case_on_her_phone(phone_page, live_server, desk):
    page = logged_in_page(phone_page, live_server, desk.officer)
    expect(page.locator("#my-queue")).to_contain_text("تسجيل مشغل خياطة منزلي")  # the home page's block, loaded by HTMX
    page.goto(f"{live_server.url}/cases/")
    expect(page.locator("#results")).to_contain_text("طلب دراسة جدوى لمشروع تربية نحل")
    expect(page.locator("#results .badge.text-bg-danger").first).to_be_visible()  # the overdue case says so, in words
    check_page(page, "cases-queue-phone")

    page.get_by_role("link", name="تسجيل مشغل خياطة منزلي وتحويله إلى منشأة رسمية").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("تسجيل مشغل خياطة منزلي وتحويله إلى منشأة رسمية")
    check_page(page, "case-phone")

    page.locator("#form-session summary").click()
    page.locator("#id_minutes").fill("45")
    page.locator("#id_mode").select_option("in_person")
    page.locator("#id_topic").fill("مراجعة الوثائق المطلوبة للتسجيل")
    page.locator("#id_notes").fill("أحضرت الهوية وعقد الإيجار؛ ينقص إذن البلدية.")
    check_page(page, "case-session-form-phone")
    with page.expect_navigation():
        page.locator("#form-session button[type=submit]").click()
    expect(page.locator("#sessions-heading + p")).to_contain_text("45")
    expect(page.locator("#timeline")).to_contain_text("مراجعة الوثائق المطلوبة للتسجيل")

    page.locator("#form-message summary").click()
    page.locator("#message-text").fill("يرجى إحضار إذن البلدية يوم الأحد القادم.")
    with page.expect_navigation():
        page.locator("#form-message button[type=submit]").click()
    expect(page.locator("#timeline li.border-info").first).to_contain_text("يرجى إحضار إذن البلدية")

    page.locator("#form-resolve summary").click()
    page.locator("#outcome-outcome").select_option("served")
    page.locator("#outcome-business_registered").check()
    page.locator("#outcome-jobs_women").fill("2")
    page.locator("#outcome-financing_amount").fill("3000")
    page.locator("#outcome-financing_currency").select_option("ILS")
    check_page(page, "case-resolve-form-phone")
    with page.expect_navigation():
        page.locator("#form-resolve button[type=submit]").click()
    expect(page.locator("#outcome-heading")).to_be_visible()
    expect(page.locator("#form-close")).to_be_visible()
    check_page(page, "case-resolved-phone")

    desk.mine.refresh_from_db()
    assert (desk.mine.status, desk.mine.outcome, desk.mine.jobs_women, desk.mine.sessions.get().minutes) == ("resolved", "served", 2, 45)


def test_the_queue_filters_live_and_the_pages_fit_a_desktop(new_context, live_server, desk):
    page = new_context(viewport=DESKTOP).new_page()
    logged_in_page(page, live_server, desk.coordinator)
    page.goto(f"{live_server.url}/cases/")
    page.locator("#id_q").fill("نحل")
    expect(page.locator("#results li.queue-row")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("طلب دراسة جدوى لمشروع تربية نحل")
    page.locator("#id_q").fill("")
    expect(page.locator("#results li.queue-row")).to_have_count(3)
    check_page(page, "cases-queue-desktop")

    page.goto(f"{live_server.url}/cases/{desk.mine.pk}/")
    check_page(page, "case-desktop")

    page.goto(f"{live_server.url}/cases/new/")
    page.locator("#registry-q").fill("سناء")
    expect(page.locator("#registry-candidates")).to_contain_text("سناء محمود عودة")
    check_page(page, "case-new-desktop")

    page.goto(f"{live_server.url}/cases/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, "cases-dashboard-desktop")


def test_the_new_case_form_and_the_dashboard_fit_a_phone(phone_page, live_server, desk):
    page = logged_in_page(phone_page, live_server, desk.coordinator)
    page.goto(f"{live_server.url}/cases/new/")
    page.locator("#id_subject").fill("طلب بدون خدمة")
    with page.expect_navigation():
        page.locator("form.card button[type=submit]").click()
    expect(page.locator("#id_subject")).to_have_value("طلب بدون خدمة")  # nothing typed is lost
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    check_page(page, "case-new-error-phone")
    page.goto(f"{live_server.url}/cases/dashboard/")
    check_page(page, "cases-dashboard-phone")
    page.goto(f"{live_server.url}/notifications/")
    check_page(page, "notifications-phone")
