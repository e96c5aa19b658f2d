from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shubbak import places
from shubbak.organisations.models import Organisation, TenantQuerySet


class RegistryQuerySet(TenantQuerySet):
    """Registry records an organisation holds; merged-away duplicates are hidden unless asked for."""

    def live(self):
        return self.filter(merged_into__isnull=True)


class Person(models.Model):
    """A client: entrepreneur, job seeker, enterprise owner or member of a productive family."""

    class IdType(models.TextChoices):
        PALESTINIAN = "ps_id", _("Palestinian ID")
        SYRIAN = "sy_id", _("Syrian national ID")
        YEMENI = "ye_id", _("Yemeni national ID")
        PASSPORT = "passport", _("Passport")
        UNRWA = "unrwa", _("UNRWA registration card")
        OTHER = "other", _("Other document")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    class Education(models.TextChoices):
        UNIVERSITY = "university", _("University graduate")
        INSTITUTE = "institute", _("Institute or diploma graduate")
        SECONDARY = "secondary", _("Secondary school")
        DROPOUT = "dropout", _("Left school early")
        NONE = "none", _("No formal education")

    class Displacement(models.TextChoices):
        RESIDENT = "resident", _("Resident")
        DISPLACED = "displaced", _("Internally displaced")
        REFUGEE = "refugee", _("Refugee")
        RETURNEE = "returnee", _("Returnee")

    class Employment(models.TextChoices):
        EMPLOYED = "employed", _("Employed")
        SELF_EMPLOYED = "self_employed", _("Self-employed or business owner")
        JOB_SEEKER = "job_seeker", _("Unemployed, looking for work")
        STUDENT = "student", _("Student")
        INACTIVE = "inactive", _("Not in the labour force")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="people", db_index=False
    )
    first_name = models.CharField(_("first name"), max_length=60)
    father_name = models.CharField(_("father's name"), max_length=60, blank=True)
    grandfather_name = models.CharField(_("grandfather's name"), max_length=60, blank=True)
    family_name = models.CharField(_("family name"), max_length=60)
    name_latin = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    id_type = models.CharField(_("ID type"), max_length=16, choices=IdType.choices, blank=True)
    national_id = models.CharField(_("ID number"), max_length=32, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True, help_text=_("Any digits, local or international."))
    phone_alt = models.CharField(_("other phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    has_disability = models.BooleanField(_("has a disability"), default=False)
    war_injured = models.BooleanField(_("injured in war"), default=False)
    displacement = models.CharField(_("displacement status"), max_length=16, choices=Displacement.choices, default=Displacement.RESIDENT)
    employment = models.CharField(_("employment status"), max_length=16, choices=Employment.choices, blank=True)
    governorate = models.CharField(_("governorate"), max_length=8, blank=True)
    locality = models.CharField(_("town or village"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    external_id = models.CharField(_("external id"), max_length=64, blank=True, help_text=_("The id of this person in an imported sheet."))
    search_text = models.TextField(editable=False, default="")
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["-id"]
        # A foreign key these indexes begin with has no index of its own (db_index=False): each insert writes one index fewer.
        indexes = [
            models.Index(fields=["organisation", "national_id"], name="person_org_nid"),
            models.Index(fields=["organisation", "phone"], name="person_org_phone"),
            models.Index(fields=["organisation", "external_id"], name="person_org_external"),
            models.Index(fields=["organisation", "-id"], name="person_org_recent"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.father_name, self.grandfather_name, self.family_name) if p)

    @property
    def governorate_name(self) -> str:
        return places.governorate_name(self.governorate)

    def age_on(self, day) -> int | None:
        if not self.birth_date:
            return None
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def is_youth(self, day) -> bool | None:
        """Youth by the age bound of the network that registered the person (None when the age is unknown)."""
        age = self.age_on(day)
        return None if age is None else age <= self.organisation.network.youth_max_age


class AddressHistory(models.Model):
    """Where a person lived and when: displacement moves people several times."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="addresses")
    governorate = models.CharField(_("governorate"), max_length=8, blank=True)
    locality = models.CharField(_("town or village"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    displacement = models.CharField(_("displacement status"), max_length=16, choices=Person.Displacement.choices)
    until = models.DateTimeField(_("until"), auto_now_add=True)

    class Meta:
        verbose_name = _("previous address")
        verbose_name_plural = _("previous addresses")
        ordering = ["-until"]

    def __str__(self):
        return f"{self.person} · {self.locality or self.governorate}"


class Consent(models.Model):
    """What a person agreed to, when, recorded by whom, and when it was withdrawn."""

    class Purpose(models.TextChoices):
        DATA = "data", _("Keep and use my data to serve me")
        SHARE = "share", _("Share my identity with partners my case is referred to")
        CONTACT = "contact", _("Contact me by phone or message")
        PUBLICITY = "publicity", _("Use my story or photos in reports")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    given_at = models.DateTimeField(_("given"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("withdrawn by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.person} · {self.get_purpose_display()}"


class Enterprise(models.Model):
    """A micro, small or medium enterprise, registered or informal, possibly home-based."""

    class LegalForm(models.TextChoices):
        COMPANY = "company", _("Company")
        COOPERATIVE = "cooperative", _("Cooperative")
        SOLE = "sole", _("Sole proprietorship")
        PARTNERSHIP = "partnership", _("Partnership")
        INFORMAL = "informal", _("Unregistered (informal)")
        HOME_BASED = "home_based", _("Home-based / productive family")

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea, not started")
        INFORMAL = "informal", _("Operating informally")
        REGISTERED = "registered", _("Registered")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    class Size(models.TextChoices):
        MICRO = "micro", _("Micro")
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")

    class Revenue(models.TextChoices):
        UNDER_20K = "lt_20k", _("Under 20,000 USD")
        UNDER_100K = "20k_100k", _("20,000 – 100,000 USD")
        UNDER_500K = "100k_500k", _("100,000 – 500,000 USD")
        UNDER_2M = "500k_2m", _("500,000 – 2 million USD")
        OVER_2M = "gt_2m", _("Over 2 million USD")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="enterprises", db_index=False
    )
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=16, choices=LegalForm.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INFORMAL)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    chamber_member = models.BooleanField(_("member of a chamber"), default=False)
    chamber = models.ForeignKey(
        Organisation, verbose_name=_("chamber"), null=True, blank=True, on_delete=models.SET_NULL, related_name="member_enterprises",
        limit_choices_to={"kind": Organisation.Kind.CHAMBER},
    )  # fmt: skip
    membership_number = models.CharField(_("chamber membership number"), max_length=40, blank=True)
    isic_section = models.CharField(_("sector (ISIC section)"), max_length=1, blank=True)
    isic_division = models.CharField(_("activity (ISIC division)"), max_length=2, blank=True)
    women_full_time = models.PositiveIntegerField(_("women, full time"), default=0)
    men_full_time = models.PositiveIntegerField(_("men, full time"), default=0)
    women_part_time = models.PositiveIntegerField(_("women, part time"), default=0)
    men_part_time = models.PositiveIntegerField(_("men, part time"), default=0)
    revenue_band = models.CharField(_("annual revenue"), max_length=16, choices=Revenue.choices, blank=True)
    size_class = models.CharField(_("size"), max_length=8, choices=Size.choices, editable=False, default=Size.MICRO)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    governorate = models.CharField(_("governorate"), max_length=8, blank=True)
    locality = models.CharField(_("town or village"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    women_owned = models.BooleanField(_("women-owned"), default=False, editable=False)
    youth_owned = models.BooleanField(_("youth-owned"), default=False, editable=False)
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    search_text = models.TextField(editable=False, default="")
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["-id"]
        # A foreign key these indexes begin with has no index of its own (db_index=False): each insert writes one index fewer.
        indexes = [
            models.Index(fields=["organisation", "registration_number"], name="ent_org_regno"),
            models.Index(fields=["organisation", "external_id"], name="ent_org_external"),
            models.Index(fields=["organisation", "-id"], name="ent_org_recent"),
        ]

    def __str__(self):
        return self.name_ar

    @property
    def employees(self) -> int:
        return self.women_full_time + self.men_full_time + self.women_part_time + self.men_part_time

    @property
    def governorate_name(self) -> str:
        return places.governorate_name(self.governorate)


class Ownership(models.Model):
    """A person's role in an enterprise: owner, partner or manager, with a share."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        PARTNER = "partner", _("Partner")
        MANAGER = "manager", _("Manager")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="ownerships", db_index=False
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="ownerships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.OWNER)
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("owner or manager")
        verbose_name_plural = _("owners and managers")
        constraints = [models.UniqueConstraint(fields=["enterprise", "person", "role"], name="one_role_per_person_per_enterprise")]

    def __str__(self):
        return f"{self.person} · {self.enterprise}"


class StatusChange(models.Model):
    """An enterprise's move from one status to another (informal → registered counts as formalisation)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=16, choices=Enterprise.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Enterprise.Status.choices)
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.enterprise} · {self.from_status} → {self.to_status}"

    @property
    def is_formalisation(self) -> bool:
        return self.from_status in {Enterprise.Status.INFORMAL, Enterprise.Status.IDEA} and self.to_status == Enterprise.Status.REGISTERED
