from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shubbak.organisations.models import Organisation, TenantQuerySet


class Kind(models.TextChoices):
    PEOPLE = "people", _("People")
    ENTERPRISES = "enterprises", _("Enterprises")


class ImportJob(models.Model):
    """One spreadsheet brought into an organisation's registry: the file, its column mapping, progress and errors."""

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel workbook (XLSX)")
        CSV = "csv", _("CSV text")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        MAPPED = "mapped", _("Columns chosen")
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped with an error")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="import_jobs", db_index=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    kind = models.CharField(_("what is imported"), max_length=16, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    file_path = models.CharField(_("stored file"), max_length=300, help_text=_("Relative to MEDIA_ROOT; never served directly."))
    file_format = models.CharField(_("file format"), max_length=8, choices=Format.choices)
    encoding = models.CharField(_("text encoding"), max_length=16, blank=True)
    delimiter = models.CharField(_("column separator"), max_length=1, blank=True)
    headers = models.JSONField(_("column headers"), default=list, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True, help_text=_("Field name → column number."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows (estimated)"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("rows read"), default=0)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    updated_count = models.PositiveIntegerField(_("records updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("records already up to date"), default=0)
    failed_count = models.PositiveIntegerField(_("rows skipped"), default=0)
    errors = models.JSONField(_("first errors"), default=list, blank=True)
    error_report_path = models.CharField(_("error report"), max_length=300, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-id"]
        indexes = [models.Index(fields=["organisation", "-id"], name="import_org_recent")]

    def __str__(self):
        return self.original_name

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)


class ColumnMapping(models.Model):
    """The columns an organisation chose last time for each target field, offered again on its next import."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(_("what is imported"), max_length=16, choices=Kind.choices)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True, help_text=_("Field name → column header."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("remembered column mapping")
        verbose_name_plural = _("remembered column mappings")
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="one_mapping_per_organisation_and_kind")]

    def __str__(self):
        return f"{self.organisation} · {self.get_kind_display()}"
