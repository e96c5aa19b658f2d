"""The referral network: partners' offers (with eligibility rules), the local expert roster, referrals from a case's
service to a partner, an expert or another desk, expert assignments with timesheets, and the partner questionnaire."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shubbak.helpdesk.models import Case, CaseService, Service
from shubbak.organisations.models import Contact, Network, Organisation, TenantQuerySet


class Offer(models.Model):
    """What a partner organisation offers: a service, for whom (an eligibility rule), where, how many a month."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="offers")
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="offers", db_index=False)
    title = models.CharField(_("title"), max_length=200, help_text=_("The partner's name for it, e.g. «Small loans for women»."))
    description = models.TextField(_("description"), blank=True)
    rule = models.JSONField(_("eligibility rule"), default=dict, blank=True)
    governorates = models.JSONField(_("governorates served"), default=list, blank=True, help_text=_("None listed: all of the country."))
    capacity_per_month = models.PositiveIntegerField(_("clients per month"), null=True, blank=True)
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mou_start = models.DateField(_("agreement from"), null=True, blank=True)
    mou_end = models.DateField(_("agreement until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["organisation__name_ar", "title"]
        indexes = [models.Index(fields=["service", "is_active"], name="offer_service_active")]

    def __str__(self):
        return self.title


class Expert(models.Model):
    """A local expert on a network's roster: what she knows, where she works, her rate, whether she is vetted."""

    class Vetting(models.TextChoices):
        PENDING = "pending", _("Being vetted")
        VETTED = "vetted", _("Vetted")
        REJECTED = "rejected", _("Not accepted")
        SUSPENDED = "suspended", _("Suspended")

    class Availability(models.TextChoices):
        AVAILABLE = "available", _("Available")
        BUSY = "busy", _("Busy")
        UNAVAILABLE = "unavailable", _("Not available")

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="experts", db_index=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("roster kept by"),
        on_delete=models.PROTECT,
        related_name="experts",
        help_text=_("The organisation that manages this expert."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL, related_name="expert"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    gender = models.CharField(_("gender"), max_length=8, choices=[("female", _("Female")), ("male", _("Male"))])
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    specialisations = models.ManyToManyField(Service, verbose_name=_("specialisations"), related_name="experts", blank=True)
    qualifications = models.TextField(_("qualifications"), blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True, help_text=_("e.g. Arabic, English"))
    governorates = models.JSONField(_("governorates"), default=list, blank=True)
    daily_rate = models.DecimalField(_("daily rate"), max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Case.Currency.choices, default=Case.Currency.USD)
    availability = models.CharField(_("availability"), max_length=16, choices=Availability.choices, default=Availability.AVAILABLE)
    vetting = models.CharField(_("vetting"), max_length=16, choices=Vetting.choices, default=Vetting.PENDING)
    vetting_note = models.TextField(_("vetting note"), blank=True, help_text=_("What was checked: references, certificates, an interview."))
    vetted_at = models.DateTimeField(_("vetting decided"), null=True, blank=True)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vetting decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cv = models.FileField(_("CV"), upload_to="experts/", blank=True, max_length=200)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["full_name"]
        indexes = [models.Index(fields=["network", "vetting", "availability"], name="expert_network_state")]

    def __str__(self):
        return self.full_name


def new_link_key() -> str:
    return secrets.token_urlsafe(24)


class ReferralQuerySet(TenantQuerySet):
    tenant_field = "from_organisation"


class Referral(models.Model):
    """A requested service of a case sent to a partner, an expert or another desk, followed until its outcome."""

    class Kind(models.TextChoices):
        PARTNER = "partner", _("To a partner")
        EXPERT = "expert", _("To a local expert")
        DESK = "desk", _("To another desk")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("Client did not come")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS)

    # what may be shared; identity needs the client's consent to share
    SHAREABLE = {
        "name": _("name"),
        "phone": _("phone"),
        "email": _("e-mail"),
        "national_id": _("ID number"),
        "gender": _("gender"),
        "age": _("age"),
        "governorate": _("governorate"),
        "education": _("education"),
        "enterprise": _("enterprise (name, status, sector, size)"),
        "request": _("what the client asked for"),
    }
    IDENTITY = ("name", "phone", "email", "national_id")
    DEFAULT_SHARED = ("gender", "age", "governorate", "request")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="referrals")
    case_service = models.ForeignKey(CaseService, verbose_name=_("requested service"), on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        Organisation, verbose_name=_("from"), on_delete=models.PROTECT, related_name="referrals_sent", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        db_index=False,
    )
    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals", db_index=False
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), null=True, blank=True, on_delete=models.PROTECT, related_name="referrals", db_index=False
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SENT)
    shared_fields = models.JSONField(_("shared"), default=list)
    shared = models.JSONField(_("what the receiver sees"), default=dict, help_text=_("The shared data, as it was when sent."))
    note = models.TextField(_("note to the receiver"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    respond_by = models.DateTimeField(_("answer expected by"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # a signed one-time link for partners without accounts: single purpose, expiring, revocable
    link_key = models.CharField(max_length=64, default=new_link_key, editable=False)
    link_expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    link_revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["from_organisation", "status", "-id"], name="referral_from_status"),
            models.Index(fields=["to_organisation", "status", "-id"], name="referral_to_status"),
            models.Index(fields=["expert", "status"], name="referral_expert_status"),
            models.Index(fields=["from_organisation", "sent_at"], name="referral_from_sent"),
            models.Index(fields=["offer", "sent_at"], name="referral_offer_sent"),  # matching: an offer's places used this month
            # unanswered ones, by the date expected (a few among millions): reminders, "waiting too long" in the lists,
            # and per receiver in the report (covered, status included for SQLite: no table read)
            models.Index(
                fields=["respond_by", "from_organisation", "to_organisation", "expert", "status"],
                condition=models.Q(status="sent"),
                name="referral_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.case.tracking_code} → {self.receiver_name}"

    @property
    def receiver_name(self) -> str:
        if self.expert_id:
            return self.expert.full_name
        return str(self.to_organisation) if self.to_organisation_id else ""

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ReferralTally(models.Model):
    """Running counts of one organisation's referrals to one receiver, kept by the referral services: the funnel report
    reads these few rows instead of every referral. `accept_times` counts the times to accept per bucket of
    `ACCEPT_BOUNDS` (seconds), for the median."""

    from_organisation = models.ForeignKey(Organisation, verbose_name=_("from"), on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Referral.Kind.choices)
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("to"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    receiver = models.CharField(max_length=24, editable=False)  # "o:<id>" or "e:<id>": one key for the unique constraint
    sent = models.PositiveIntegerField(_("sent"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    declined = models.PositiveIntegerField(_("declined"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    no_show = models.PositiveIntegerField(_("client did not come"), default=0)
    cancelled = models.PositiveIntegerField(_("cancelled"), default=0)
    accept_times = models.JSONField(default=list, blank=True)

    objects = ReferralQuerySet.as_manager()  # tenancy by the sending organisation, as for referrals

    class Meta:
        verbose_name = _("referral count")
        verbose_name_plural = _("referral counts")
        constraints = [models.UniqueConstraint(fields=["from_organisation", "receiver"], name="one_tally_per_receiver")]

    def __str__(self):
        return f"{self.from_organisation_id} → {self.receiver}"


class Assignment(models.Model):
    """An expert's engagement on a referral: scope, days, fee, deliverables; timesheets; a rating at the close."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    referral = models.OneToOneField(Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="assignment")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="assignments")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    scope = models.TextField(_("scope of work"))
    expected_days = models.DecimalField(_("expected days"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)])
    fee = models.DecimalField(_("fee"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Case.Currency.choices, default=Case.Currency.USD)
    deliverables = models.TextField(_("deliverables"), blank=True, help_text=_("One per line."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    rating_note = models.TextField(_("rating note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.expert} · {self.referral.case.tracking_code}"


class Timesheet(models.Model):
    """Days an expert worked on an assignment, approved by the coordinator."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="timesheets", db_index=False
    )
    date = models.DateField(_("date"))
    days = models.DecimalField(_("days"), max_digits=3, decimal_places=1, validators=[MinValueValidator(0.5), MaxValueValidator(1)])
    work = models.TextField(_("work done"))
    deliverable = models.CharField(_("deliverable"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("timesheet")
        verbose_name_plural = _("timesheets")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "date"], name="one_timesheet_per_day", violation_error_message=_("This day is already recorded.")
            )
        ]

    def __str__(self):
        return f"{self.assignment} · {self.date.isoformat()}"


class Questionnaire(models.Model):
    """The partners' capacity questionnaire a network sends: products, target groups, capacity, conditions."""

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="questionnaires")
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    due_on = models.DateField(_("answers due"))
    remind_every_days = models.PositiveSmallIntegerField(
        _("remind every (days)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Partners who have not answered get a reminder this often until the due date."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner questionnaire")
        verbose_name_plural = _("partner questionnaires")
        ordering = ["-id"]

    def __str__(self):
        return self.title


class QuestionnaireResponse(models.Model):
    """One partner's answers; reviewed answers update its offers in the directory."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for answers")
        SUBMITTED = "submitted", _("Answered, to review")
        REVIEWED = "reviewed", _("Reviewed")

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.WAITING)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    link_key = models.CharField(max_length=64, default=new_link_key, editable=False)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")
        ordering = ["organisation__name_ar"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "organisation"], name="one_response_per_partner")]

    def __str__(self):
        return f"{self.questionnaire} · {self.organisation}"
