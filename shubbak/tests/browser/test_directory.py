"""The directory in a real browser, in Arabic, on a phone: search in another spelling, a partner's page, the offer form
with its rule editor (fields chosen redraw their choices), and a partner answering the questionnaire through its link."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shubbak.tests.browser.conftest import (
    SCREENSHOTS,
    assert_no_broken_arabic_words,
    assert_no_horizontal_overflow,
    htmx_settled,
    logged_in_page,
)


@pytest.fixture
def directory_actors(transactional_db, actors):
    from shubbak.referrals import directory
    from shubbak.referrals.models import Offer
    from shubbak.testing.factories import OrganisationFactory, ServiceCategoryFactory, ServiceFactory

    network = actors.organisation.network
    category = ServiceCategoryFactory(network=network, name_ar="الوصول إلى التمويل", name_en="Access to finance")
    loans = ServiceFactory(category=category, code="small-loans", name_ar="قروض صغيرة", name_en="Small loans")
    training = ServiceFactory(category=category, code="training", name_ar="تدريب على إدارة المشاريع", name_en="Business training")
    lender = OrganisationFactory(
        network=network, slug="faten", name_ar="مؤسسة فاتن للإقراض والتنمية", name_en="", kind="lender", governorate="PS-GZA"
    )
    contact = lender.contacts.create(
        name="سعاد كمال عبد الرحمن", position="مسؤولة الإقراض", phone="+970599123456", email="suad.abdelrahman.loans@faten-microfinance.ps"
    )
    Offer.objects.create(
        organisation=lender,
        service=loans,
        title="قروض الأسرة المنتجة للنساء",
        description="قروض صغيرة بلا فوائد لمشاريع النساء المنزلية، تسدد على ثمانية عشر شهراً.",
        rule={
            "all": [
                {"field": "person.gender", "op": "eq", "value": "female"},
                {"field": "person.age", "op": "between", "value": [18, 35]},
                {
                    "any": [
                        {"field": "person.displacement", "op": "eq", "value": "displaced"},
                        {"field": "person.war_injured", "op": "eq", "value": True},
                    ]
                },
            ]
        },
        governorates=["PS-GZA", "PS-KYS", "PS-RFH"],
        capacity_per_month=20,
        contact=contact,
        mou_start=datetime.date(2026, 1, 1),
        mou_end=datetime.date(2027, 12, 31),
    )
    centre = OrganisationFactory(network=network, slug="vtc", name_ar="مركز التدريب المهني", name_en="", kind="training_provider")
    Offer.objects.create(organisation=centre, service=training, title="دورة فن البيع", capacity_per_month=30)
    fund = OrganisationFactory(
        network=network, slug="sfd", name_ar="الصندوق الاجتماعي للتنمية", name_en="", kind="fund", email="info@sfd.example"
    )
    questionnaire = directory.questionnaire_create(
        actor=actors.manager,
        network=network,
        data={
            "title": "استبيان قدرات شركاء التمكين والإقراض",
            "introduction": "نرجو تعبئة منتجاتكم والفئات المستهدفة وقدرتكم الشهرية.",
            "due_on": timezone.localdate() + datetime.timedelta(days=14),
        },
    )
    actors.lender, actors.loans, actors.fund_response = lender, loans, questionnaire.responses.get(organisation=fund)
    return actors


def test_the_directory_on_a_phone_searches_in_another_spelling(phone_page, live_server, directory_actors):
    page = logged_in_page(phone_page, live_server, directory_actors.viewer)
    page.goto(f"{live_server.url}/directory/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.locator("#id_q").fill("الاسره المنتجه")  # no hamza, haa for taa marbuta
    expect(page).to_have_url(re.compile(r"/directory/\?q="), timeout=5000)
    expect(page.locator("#results")).to_contain_text("قروض الأسرة المنتجة للنساء")
    expect(page.locator("#results")).not_to_contain_text("دورة فن البيع")
    expect(page.locator("#results")).to_contain_text("سعاد كمال عبد الرحمن")
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "directory-search.png"), full_page=True)
    page.locator("#results").get_by_role("link", name="مؤسسة فاتن للإقراض والتنمية").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("مؤسسة فاتن للإقراض والتنمية")
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "directory-partner.png"), full_page=True)


def test_the_offer_form_with_its_rule_editor_on_a_phone(phone_page, live_server, directory_actors):
    page = logged_in_page(phone_page, live_server, directory_actors.admin)
    page.goto(f"{live_server.url}/directory/partners/{directory_actors.organisation.slug}/offers/new/")
    page.locator("#id_service").select_option(str(directory_actors.loans.pk))
    page.locator("#id_title").fill("قروض للشابات الخريجات")
    page.locator("#id_capacity_per_month").fill("15")
    page.locator("#id_rule-0-field").select_option("person.gender")  # redraws the row with the genders
    htmx_settled(page)
    page.locator("#id_rule-0-values_0").check()
    page.locator("#id_rule-1-field").select_option("person.age")
    htmx_settled(page)
    page.locator("#id_rule-1-low").fill("18")
    page.locator("#id_rule-1-high").fill("٣٥")  # Arabic-Indic digits
    page.locator("button[name=rule-add]").click()
    expect(page.locator("#id_rule-2-field")).to_be_visible()
    htmx_settled(page)
    page.locator("#id_rule-2-field").select_option("person.education")
    htmx_settled(page)
    page.locator("label[for=id_rule-2-values_0]").click()
    page.locator("label[for=id_rule-2-values_1]").click()
    expect(page.locator("#id_rule-0-values_0")).to_be_checked()  # what was chosen survives each redraw
    expect(page.locator("#id_rule-1-low")).to_have_value("18")
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "offer-form-rule-editor.png"), full_page=True)
    page.locator("#rule-editor").screenshot(path=str(SCREENSHOTS / "rule-editor.png"))
    page.locator("button[name=save]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("قروض للشابات الخريجات")
    expect(page.locator("main")).to_contain_text("35")
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "offer-detail.png"), full_page=True)
    from shubbak.referrals.models import Offer

    assert Offer.objects.get(title="قروض للشابات الخريجات").rule == {
        "all": [
            {"field": "person.gender", "op": "eq", "value": "female"},
            {"field": "person.age", "op": "between", "value": [18, 35]},
            {"field": "person.education", "op": "in", "value": ["university", "institute"]},
        ]
    }


def test_a_rule_on_an_unknown_field_is_told_in_the_form(phone_page, live_server, directory_actors):
    page = logged_in_page(phone_page, live_server, directory_actors.admin)
    page.goto(f"{live_server.url}/directory/partners/{directory_actors.organisation.slug}/offers/new/")
    page.locator("#id_service").select_option(str(directory_actors.loans.pk))
    page.locator("#id_title").fill("قروض")
    page.locator("#id_rule-0-field").select_option("person.age")
    page.locator("#id_rule-0-low").fill("شباب")  # not a number
    page.locator("button[name=save]").click()
    expect(page.locator("#rule-editor .alert-danger")).to_be_visible()
    expect(page.locator("#rule-0 .invalid-feedback")).to_be_visible()
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "offer-form-rule-error.png"), full_page=True)
    page.locator("#rule-editor").screenshot(path=str(SCREENSHOTS / "rule-editor-error.png"))


def test_a_partner_answers_the_questionnaire_through_its_link_on_a_phone(phone_page, live_server, directory_actors):
    from django.urls import reverse

    from shubbak.referrals import directory

    page = phone_page  # no account, no login: only the link
    page.goto(live_server.url + reverse("questionnaire_link", args=[directory.response_token(directory_actors.fund_response)]))
    expect(page.get_by_role("heading", level=1)).to_have_text("استبيان قدرات شركاء التمكين والإقراض")
    page.locator("#id_products-0-service").select_option(str(directory_actors.loans.pk))
    page.locator("#id_products-0-title").fill("قروض المشاريع الصغيرة للشباب")
    page.locator("label[for=id_products-0-target_groups_1]").click()  # young people
    page.locator("#id_products-0-capacity_per_month").fill("40")
    page.locator("#id_contact_name").fill("محمد بن محمد الديلمي")
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "questionnaire-link.png"), full_page=True)
    page.locator("button[name=submit]").click()
    expect(page.locator("main h1")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "questionnaire-thanks.png"), full_page=True)
    directory_actors.fund_response.refresh_from_db()
    assert directory_actors.fund_response.status == "submitted"
    assert directory_actors.fund_response.answers["products"][0]["target_groups"] == ["youth"]


def test_the_tracking_page_on_a_phone(phone_page, live_server, directory_actors):
    page = logged_in_page(phone_page, live_server, directory_actors.manager)
    page.goto(f"{live_server.url}/directory/questionnaires/{directory_actors.fund_response.questionnaire_id}/")
    expect(page.locator("main")).to_contain_text("الصندوق الاجتماعي للتنمية")
    page.locator(f"#response-{directory_actors.fund_response.pk} form button").first.click()  # remind now
    expect(page.locator(".alert-success")).to_be_visible()
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    page.screenshot(path=str(SCREENSHOTS / "questionnaire-tracking.png"), full_page=True)
