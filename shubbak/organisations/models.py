from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shubbak import places

phone_validator = RegexValidator(
    r"^\+?[0-9٠-٩۰-۹ ()\-]{6,20}$", _("Enter a phone number of digits, spaces and dashes, e.g. +970 9 238 0000.")
)


class TenantQuerySet(models.QuerySet):
    """Records that belong to an organisation; `for_user` keeps only those the user may see."""

    tenant_field = "organisation"

    def for_user(self, user, action: str = "view"):
        from .permissions import access_for

        return self.filter(**{f"{self.tenant_field}__in": access_for(user).organisation_ids(action)})


class BilingualName(models.Model):
    """Arabic name (required) and English name (optional); `name` follows the active language."""

    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        if (get_language() or "ar").startswith("en") and self.name_en:
            return self.name_en
        return self.name_ar

    def __str__(self):
        return self.name


class Network(BilingualName):
    """A network of organisations that serve enterprises together (a helpdesk network, a coalition)."""

    class Kind(models.TextChoices):
        HELPDESK = "helpdesk", _("MSME helpdesk network")
        ONE_STOP_SHOP = "one_stop_shop", _("One-stop-shop network")
        AGENCY = "agency", _("Agency and its branches")
        LENDING = "lending", _("Empowerment and lending partners")
        LOCAL_AUTHORITIES = "local_authorities", _("Local authorities association")

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    youth_max_age = models.PositiveSmallIntegerField(_("youth up to age"), default=29, help_text=_("People up to this age count as youth."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name_ar"]


class Organisation(BilingualName):
    """A member of a network: a chamber, agency branch, fund, lender, authority or expert firm."""

    class Kind(models.TextChoices):
        COORDINATING_BODY = "coordinating_body", _("Coordinating body")
        CHAMBER = "chamber", _("Chamber of commerce")
        AGENCY_BRANCH = "agency_branch", _("Agency branch")
        FUND = "fund", _("Fund")
        LENDER = "lender", _("Lender or microfinance institution")
        TRAINING_PROVIDER = "training_provider", _("Training provider")
        GOVERNMENT = "government", _("Government department")
        NGO = "ngo", _("NGO")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        EXPERT_FIRM = "expert_firm", _("Expert firm")

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="organisations", db_index=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(_("short name"), max_length=60, unique=True, help_text=_("Latin letters, digits and dashes; used in links."))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, default="PS")
    governorate = models.CharField(_("governorate"), max_length=8, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_ar"]
        indexes = [models.Index(fields=["network", "kind"], name="org_network_kind")]

    def clean(self):
        if self.country and self.country not in places.COUNTRIES_AR:
            raise ValidationError({"country": _("Choose one of the listed countries.")})
        if self.governorate and not places.governorate_in_country(self.governorate, self.country):
            raise ValidationError({"governorate": _("This governorate is not in the chosen country.")})
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be its own parent.")})
            if self.parent.network_id != self.network_id:
                raise ValidationError({"parent": _("The parent organisation must belong to the same network.")})
            ancestor = self.parent
            while ancestor is not None:  # hierarchies are a few levels deep
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("This parent would make a loop in the hierarchy.")})
                ancestor = ancestor.parent

    @property
    def country_name(self) -> str:
        return places.country_name(self.country)

    @property
    def governorate_name(self) -> str:
        return places.governorate_name(self.governorate)


class Contact(models.Model):
    """A named contact person at an organisation (not necessarily a user)."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("main contact"), default=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self):
        return self.name


class Desk(BilingualName):
    """A service point inside an organisation: a helpdesk or a one-stop shop."""

    class Kind(models.TextChoices):
        HELPDESK = "helpdesk", _("Helpdesk")
        ONE_STOP_SHOP = "one_stop_shop", _("One-stop shop")

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="desks")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.HELPDESK)
    governorate = models.CharField(_("governorate"), max_length=8, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["name_ar"]

    def clean(self):
        if self.governorate and self.organisation_id and not places.governorate_in_country(self.governorate, self.organisation.country):
            raise ValidationError({"governorate": _("This governorate is not in the organisation's country.")})

    @property
    def governorate_name(self) -> str:
        return places.governorate_name(self.governorate)


class Membership(models.Model):
    """A user's role in an organisation. A network manager's role reaches the whole network."""

    class Role(models.TextChoices):
        NETWORK_MANAGER = "network_manager", _("Network manager")
        ORG_ADMIN = "org_admin", _("Organisation admin")
        COORDINATOR = "coordinator", _("Coordinator")
        OFFICER = "officer", _("Officer")
        EXPERT = "expert", _("Expert")
        PARTNER_STAFF = "partner_staff", _("Partner staff")
        VIEWER = "viewer", _("Read-only viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    desk = models.ForeignKey(Desk, verbose_name=_("desk"), null=True, blank=True, on_delete=models.SET_NULL, related_name="staff")
    title = models.CharField(_("job title"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name_ar", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="one_membership_per_org",
                violation_error_message=_("This person is already a member of this organisation."),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation}"  # no role name: audit labels must not freeze one language

    def clean(self):
        if self.desk_id and self.organisation_id and self.desk.organisation_id != self.organisation_id:
            raise ValidationError({"desk": _("The desk must belong to the same organisation.")})
