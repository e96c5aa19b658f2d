"""Request-wide context: where a write came from (for the audit log) and the user's language."""

import contextvars
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation


@dataclass(frozen=True)
class RequestContext:
    """Where the current write comes from: source (web, api, command), IP address and browser."""

    source: str = "command"
    ip: str | None = None
    user_agent: str = ""


_current = contextvars.ContextVar("shubbak_request_context", default=RequestContext())  # noqa: B039 (frozen)


def current_request_context() -> RequestContext:
    """The context of the request being served, or a 'command' context outside requests."""
    return _current.get()


class RequestContextMiddleware:
    """Records the source, IP address and user agent of each request for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "api" if request.path.startswith("/api/") else "web"
        token = _current.set(
            RequestContext(source=source, ip=request.META.get("REMOTE_ADDR"), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
        )
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class UserLanguageMiddleware:
    """A logged-in user with no language cookie (new browser, new phone) gets the language saved on the account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
