from shubbak.pagination import capped_count

from .models import Notification

UNREAD_CAP = 99  # the bell shows "99+" past this: a LIMITed count stays cheap for anyone


def unread(request):
    """The unread count for the bell in the navbar: one indexed query, none for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = capped_count(Notification.objects.filter(user=user, read_at__isnull=True), UNREAD_CAP)
    return {"unread_notifications": f"{UNREAD_CAP}+" if count > UNREAD_CAP else count}
