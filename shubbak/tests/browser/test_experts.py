"""The expert roster and the expert's portal in a real browser, in Arabic, on a phone."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from shubbak.tests.browser.conftest import SCREENSHOTS, assert_no_broken_arabic_words, assert_no_horizontal_overflow, logged_in_page


@pytest.fixture
def expert_world(transactional_db, actors):
    """Two experts on the chamber's roster (one vetted, with an account), an expert referral and its open assignment."""
    from shubbak.referrals import experts as services
    from shubbak.referrals.tests.expert_fixtures import make_referral
    from shubbak.testing.factories import ServiceCategoryFactory, ServiceFactory

    category = ServiceCategoryFactory(network=actors.organisation.network, name_ar="استشارات الأعمال", name_en="Business consulting")
    plan = ServiceFactory(category=category, code="business-plan", name_ar="إعداد خطة عمل", name_en="Business plan", by_expert=True)
    study = ServiceFactory(category=category, code="feasibility", name_ar="دراسة جدوى اقتصادية", name_en="Feasibility", by_expert=True)
    salma = services.expert_save(
        actor=actors.admin,
        organisation=actors.organisation,
        data={
            "full_name": "سلمى يوسف عبد الرحمن الخطيب",
            "gender": "female",
            "phone": "0599555123",
            "email": "salma.khatib.consulting@experts-network.example",
            "specialisations": [plan, study],
            "qualifications": "ماجستير إدارة أعمال من جامعة النجاح الوطنية، عشر سنوات في دراسات الجدوى وخطط العمل للمشاريع الصغيرة",
            "languages": ["ar", "en"],
            "governorates": ["PS-NBS", "PS-JEN", "PS-TKM"],
            "daily_rate": Decimal("150"),
            "currency": "USD",
        },
    )
    services.expert_vet(actor=actors.coordinator, expert=salma, vetting="vetted", note="مقابلة وشهادتان وتوصيتان")
    services.expert_save(
        actor=actors.admin,
        organisation=actors.organisation,
        data={"full_name": "رامي سعيد", "gender": "male", "phone": "0598111222", "specialisations": [study], "languages": ["ar"]},
    )
    user = services.expert_invite(actor=actors.admin, expert=salma)
    user.set_password("correct horse battery")
    user.save(update_fields=["password"])
    assignment = services.assignment_create(
        actor=actors.coordinator,
        referral=make_referral(actors, salma, plan),
        scope="إعداد خطة عمل وتوقعات مالية لثلاث سنوات لمشغل خياطة نسائي",
        expected_days=Decimal("3"),
        deliverables="خطة العمل\nالتوقعات المالية",
    )
    services.timesheet_add(
        actor=user, assignment=assignment, date=datetime.date.today() - datetime.timedelta(days=2), days="1", work="زيارة المشغل"
    )
    actors.salma, actors.salma_user, actors.assignment = salma, user, assignment
    return actors


def test_the_roster_in_arabic_on_a_phone(phone_page, live_server, expert_world):
    page = logged_in_page(phone_page, live_server, expert_world.coordinator)
    page.goto(f"{live_server.url}/experts/")
    page.locator("#id_q").fill("سلمي الخطيب")  # alef maqsura typed as yaa
    expect(page).to_have_url(re.compile(r"/experts/\?q="), timeout=5000)
    results = page.locator("#results")
    expect(results).to_contain_text("سلمى يوسف عبد الرحمن الخطيب")
    expect(results).not_to_contain_text("رامي سعيد")
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "experts.png"), full_page=True)
    page.get_by_role("link", name="سلمى يوسف عبد الرحمن الخطيب").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("سلمى يوسف عبد الرحمن الخطيب")
    expect(page.locator("body")).to_contain_text("+970599555123")
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "expert.png"), full_page=True)
    page.goto(f"{live_server.url}/experts/{expert_world.salma.pk}/edit/")
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "expert-edit.png"), full_page=True)


def test_the_expert_records_a_day_on_her_portal(phone_page, live_server, expert_world):
    page = logged_in_page(phone_page, live_server, expert_world.salma_user)
    page.goto(f"{live_server.url}/experts/")  # the roster is not hers: she lands on her own page
    expect(page).to_have_url(f"{live_server.url}/expert/")
    expect(page.locator("main")).to_contain_text("إعداد خطة عمل")
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "expert-portal.png"), full_page=True)
    page.locator(f'a[href="/expert/assignments/{expert_world.assignment.pk}/"]').click()
    page.locator("label[for=id_days_1]").click()  # half a day
    page.locator("#id_work").fill("مراجعة التوقعات المالية مع صاحبة المشغل")
    page.locator("#id_deliverable").select_option("التوقعات المالية")
    page.locator(".timesheet-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("مراجعة التوقعات المالية مع صاحبة المشغل")
    assert expert_world.assignment.timesheets.filter(days=Decimal("0.5"), deliverable="التوقعات المالية").count() == 1
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "expert-portal-assignment.png"), full_page=True)
    page.locator("#id_work").fill("يوم مكرر")  # the same day again: refused, and what she typed stays
    page.locator(".timesheet-form button[type=submit]").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.locator("#id_work")).to_have_value("يوم مكرر")
    page.screenshot(path=str(SCREENSHOTS / "expert-portal-error.png"), full_page=True)


def test_the_coordinator_approves_and_closes_with_a_rating(phone_page, live_server, expert_world):
    page = logged_in_page(phone_page, live_server, expert_world.coordinator)
    page.goto(f"{live_server.url}/assignments/")
    expect(page.locator("main")).to_contain_text("سلمى يوسف عبد الرحمن الخطيب")
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "assignments.png"), full_page=True)
    page.goto(f"{live_server.url}/assignments/{expert_world.assignment.pk}/")
    page.locator("form[action$='/timesheets/approve/'] button.btn-success").first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.locator("label[for=id_rating_1]").click()  # 4 – good
    page.locator("#id_note").fill("خطة واضحة وسُلّمت في موعدها")
    page.locator("#form-close button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("★ 4/5")
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "assignment-closed.png"), full_page=True)
