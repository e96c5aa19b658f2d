"""Test data for referrals: a desk's case for a client, a partner with staff, another partner, an expert; sending."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from shubbak.accounts.models import User
from shubbak.helpdesk import services as helpdesk_services
from shubbak.helpdesk.models import Case, CaseService
from shubbak.organisations.models import Membership, Organisation
from shubbak.referrals import services
from shubbak.referrals.models import Expert, Offer, Referral
from shubbak.registry import services as registry_services
from shubbak.registry.models import Consent
from shubbak.testing.access import Actors
from shubbak.testing.factories import (
    ContactFactory,
    MembershipFactory,
    OrganisationFactory,
    ServiceCategoryFactory,
    ServiceFactory,
    UserFactory,
)

Role = Membership.Role


def years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@dataclass
class World:
    """The actors' chamber (the sender), a partner with staff and an offer, another partner, an expert, a client's case."""

    actors: Actors
    service: object
    partner: Organisation
    partner_staff: User
    partner_viewer: User
    other_partner: Organisation
    other_staff: User
    quiet_partner: Organisation  # no accounts: answers through the signed link
    offer: Offer
    quiet_offer: Offer
    expert: Expert
    case: Case
    case_service: CaseService

    @property
    def person(self):
        return self.case.person


def staff(organisation, role, name) -> User:
    user = UserFactory(full_name=name)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def build_world(actors: Actors, *, consent: bool = False) -> World:
    network = actors.organisation.network
    category = ServiceCategoryFactory(network=network, name_ar="الوصول إلى التمويل", name_en="Access to finance")
    service = ServiceFactory(
        category=category, name_ar="قروض صغيرة", name_en="Small loans", code="small-loans", in_house=False, by_partner=True, by_expert=True
    )
    partner = OrganisationFactory(network=network, slug="faten", name_ar="مؤسسة فاتن للإقراض", name_en="", kind="lender")
    other = OrganisationFactory(network=network, slug="reef", name_ar="مؤسسة ريف للتمويل", name_en="", kind="lender")
    quiet = OrganisationFactory(
        network=network, slug="tadamon", name_ar="جمعية التضامن", name_en="", kind="ngo", email="info@tadamon.example"
    )
    offer = Offer.objects.create(organisation=partner, service=service, title="قروض للشابات")
    contact = ContactFactory(organisation=quiet, name="سعاد كمال", email="suad@tadamon.example")
    quiet_offer = Offer.objects.create(organisation=quiet, service=service, title="قروض دوارة", contact=contact)
    expert = Expert.objects.create(
        network=network,
        organisation=actors.organisation,
        full_name="سناء الخطيب",
        gender="female",
        email="sanaa@experts.example",
        vetting=Expert.Vetting.VETTED,
    )
    expert.specialisations.add(service)
    person = registry_services.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={
            "first_name": "هبة", "family_name": "النجار", "gender": "female", "birth_date": years_ago(24),
            "governorate": "PS-NBS", "phone": "0599123456", "email": "heba@example.ps", "national_id": "123456782",
            "education": "university", "id_type": "ps_id",
        },
        consents=["share"] if consent else [],
        confirmed=True,
    )  # fmt: skip
    enterprise = registry_services.enterprise_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"name_ar": "مطبخ هبة", "legal_form": "informal", "status": "informal", "governorate": "PS-NBS", "isic_section": "I"},
        confirmed=True,
    )
    case = helpdesk_services.case_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"subject": "قرض لتوسيع المطبخ", "description": "تريد فرناً ثانياً", "person": person, "enterprise": enterprise},
        services=[service],
    )
    helpdesk_services.case_assign(actor=actors.officer, case=case, assignee=actors.officer)
    return World(
        actors=actors,
        service=service,
        partner=partner,
        partner_staff=staff(partner, Role.PARTNER_STAFF, "ليلى منصور"),
        partner_viewer=staff(partner, Role.VIEWER, "سمير داود"),
        other_partner=other,
        other_staff=staff(other, Role.PARTNER_STAFF, "رامي حداد"),
        quiet_partner=quiet,
        offer=offer,
        quiet_offer=quiet_offer,
        expert=expert,
        case=Case.objects.get(pk=case.pk),
        case_service=case.services.get(),
    )


def give_consent(world: World) -> Consent:
    return registry_services.consent_give(actor=world.actors.officer, person=world.person, purpose=Consent.Purpose.SHARE)


def send(world: World, *, actor=None, shared_fields=Referral.DEFAULT_SHARED, note: str = "تحتاج قرضاً صغيراً", **receiver) -> Referral:
    """Send the case's service to the partner's offer (or to `receiver`: kind=…, to_organisation=…, expert=…)."""
    receiver = receiver or {"kind": Referral.Kind.PARTNER, "offer": world.offer}
    return services.referral_send(
        actor=actor or world.actors.officer, case_service=world.case_service, shared_fields=list(shared_fields), note=note, **receiver
    )
