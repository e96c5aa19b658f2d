"""The notification list, marking read, and the bell's count."""

import pytest
from django.urls import reverse

from shubbak.notifications.models import Notification
from shubbak.notifications.services import notify

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def notifications(actors):
    older = notify([actors.officer], kind=Kind.ASSIGNED, title="ABCD-EFGH-JKMN · تسجيل مخبز", url="/cases/1/", email=False)[0]
    newer = notify([actors.officer], kind=Kind.OVERDUE, title="PQRS-TUVW-XYZ2 · علامة تجارية", url="/cases/2/", email=False)[0]
    notify([actors.coordinator], kind=Kind.NEW_REQUEST, title="طلب آخر", url="/cases/3/", email=False)
    return older, newer


def test_the_list_shows_the_users_own_notifications_newest_first_unread_in_bold(actors, notifications, client):
    older, newer = notifications
    Notification.objects.filter(pk=older.pk).update(read_at="2026-01-01T10:00:00Z")
    client.force_login(actors.officer)
    response = client.get(reverse("notification_list"))
    assert list(response.context["page"]) == [newer, older]
    html = response.content.decode()
    assert html.count("fw-bold") == 1 and "علامة تجارية" in html
    client.force_login(actors.outsider)
    assert list(client.get(reverse("notification_list")).context["page"]) == []


def test_following_a_notification_marks_it_read_and_goes_to_its_page(actors, notifications, client):
    older, newer = notifications
    client.force_login(actors.officer)
    response = client.post(reverse("notifications_read"), {"pk": newer.pk})
    assert response.url == "/cases/2/"
    assert list(Notification.objects.filter(user=actors.officer, read_at__isnull=True)) == [older]


def test_another_users_notification_is_neither_read_nor_followed(actors, notifications, client):
    client.force_login(actors.outsider)
    theirs = Notification.objects.get(user=actors.coordinator)
    response = client.post(reverse("notifications_read"), {"pk": theirs.pk})
    assert response.url == reverse("notification_list")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_link_to_another_site_is_not_followed(actors, client):
    bad = notify([actors.officer], kind=Kind.ASSIGNED, title="x", url="https://evil.example/", email=False)[0]
    client.force_login(actors.officer)
    assert client.post(reverse("notifications_read"), {"pk": bad.pk}).url == reverse("notification_list")


def test_mark_all_read_touches_only_the_users_own(actors, notifications, client):
    client.force_login(actors.officer)
    assert client.get(reverse("notifications_read")).status_code == 405
    client.post(reverse("notifications_read"))
    assert Notification.objects.filter(user=actors.officer, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(user=actors.coordinator, read_at__isnull=True).count() == 1


def test_the_bell_shows_the_unread_count(actors, notifications, client):
    client.force_login(actors.officer)
    response = client.get(reverse("home"))
    assert response.context["unread_notifications"] == 2
    badge = '<span class="badge rounded-pill text-bg-warning" aria-hidden="true">2</span>'
    assert response.content.decode().count(badge) == 2  # next to the menu button on a phone, in the menu on a desktop
    Notification.objects.bulk_create([Notification(user=actors.officer, kind=Kind.ASSIGNED, title=str(i)) for i in range(120)])
    assert client.get(reverse("home")).context["unread_notifications"] == "99+"


def test_anonymous_visitors_cost_no_query_for_the_bell(rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from shubbak.notifications.context_processors import unread

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {}


def test_pages_need_a_login(client):
    response = client.get(reverse("notification_list"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
