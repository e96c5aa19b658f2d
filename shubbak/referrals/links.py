"""Signed links for receivers who never log in: single-purpose, expiring, revocable, rate-limited.

A link carries the referral's id and its current `link_key`, signed with a salt of its own purpose (a referral link
cannot be replayed as any other signed value of the site, nor open another referral). It stops working when:
- its signature does not match (tampered, or cut short) → 403;
- it is older than REFERRAL_LINK_DAYS, or the referral's `link_expires_at` has passed → 410;
- staff revoked it (`link_revoked_at`), or sent a new one (the key rotated: older links are "reused") → 410;
- the referral is closed (declined, completed, no-show, cancelled) → 410.
Every request to a link page counts against the caller's IP address (REFERRAL_LINK_RATE, default 30 per 10 minutes).
"""

import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from .models import Referral

SALTS = {"referral": "shubbak.referrals.link.referral"}
DEFAULT_RATE = (30, 600)  # requests, seconds


class LinkError(Exception):
    """A link that cannot be used; `status` is the HTTP status of the page that says so, `message` what to tell."""

    status = 403
    message = _("This link is not valid. Check that it was copied whole, or ask the desk that sent it for a new one.")


class Tampered(LinkError):
    pass


class Expired(LinkError):
    status = 410
    message = _("This link has expired. Ask the desk that sent it for a new one.")


class Revoked(LinkError):
    status = 410
    message = _("This link was withdrawn by the desk that sent it. Ask them for a new one if you still need it.")


class Replaced(LinkError):
    status = 410
    message = _("A newer link was sent for this referral: this one no longer works. Use the latest link you received.")


class Closed(LinkError):
    status = 410
    message = _("This referral is closed: there is nothing more to do through this link. Thank you.")


class RateLimited(LinkError):
    status = 429
    message = _("Too many attempts from this connection. Wait a few minutes and try again.")


def new_key() -> str:
    return secrets.token_urlsafe(24)


def _max_age() -> int:
    from .services import link_days

    return link_days() * 86400


def sign(purpose: str, *values) -> str:
    """A URL-safe token carrying `values`, valid only for `purpose`."""
    return signing.dumps(list(values), salt=SALTS[purpose], compress=False)


def unsign(purpose: str, token: str, max_age: int) -> list:
    """The values of a token of this purpose; Tampered or Expired when it cannot be trusted."""
    try:
        values = signing.loads(token, salt=SALTS[purpose], max_age=max_age)
    except signing.SignatureExpired as exc:
        raise Expired from exc
    except signing.BadSignature as exc:
        raise Tampered from exc
    if not isinstance(values, list):
        raise Tampered
    return values


def referral_token(referral: Referral) -> str:
    return sign("referral", referral.pk, referral.link_key)


def referral_link(referral: Referral) -> str:
    """The whole link, to e-mail or to send as a text message."""
    return settings.SHUBBAK_BASE_URL.rstrip("/") + reverse("referral_link", args=[referral_token(referral)])


def referral_from_token(token: str, now=None) -> Referral:
    """The referral a link opens, if the link may still be used; else a LinkError saying why (and nothing more)."""
    values = unsign("referral", token, _max_age())
    if len(values) != 2 or not isinstance(values[0], int) or not isinstance(values[1], str):
        raise Tampered
    pk, key = values
    referral = (
        Referral.objects.select_related("case_service__service", "from_organisation", "to_organisation", "expert", "created_by")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Tampered
    if not constant_time_compare(key, referral.link_key):
        raise Replaced
    if referral.link_revoked_at is not None:
        raise Revoked
    if referral.link_expires_at is not None and referral.link_expires_at <= (now or timezone.now()):
        raise Expired
    if not referral.is_open:
        raise Closed
    return referral


def check_rate(ip: str | None) -> None:
    """Count one request from this address; RateLimited past the limit."""
    limit, window = getattr(settings, "REFERRAL_LINK_RATE", DEFAULT_RATE)
    key = f"referrals:link-rate:{ip or 'unknown'}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    if count > limit:
        raise RateLimited
