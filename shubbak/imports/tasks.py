"""Background jobs of imports: run by huey workers, or in process right after commit (JOBS=immediate)."""

from django.utils import timezone
from huey.contrib.djhuey import db_task


@db_task()
def run_import(job_id: int) -> None:
    """Run a queued import to the end; a second delivery of the same job does nothing."""
    from .models import ImportJob
    from .services import import_file

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if claimed:
        import_file(ImportJob.objects.select_related("organisation__network", "created_by").get(pk=job_id))
