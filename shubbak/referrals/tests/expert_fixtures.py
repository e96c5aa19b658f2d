"""Fixtures of the expert roster's tests: a service experts deliver, a vetted expert with an account, an expert
referral from the actors' chamber, an open assignment. Import the ones a test module uses."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone

from shubbak.helpdesk.models import Case, CaseService
from shubbak.referrals import experts as services
from shubbak.referrals.models import Expert, Referral
from shubbak.testing.factories import ServiceCategoryFactory, ServiceFactory

SHARED = {
    "gender": "female",
    "age": 24,
    "governorate": "PS-NBS",
    "request": {"service": "إعداد خطة عمل", "subject": "خطة عمل لمشغل خياطة", "description": "تريد قرضاً لشراء ماكينتين"},
}


@pytest.fixture
def business_plan(actors):
    category = ServiceCategoryFactory(network=actors.organisation.network, name_ar="استشارات الأعمال", name_en="Business consulting")
    return ServiceFactory(category=category, code="business-plan", name_ar="إعداد خطة عمل", name_en="Business plan", by_expert=True)


@pytest.fixture
def feasibility(business_plan):
    return ServiceFactory(
        category=business_plan.category,
        code="feasibility-study",
        name_ar="دراسة جدوى اقتصادية",
        name_en="Feasibility study",
        by_expert=True,
    )


@pytest.fixture
def expert_data(business_plan):
    return {
        "full_name": "سلمى يوسف الخطيب",
        "gender": "female",
        "phone": "٠٥٩٩ ٥٥٥ ١٢٣",
        "email": "Salma.Khatib@Experts.test",
        "specialisations": [business_plan],
        "qualifications": "ماجستير إدارة أعمال، عشر سنوات في دراسات الجدوى",
        "languages": ["en", "ar"],
        "governorates": ["PS-NBS", "PS-JEN"],
        "daily_rate": Decimal("150"),
        "currency": "USD",
        "availability": "available",
    }


@pytest.fixture
def salma(actors, expert_data) -> Expert:
    """A vetted expert on the roster the actors' chamber keeps (no account yet)."""
    expert = services.expert_save(actor=actors.admin, organisation=actors.organisation, data=expert_data)
    return services.expert_vet(actor=actors.coordinator, expert=expert, vetting="vetted", note="شهادات وتوصيتان")


@pytest.fixture
def salma_user(actors, salma):
    """Salma's own account (an expert's role in the chamber), with a password to log in."""
    user = services.expert_invite(actor=actors.admin, expert=salma)
    user.set_password("correct horse battery")
    user.save(update_fields=["password"])
    salma.refresh_from_db()
    return user


def make_referral(actors, expert: Expert, service, *, status=Referral.Status.ACCEPTED, days_ago: int = 30) -> Referral:
    """An expert referral of a case of the actors' chamber, sent `days_ago` days ago (set up directly: not under test)."""
    case = Case.objects.create(organisation=actors.organisation, subject="خطة عمل لمشغل خياطة", contact_name="هبة الأسمر")
    case_service = CaseService.objects.create(case=case, service=service, delivery=CaseService.Delivery.EXPERT)
    referral = Referral.objects.create(
        case=case,
        case_service=case_service,
        from_organisation=actors.organisation,
        kind=Referral.Kind.EXPERT,
        expert=expert,
        status=status,
        shared_fields=list(SHARED),
        shared=SHARED,
        note="العميلة متاحة صباحاً",
        created_by=actors.officer,
    )
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - datetime.timedelta(days=days_ago))
    referral.refresh_from_db()
    return referral


@pytest.fixture
def referral(actors, salma, business_plan) -> Referral:
    return make_referral(actors, salma, business_plan)


@pytest.fixture
def assignment(actors, referral):
    """An open assignment of 3 expected days at Salma's rate."""
    return services.assignment_create(
        actor=actors.coordinator,
        referral=referral,
        scope="إعداد خطة عمل وتوقعات مالية لثلاث سنوات",
        expected_days=Decimal("3"),
        deliverables="خطة العمل\nالتوقعات المالية",
    )


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes(word: bool = True) -> bytes:
    """A small Word file (or, with word=False, a zip that is not one), the same bytes every time: test ids show them,
    and the test workers must collect the same ids."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (("[Content_Types].xml", "<Types/>"), ("word/document.xml" if word else "xl/workbook.xml", "<w:document/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()
