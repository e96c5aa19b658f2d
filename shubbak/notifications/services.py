"""Notify users: an in-app notification now, an e-mail by a background job once the transaction commits."""

from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(users, *, kind: str, title: str, url: str = "", email: bool = True) -> list[Notification]:
    """One notification per distinct active user (None and inactive users are skipped)."""
    from .tasks import email_notification

    seen, created = set(), []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        created.append(Notification(user=user, kind=kind, title=title[:300], url=url))
    Notification.objects.bulk_create(created)
    if email:
        for notification in created:
            transaction.on_commit(lambda pk=notification.pk: email_notification(pk))
    return created


def mark_read(*, user, pks=None) -> int:
    """Mark the user's notifications read (all unread ones, or those listed); only her own are touched."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    return unread.update(read_at=timezone.now())
