"""The user's notifications: the list, and marking them read (one by following it, or all at once)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shubbak.pagination import CappedPaginator

from . import services
from .models import Notification

PAGE_SIZE = 25


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications, newest first; unread ones stand out."""
    notifications = Notification.objects.filter(user=request.user).order_by("-id")
    page = CappedPaginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """With `pk`: mark that notification read and follow its link. Without: mark them all read."""
    pk = request.POST.get("pk", "")
    if pk.isdigit():
        notification = Notification.objects.filter(user=request.user, pk=int(pk)).first()
        services.mark_read(user=request.user, pks=[int(pk)])
        url = notification.url if notification else ""
        if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return redirect(url)
        return redirect("notification_list")
    services.mark_read(user=request.user)
    return redirect("notification_list")
