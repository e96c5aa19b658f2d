"""The helpdesk: a network's service catalogue, each organisation's working calendar, and cases with their services,
timeline, advisory sessions, attachments, outcome, satisfaction and follow-ups."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shubbak.organisations.models import BilingualName, Desk, Network, Organisation, TenantQuerySet
from shubbak.registry.models import Enterprise, Person


class ServiceCategory(BilingualName):
    """A family of services in a network's catalogue (consulting, legal, financing access …)."""

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="service_categories")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["position", "name_ar"]


class Service(BilingualName):
    """A service the desks of a network offer, with how it can be delivered and its service-level targets."""

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="services", db_index=False)
    category = models.ForeignKey(ServiceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="services")
    code = models.SlugField(_("code"), max_length=60, help_text=_("Latin letters, digits and dashes; unique in the network."))
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    in_house = models.BooleanField(_("delivered in house"), default=True)
    by_expert = models.BooleanField(_("delivered by a local expert"), default=False)
    by_partner = models.BooleanField(_("delivered by a partner"), default=False)
    required_documents = models.TextField(_("required documents"), blank=True, help_text=_("One document per line."))
    first_response_days = models.PositiveSmallIntegerField(
        _("first response within (working days)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    resolution_days = models.PositiveSmallIntegerField(
        _("resolution within (working days)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    is_public = models.BooleanField(_("offered on the public request form"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["category__position", "position", "name_ar"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "code"],
                name="service_code_per_network",
                violation_error_message=_("Another service of this network has this code."),
            )
        ]

    @property
    def description(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "ar").startswith("en") and self.description_en:
            return self.description_en
        return self.description_ar

    @property
    def documents(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]

    @property
    def deliveries(self) -> list[str]:
        return [value for value, on in (("in_house", self.in_house), ("expert", self.by_expert), ("partner", self.by_partner)) if on]


class WorkingCalendar(models.Model):
    """An organisation's weekly rest days; public holidays come from its country and from `Holiday`."""

    class Weekend(models.TextChoices):
        FRIDAY = "fri", _("Friday")
        FRIDAY_SATURDAY = "fri_sat", _("Friday and Saturday")
        FRIDAY_SUNDAY = "fri_sun", _("Friday and Sunday")

    organisation = models.OneToOneField(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="calendar")
    weekend = models.CharField(_("weekly rest days"), max_length=8, choices=Weekend.choices, default=Weekend.FRIDAY)
    national_holidays = models.BooleanField(
        _("observe the country's fixed public holidays"), default=True, help_text=_("Lunar holidays move each year: add them below.")
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")

    def __str__(self):
        return str(self.organisation)


class Holiday(models.Model):
    """A day an organisation's desks are closed: a lunar holiday of this year, or any other day off."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="holidays", db_index=False
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "date"], name="one_holiday_per_day", violation_error_message=_("This day is already a holiday.")
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.date.isoformat()})"


TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone without mistakes
TRACKING_LENGTH = 12  # 31^12 ≈ 7.9e17 codes


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


class CaseQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(status__in=Case.OPEN_STATUSES)


class Case(models.Model):
    """A request from a person or an enterprise, followed from intake to its outcome."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGED = "triaged", _("Triaged")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for the client")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Channel(models.TextChoices):
        WEB = "web", _("Public web form")
        WALK_IN = "walk_in", _("Walk-in")
        PHONE = "phone", _("Phone call")
        FIELD_VISIT = "field_visit", _("Field visit")
        EMAIL = "email", _("E-mail or message")
        API = "api", _("Mobile or partner application")

    class HeardFrom(models.TextChoices):
        SOCIAL = "social", _("Social media")
        FRIEND = "friend", _("A friend or relative")
        CHAMBER = "chamber", _("The chamber or a member")
        PARTNER = "partner", _("A partner organisation")
        EVENT = "event", _("A workshop or event")
        MEDIA = "media", _("Radio, TV or newspaper")
        FIELD = "field", _("A field visit")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        SERVED = "served", _("Served")
        PARTLY_SERVED = "partly_served", _("Partly served")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        WITHDREW = "withdrew", _("Client withdrew")
        NO_RESPONSE = "no_response", _("No response from the client")
        DUPLICATE = "duplicate", _("Duplicate request")
        SPAM = "spam", _("Not a real request")

    class Currency(models.TextChoices):
        ILS = "ILS", _("Israeli shekel")
        USD = "USD", _("US dollar")
        JOD = "JOD", _("Jordanian dinar")
        EUR = "EUR", _("Euro")
        YER = "YER", _("Yemeni rial")
        SYP = "SYP", _("Syrian pound")

    OPEN_STATUSES = (Status.NEW, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING)

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    desk = models.ForeignKey(Desk, verbose_name=_("desk"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    code = models.CharField(_("tracking code"), max_length=16, unique=True, default=new_tracking_code, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WALK_IN)
    heard_from = models.CharField(_("heard of the desk through"), max_length=16, choices=HeardFrom.choices, blank=True)
    campaign = models.CharField(_("campaign"), max_length=100, blank=True, help_text=_("The campaign or event, if any."))
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("request"), blank=True)
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    contact_name = models.CharField(_("name given"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone given"), max_length=20, blank=True)
    contact_email = models.EmailField(_("e-mail given"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # service-level clocks (working time; they stop while the case waits for the client)
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    paused_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("working time waiting for the client (seconds)"), default=0)
    due_soon_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # outcome
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome notes"), blank=True)
    business_registered = models.BooleanField(_("business registered"), default=False)
    trademark_registered = models.BooleanField(_("trademark registered"), default=False)
    formalised = models.BooleanField(_("business formalised"), default=False)
    jobs_women = models.PositiveIntegerField(_("jobs created for women"), default=0)
    jobs_men = models.PositiveIntegerField(_("jobs created for men"), default=0)
    financing_amount = models.DecimalField(_("financing obtained"), max_digits=14, decimal_places=2, null=True, blank=True)
    financing_currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    new_market = models.CharField(_("new market reached"), max_length=200, blank=True)
    # satisfaction
    rating = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("client's comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-id"]
        # A foreign key these indexes begin with has no index of its own (db_index=False): each insert writes one index fewer.
        indexes = [
            models.Index(fields=["organisation", "-id"], name="case_org_recent"),
            models.Index(fields=["organisation", "status", "-id"], name="case_org_status"),
            models.Index(fields=["assigned_to", "status", "-id"], name="case_assignee_status"),
            # overdue and due-soon views, their counts, the dashboard and workload read only this index
            models.Index(fields=["organisation", "status", "resolution_due", "assigned_to"], name="case_org_status_due"),
            models.Index(fields=["organisation", "resolved_at"], name="case_org_resolved"),
            models.Index(fields=["organisation", "created_at"], name="case_org_created"),
            models.Index(fields=["organisation", "person"], name="case_org_person"),  # a desk's cases of these people, or unlinked
            # person and enterprise alone: the foreign keys' own indexes
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "idempotency_key"], name="case_idempotency_key"),
        ]

    def __str__(self):
        return f"{self.tracking_code} · {self.subject}"

    @property
    def tracking_code(self) -> str:
        """The code in groups of four, as shown to the client."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, now=None) -> bool:
        return (
            self.is_open
            and self.status != self.Status.WAITING
            and self.resolution_due is not None
            and self.resolution_due < (now or timezone.now())
        )

    @property
    def client_name(self) -> str:
        return self.person.full_name if self.person_id else self.contact_name


class CaseService(models.Model):
    """A service requested in a case, with how it is delivered (in house here; partners and experts in referrals)."""

    class Delivery(models.TextChoices):
        IN_HOUSE = "in_house", _("In house")
        EXPERT = "expert", _("By a local expert")
        PARTNER = "partner", _("By a partner")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        IN_PROGRESS = "in_progress", _("In progress")
        DELIVERED = "delivered", _("Delivered")
        NOT_DELIVERED = "not_delivered", _("Not delivered")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="services", db_index=False)
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="case_services")
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.IN_HOUSE)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("requested service")
        verbose_name_plural = _("requested services")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "service"],
                name="one_service_per_case",
                violation_error_message=_("This service is already requested in this case."),
            )
        ]

    def __str__(self):
        return str(self.service)


class CaseEvent(models.Model):
    """One line of a case's timeline. Notes are internal; messages are seen by the client on the status page."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Request received")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        PRIORITY = "priority", _("Priority changed")
        LINKED = "linked", _("Linked to the registry")
        SERVICE = "service", _("Services changed")
        NOTE = "note", _("Internal note")
        MESSAGE_OUT = "message_out", _("Message to the client")
        MESSAGE_IN = "message_in", _("Message from the client")
        SESSION = "session", _("Advisory session")
        ATTACHMENT = "attachment", _("File attached")
        OUTCOME = "outcome", _("Outcome recorded")
        ESCALATED = "escalated", _("Escalated to the coordinator")
        RATED = "rated", _("Client rated the service")
        FOLLOW_UP = "follow_up", _("Follow-up")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    CLIENT_KINDS = (Kind.CREATED, Kind.MESSAGE_OUT, Kind.MESSAGE_IN, Kind.STATUS, Kind.RATED)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["-created_at", "-id"]
        # A foreign key these indexes begin with has no index of its own (db_index=False): each insert writes one index fewer.
        indexes = [models.Index(fields=["case", "-created_at", "-id"], name="case_event_recent")]

    def __str__(self):
        return self.get_kind_display()


class Session(models.Model):
    """An advisory session with the client: when, how long, by whom, how, about what."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        ONLINE = "online", _("Online")
        FIELD = "field", _("Field visit")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="sessions")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), on_delete=models.PROTECT, related_name="sessions", db_index=False
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    minutes = models.PositiveSmallIntegerField(_("minutes"), validators=[MinValueValidator(5), MaxValueValidator(600)])
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-date", "-id"]
        # A foreign key these indexes begin with has no index of its own (db_index=False): each insert writes one index fewer.
        indexes = [
            models.Index(fields=["organisation", "date"], name="session_org_date"),
            models.Index(fields=["staff", "date"], name="session_staff_date"),
        ]

    def __str__(self):
        return self.topic


def attachment_path(instance, filename: str) -> str:
    return f"cases/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{instance.extension}"


class Attachment(models.Model):
    """A file of a case, stored outside the web root and served only to those who may see the case."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-id"]

    def __str__(self):
        return self.name

    @property
    def extension(self) -> str:
        return "." + self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""


class FollowUp(models.Model):
    """A check on the client some months after closure; it lands in the officer's queue when due."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="follow_ups")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        db_index=False,
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    note = models.TextField(_("what we learnt"), blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        # A foreign key these indexes begin with has no index of its own (db_index=False): each insert writes one index fewer.
        indexes = [
            models.Index(fields=["assigned_to", "done_at", "due_on"], name="follow_up_assignee"),
            models.Index(fields=["organisation", "done_at", "due_on"], name="follow_up_org"),
        ]

    def __str__(self):
        return f"{self.case} · {self.due_on.isoformat()}"
