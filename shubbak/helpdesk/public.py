"""Pages for clients without an account: the request form, the page after sending, tracking, the survey.

Light on purpose: plain forms that work without JavaScript on a slow phone connection. No personal data in a URL:
the case a client just sent is carried in a short-lived signed cookie (its id only: no session to write on each of
the form's posts), the case she has looked up with her code and phone in her session.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shubbak.forms import add_service_errors

from . import intake, selectors, services, tracking
from .models import Case, CaseEvent
from .public_forms import PublicRequestForm, RatingForm, ReplyForm, TrackForm

SENT_COOKIE = "helpdesk_sent"  # the case this browser has just sent: its id, signed
SENT_SALT = "shubbak.helpdesk.public.sent"
SENT_SECONDS = 60 * 60  # how long the page after sending shows the code (she is told to keep it)
TRACKED_KEY = "helpdesk_tracked_case"  # the case this browser has looked up with its code and phone
SERVICE_ERROR_FIELDS = {"consents": "consent_data"}

# What each status means, said to the client.
CLIENT_STATUS = {
    Case.Status.NEW: gettext_lazy("Received. The desk will look at it soon."),
    Case.Status.TRIAGED: gettext_lazy("The desk is studying your request."),
    Case.Status.ASSIGNED: gettext_lazy("An advisor is in charge of your request."),
    Case.Status.IN_PROGRESS: gettext_lazy("Your advisor is working on your request."),
    Case.Status.WAITING: gettext_lazy("The desk is waiting for your answer: read the messages below and reply."),
    Case.Status.RESOLVED: gettext_lazy("Done: the work on your request is finished."),
    Case.Status.CLOSED: gettext_lazy("Closed."),
}


def _catalogue(slug: str) -> intake.PublicCatalogue:
    """The organisation's public catalogue; 404 for an unknown or inactive organisation, or one that offers nothing."""
    catalogue = intake.public_catalogue(slug)
    if catalogue is None or not catalogue.services:
        raise Http404
    return catalogue


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        error = ValidationError({SERVICE_ERROR_FIELDS.get(key, key): value for key, value in error.error_dict.items()})
    add_service_errors(form, error)


