"""The three-actor check every view and endpoint gets: member allowed, read-only 403 on writes, outsider 404.

def test_desk_edit_three_actors(actors):
    check_three_actors(url=..., actors=actors, write=True, data={...})
"""

from dataclasses import dataclass

from django.test import Client
from rest_framework.test import APIClient

from shubbak.accounts.models import User
from shubbak.organisations.models import Desk, Organisation


@dataclass
class Actors:
    """An organisation with staff in several roles, and an outsider from another network."""

    organisation: Organisation
    desk: Desk
    other_organisation: Organisation
    manager: User  # network manager of the organisation's network
    admin: User  # organisation admin
    coordinator: User
    officer: User
    viewer: User  # read-only
    outsider: User  # organisation admin elsewhere


def _client(user, api: bool):
    client = APIClient() if api else Client()
    if api:
        client.force_authenticate(user)
    else:
        client.force_login(user)
    return client


def _send(user, method: str, url: str, data, api: bool):
    client = _client(user, api)
    if api:
        return getattr(client, method)(url, data, format="json")
    return getattr(client, method)(url, data or {})


def check_three_actors(
    *, actors: Actors, url: str, method: str = "get", data=None, write: bool = False, member: User | None = None, api: bool = False
):
    """Assert the access rules of one URL and return the member's response for further checks.

    - `outsider` (another organisation) gets 404, exactly like a missing record;
    - `viewer` (read-only member) gets 403 when `write`, else the same success as the member;
    - `member` (default: the organisation admin) succeeds (2xx, or a 302 after a form post).
    """
    member = member or actors.admin
    outsider = _send(actors.outsider, method, url, data, api)
    assert outsider.status_code == 404, f"outsider got {outsider.status_code} on {method.upper()} {url}"
    read_only = _send(actors.viewer, method, url, data, api)
    if write:
        assert read_only.status_code == 403, f"read-only member got {read_only.status_code} on {method.upper()} {url}"
    else:
        assert read_only.status_code == 200, f"read-only member got {read_only.status_code} on {method.upper()} {url}"
    response = _send(member, method, url, data, api)
    assert response.status_code in {200, 201, 302}, f"member got {response.status_code} on {method.upper()} {url}"
    return response
