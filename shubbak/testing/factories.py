"""Factories for tests: realistic Arabic names, valid places, unique slugs and e-mails."""

import factory
from factory.django import DjangoModelFactory

from shubbak.accounts.models import User
from shubbak.organisations.models import Contact, Desk, Membership, Network, Organisation


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@shubbak.test")
    full_name = factory.Iterator(["أحمد يوسف قاسم", "فاطمة عبد الله التميمي", "لينا سمير حمدان", "خالد محمود عودة"])
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    slug = factory.Sequence(lambda n: f"network-{n}")
    name_ar = factory.Sequence(lambda n: f"شبكة الدعم {n}")
    name_en = factory.Sequence(lambda n: f"Support network {n}")
    kind = Network.Kind.HELPDESK


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    network = factory.SubFactory(NetworkFactory)
    slug = factory.Sequence(lambda n: f"org-{n}")
    name_ar = factory.Sequence(lambda n: f"غرفة تجارة وصناعة {n}")
    name_en = factory.Sequence(lambda n: f"Chamber {n}")
    kind = Organisation.Kind.CHAMBER
    country = "PS"
    governorate = "PS-NBS"


class DeskFactory(DjangoModelFactory):
    class Meta:
        model = Desk

    organisation = factory.SubFactory(OrganisationFactory)
    name_ar = factory.Sequence(lambda n: f"مكتب المساعدة {n}")
    kind = Desk.Kind.HELPDESK


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = "سعاد كمال"
    position = "الاستقبال"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.OFFICER


class ServiceCategoryFactory(DjangoModelFactory):
    class Meta:
        model = "helpdesk.ServiceCategory"

    network = factory.SubFactory(NetworkFactory)
    name_ar = factory.Iterator(["الاستشارات", "الخدمات القانونية", "الوصول إلى التمويل"])
    name_en = factory.Iterator(["Consulting", "Legal services", "Access to finance"])


class ServiceFactory(DjangoModelFactory):
    """A service of the category's network (pass `category=` to put it in a given network)."""

    class Meta:
        model = "helpdesk.Service"

    category = factory.SubFactory(ServiceCategoryFactory)
    network = factory.SelfAttribute("category.network")
    code = factory.Sequence(lambda n: f"service-{n}")
    name_ar = factory.Iterator(["تسجيل منشأة", "تسجيل علامة تجارية", "خطة عمل", "استشارة قانونية"])
    name_en = factory.Iterator(["Business registration", "Trademark registration", "Business plan", "Legal advice"])
    first_response_days = 2
    resolution_days = 10