@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest, slug: str) -> HttpResponse:
    """The public request form of an organisation; a resent form (same hidden submission id) gives the same case."""
    catalogue = _catalogue(slug)
    organisation = catalogue.organisation
    form = PublicRequestForm(request.POST or None, organisation=organisation, services=catalogue.services, desks=catalogue.desks)
    status = 200
    if request.method == "POST":
        if intake.rate_exceeded("request", intake.client_ip(request), settings.PUBLIC_REQUEST_RATE):
            form.is_valid()  # keep what she typed, with its messages
            form.add_error(None, _("Too many requests were sent from your connection. Please try again later."))
            status = 429
        elif form.is_bot:
            return render(request, "helpdesk/public/request_sent.html", {"organisation": organisation, "case": None})
        elif form.is_valid():
            data, chosen = form.answers()
            try:
                case = intake.public_request_submit(
                    organisation=organisation,
                    data=data,
                    services=chosen,
                    idempotency_key=form.idempotency_key(),
                    desks=catalogue.desks,
                    staff=catalogue.staff,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _sent_redirect(organisation.slug, case)
        if status == 200:
            status = 400 if form.errors else 200
    return render(request, "helpdesk/public/request_form.html", {"organisation": organisation, "form": form}, status=status)


def _sent_redirect(slug: str, case: Case) -> HttpResponse:
    """To the page that shows the code; the case's id goes with it in a signed cookie for that page only."""
    url = reverse("public_request_sent", kwargs={"slug": slug})
    response = HttpResponseRedirect(url)
    response.set_signed_cookie(
        SENT_COOKIE,
        str(case.pk),
        salt=SENT_SALT,
        max_age=SENT_SECONDS,
        path=url,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def request_sent(request: HttpRequest, slug: str) -> HttpResponse:
    """The tracking code, big, with a text ready to keep as an SMS."""
    organisation = _catalogue(slug).organisation
    pk = request.get_signed_cookie(SENT_COOKIE, default=None, salt=SENT_SALT, max_age=SENT_SECONDS)
    case = Case.objects.filter(pk=pk, organisation=organisation).first() if pk and pk.isdigit() else None
    if case is None:
        return redirect("public_request", slug=slug)
    track_url = request.build_absolute_uri(reverse("public_track"))
    sms = _("Your request number {code} at {organisation}. Follow it on {url}").format(
        # isolated left-to-right, so that an Arabic message does not scatter the code's groups or the link
        code=f"\u2066{case.tracking_code}\u2069",
        organisation=organisation.name,
        url=f"\u2066{track_url}\u2069",
    )
    context = {"organisation": organisation, "case": case, "sms": sms, "track_url": track_url, "code_groups": case.tracking_code.split("-")}
    return render(request, "helpdesk/public/request_sent.html", context)


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Code and phone → the request's page. A wrong pair gets one neutral message, whichever was wrong."""
    if request.method == "POST" and "forget" in request.POST:
        request.session.pop(TRACKED_KEY, None)
        return redirect("public_track")
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        ip = intake.client_ip(request)
        if intake.rate_exceeded("track", ip, settings.PUBLIC_TRACK_RATE, count=False):
            form.add_error(None, _("Too many tries from your connection. Please try again later."))
            status = 429
        elif case := tracking.find_case(form.cleaned_data["code"], form.cleaned_data["phone"]):
            request.session.cycle_key()  # a new session id for what this browser may now see
            request.session[TRACKED_KEY] = case.pk
            return redirect("public_track_case")
        else:
            intake.rate_exceeded("track", ip, settings.PUBLIC_TRACK_RATE)  # count the failure
            form.add_error(None, _("We found no request with this code and this phone number. Check both and try again."))
            status = 400
    elif form.errors:
        status = 400
    return render(request, "helpdesk/public/track.html", {"form": form}, status=status)


def _tracked_case(request: HttpRequest) -> Case | None:
    pk = request.session.get(TRACKED_KEY)
    if pk is None:
        return None
    return Case.objects.select_related("organisation", "desk").filter(pk=pk).first()


@require_http_methods(["GET", "POST"])
def track_case(request: HttpRequest) -> HttpResponse:
    """Where her request stands: status, services, the messages both ways; a reply box; the rating once it is done."""
    case = _tracked_case(request)
    if case is None:
        return redirect("public_track")
    reply_form = ReplyForm(request.POST if request.POST.get("action") == "reply" else None, prefix="reply")
    rating_form = RatingForm(request.POST if request.POST.get("action") == "rate" else None, prefix="rate")
    status = 200
    if request.method == "POST":
        form = reply_form if request.POST.get("action") == "reply" else rating_form
        if form.is_valid():
            try:
                if form is reply_form:
                    services.client_reply(case=case, text=form.cleaned_data["text"])
                else:
                    services.client_rate(case=case, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(reverse("public_track_case") + ("#messages" if form is reply_form else "#rating"))
        status = 400
    context = {
        "case": case,
        "status_text": CLIENT_STATUS[case.status],
        "services": case.services.select_related("service").order_by("id"),
        "timeline": client_entries(case),
        "reply_form": reply_form if case.status != Case.Status.CLOSED else None,
        "rating_form": rating_form if case.status in (Case.Status.RESOLVED, Case.Status.CLOSED) and not case.rated_at else None,
    }
    return render(request, "helpdesk/public/track_case.html", context, status=status)


def client_entries(case: Case) -> list[dict]:
    """The client's timeline in her words: what happened, when; the text of messages only (never staff internals)."""
    entries = []
    for event in selectors.client_timeline(case):
        entry = {"at": event.created_at, "kind": event.kind, "text": ""}
        if event.kind == CaseEvent.Kind.CREATED:
            entry["title"] = _("We received your request")
        elif event.kind == CaseEvent.Kind.STATUS:
            after = event.data.get("after")
            entry["title"] = CLIENT_STATUS.get(after, _("The status of your request changed"))
        elif event.kind == CaseEvent.Kind.MESSAGE_OUT:
            entry["title"], entry["text"] = _("Message from the desk"), event.text
        elif event.kind == CaseEvent.Kind.MESSAGE_IN:
            entry["title"], entry["text"] = _("Your message"), event.text
        elif event.kind == CaseEvent.Kind.RATED:
            entry["title"] = _("You rated the service: {rating} of 5").format(rating=event.data.get("rating", ""))
            entry["text"] = event.text
        else:
            continue
        entries.append(entry)
    return entries


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The satisfaction survey from the closing e-mail: 1–5 and a comment, once."""
    case = tracking.case_from_survey_token(token)
    if case is None:
        return render(request, "helpdesk/public/survey_invalid.html", status=404)
    if case.rated_at:
        return render(request, "helpdesk/public/survey_thanks.html", {"case": case})
    form = RatingForm(request.POST or None, prefix="rate")
    if request.method == "POST" and form.is_valid():
        try:
            services.client_rate(case=case, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("public_survey", token=token)
    status = 400 if form.errors else 200
    return render(request, "helpdesk/public/survey.html", {"case": case, "form": form}, status=status)
