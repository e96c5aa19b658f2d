"""Test data for the directory, the questionnaire and matching: partners, offers, experts, a client's case, referrals."""

import datetime

from django.utils import timezone

from shubbak.helpdesk import services as helpdesk_services
from shubbak.helpdesk.models import CaseService
from shubbak.organisations.models import Organisation
from shubbak.referrals.models import Expert, Offer, Referral
from shubbak.registry import services as registry_services
from shubbak.testing.factories import OrganisationFactory, ServiceCategoryFactory, ServiceFactory

YOUNG_WOMEN = {
    "all": [
        {"field": "person.gender", "op": "eq", "value": "female"},
        {"field": "person.age", "op": "between", "value": [18, 35]},
    ]
}
MEN_ONLY = {"all": [{"field": "person.gender", "op": "eq", "value": "male"}]}
OVER_40 = {"all": [{"field": "person.age", "op": "gte", "value": 40}]}


def years_ago(years: int, today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def service_in(network, *, name_ar: str = "قروض صغيرة", name_en: str = "Small loans", code: str = "small-loans", **flags):
    category = ServiceCategoryFactory(network=network, name_ar="الوصول إلى التمويل", name_en="Access to finance")
    return ServiceFactory(category=category, name_ar=name_ar, name_en=name_en, code=code, **flags)


def partner(network, name_ar: str, *, kind: str = Organisation.Kind.LENDER, governorate: str = "PS-NBS", **extra) -> Organisation:
    extra.setdefault("name_en", "")  # one name in either language, for the tests to compare
    return OrganisationFactory(network=network, name_ar=name_ar, kind=kind, governorate=governorate, **extra)


def offer(organisation, service, *, title: str = "قروض للنساء", rule=None, governorates=(), capacity=None, **extra) -> Offer:
    return Offer.objects.create(
        organisation=organisation,
        service=service,
        title=title,
        rule=rule or {},
        governorates=list(governorates),
        capacity_per_month=capacity,
        **extra,
    )


def expert(network, keeper, service, *, name: str = "سناء الخطيب", governorates=(), **extra) -> Expert:
    fields = {"vetting": Expert.Vetting.VETTED, "availability": Expert.Availability.AVAILABLE, "gender": "female", **extra}
    record = Expert.objects.create(network=network, organisation=keeper, full_name=name, governorates=list(governorates), **fields)
    record.specialisations.add(service)
    return record


def client_case(actors, service, *, gender: str = "female", age: int = 24, governorate: str = "PS-NBS", status: str = "informal"):
    """A case of the actors' desk for a client (a person with an enterprise) asking for `service`; its CaseService."""
    person = registry_services.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"first_name": "هبة", "family_name": "النجار", "gender": gender, "birth_date": years_ago(age), "governorate": governorate},
        confirmed=True,
    )
    legal_form = "informal" if status in ("idea", "informal") else "sole"
    enterprise = registry_services.enterprise_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"name_ar": "مطبخ هبة", "legal_form": legal_form, "status": status, "governorate": governorate},
        confirmed=True,
    )
    case = helpdesk_services.case_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"subject": "قرض لتوسيع المطبخ", "person": person, "enterprise": enterprise},
        services=[service],
        notify_staff=False,
    )
    return CaseService.objects.select_related("case", "service").get(case=case, service=service)


def referrals(case_service, *, statuses: dict[str, int], offer: Offer | None = None, expert: Expert | None = None, sent_at=None):
    """Referrals of `case_service` to an offer's partner or to an expert: {status: how many}."""
    case = case_service.case
    made = []
    for status, count in statuses.items():
        for _ in range(count):
            made.append(
                Referral(
                    case=case,
                    case_service=case_service,
                    from_organisation=case.organisation,
                    kind=Referral.Kind.EXPERT if expert else Referral.Kind.PARTNER,
                    to_organisation=None if expert else offer.organisation,
                    offer=offer,
                    expert=expert,
                    status=status,
                )
            )
    Referral.objects.bulk_create(made)
    if sent_at is not None:
        Referral.objects.filter(pk__in=[r.pk for r in made]).update(sent_at=sent_at)
    return made
