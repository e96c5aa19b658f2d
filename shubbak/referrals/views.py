"""Referral pages: refer a case's service, the sender's list, the partner portal, one referral, the funnel per partner,
and the page a signed link opens for receivers without accounts.

Each page reads through `selectors` and writes through one `services` function. A referral the user is on neither
side of is a 404, like a missing one; an answer the user's role does not allow is a 403. The receiving side only ever
gets the shared snapshot.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shubbak.forms import add_service_errors
from shubbak.helpdesk import selectors as helpdesk_selectors
from shubbak.helpdesk.models import CaseService
from shubbak.organisations.models import Organisation
from shubbak.organisations.permissions import access_for, require
from shubbak.pagination import CappedPaginator

from . import links, selectors, services
from .forms import ReceivedFilterForm, ReferralActionForm, ReferralSendForm, ReportFilterForm, SentFilterForm
from .models import Referral

PAGE_SIZE = 25
ACTION_LABELS = {
    "accept": _("Accept"),
    "decline": _("Decline"),
    "start": _("Start the service"),
    "complete": _("Report it completed"),
    "no_show": _("The client did not come"),
    "cancel": _("Cancel the referral"),
}


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _actions(referral: Referral, *, sender: bool, receiver: bool) -> list[dict]:
    """The buttons a user (or a link holder) may press now, each with its form when it needs words."""
    names = []
    if receiver:
        names += services.allowed_actions(referral, "receiver")
    if sender:
        names += services.allowed_actions(referral, "sender")
    expert = referral.kind == Referral.Kind.EXPERT
    return [
        {"name": name, "label": ACTION_LABELS[name], "form": ReferralActionForm(action=name, expert=expert, prefix=name)} for name in names
    ]


def _form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors) or _("Check the form.")


# --- refer ----------------------------------------------------------------------------------------------------


def _suggestions(case_service: CaseService) -> list:
    """Ranked suggestions with their reasons, from the matching module when it is installed."""
    try:
        from . import matching
    except ImportError:
        return []
    found = []
    for suggestion in matching.suggestions(case_service)[:5]:
        offer, expert = getattr(suggestion, "offer", None), getattr(suggestion, "expert", None)
        if offer is not None:
            suggestion.value = f"offer:{offer.pk}"
        elif expert is not None:
            suggestion.value = f"expert:{expert.pk}"
        elif getattr(suggestion, "organisation", None) is not None and suggestion.kind == "partner":
            suggestion.value = f"org:{suggestion.organisation.pk}"
        else:
            continue  # in-house delivery is not a referral
        found.append(suggestion)
    return found


def _with_suggested(options: dict, suggestions: list) -> dict:
    """A suggested offer or expert can always be chosen, even when the plain lists would not show it."""
    offers, experts = {o.pk for o in options["offers"]}, {e.pk for e in options["experts"]}
    for suggestion in suggestions:
        offer, expert = getattr(suggestion, "offer", None), getattr(suggestion, "expert", None)
        if offer is not None and offer.pk not in offers:
            options["offers"].append(offer)
        if expert is not None and expert.pk not in experts:
            options["experts"].append(expert)
    return options


@login_required
def referral_send(request: HttpRequest, case_pk: int, service_pk: int) -> HttpResponse:
    """Refer one requested service of a case: suggestions first (two clicks), or any partner, expert or desk;
    tick what is shared (identity only with the client's consent), add a note, send."""
    case = helpdesk_selectors.case_get(user=request.user, pk=case_pk)
    require(request.user, case.organisation, "work_cases")
    case_service = CaseService.objects.select_related("service", "case").filter(pk=service_pk, case=case).first()
    if case_service is None:
        raise Http404
    case_service.case = case
    suggestions = _suggestions(case_service)
    options = _with_suggested(selectors.receiver_options(case_service=case_service), suggestions)
    consent = services.has_share_consent(case.person)
    everything = services.shared_values(case, case_service, Referral.SHAREABLE)
    preview = {row["name"]: row["value"] for row in selectors.shared_rows(everything)}
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if request.POST.get("suggested"):
            data["to"] = request.POST["suggested"]
    form = ReferralSendForm(data, options=options, consent=consent, preview=preview)
    if data is not None and form.is_valid():
        try:
            referral = services.referral_send(
                actor=request.user,
                case_service=case_service,
                shared_fields=form.cleaned_data["shared_fields"],
                note=form.cleaned_data["note"],
                **form.cleaned_data["to"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The referral was sent to %(name)s.") % {"name": referral.receiver_name})
            return redirect("referral_detail", pk=referral.pk)
    context = {"case": case, "case_service": case_service, "form": form, "suggestions": suggestions, "consent": consent}
    return render(request, "referrals/refer.html", context)


# --- lists ----------------------------------------------------------------------------------------------------


def _filters(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)} if form.is_valid() else {}


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals my organisations sent, with filters (status, partner, kind, waiting too long); HTMX gets the results."""
    access = access_for(request.user)
    senders = access.organisation_ids("view_cases")
    if not senders:  # partner staff and experts: their referrals are the ones they receive
        return redirect("referral_received")
    networks = Organisation.objects.filter(pk__in=senders).values("network_id")
    partners = Organisation.objects.filter(network_id__in=networks, is_active=True).exclude(pk__in=senders).order_by("name_ar")
    form = SentFilterForm(request.GET or None, partners=partners)
    now = timezone.now()
    page = CappedPaginator(selectors.sent_list(user=request.user, filters=_filters(form), now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "now": now, "show_from": len(senders) > 1}
    return render(request, "referrals/_sent_results.html" if request.htmx else "referrals/sent_list.html", context)


@login_required
def referral_received(request: HttpRequest) -> HttpResponse:
    """The partner portal: referrals sent to my organisation (or to me as an expert), shared fields only, with answers."""
    form = ReceivedFilterForm(request.GET or None)
    now = timezone.now()
    page = CappedPaginator(selectors.received_list(user=request.user, filters=_filters(form), now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for referral in page:
        receiver = services.can_receive(request.user, referral)
        rows.append(
            {
                "referral": referral,
                "shared": selectors.shared_rows(referral.shared),
                "actions": _actions(referral, sender=False, receiver=receiver),
            }
        )
    context = {"form": form, "page": page, "rows": rows, "now": now}
    return render(request, "referrals/_received_results.html" if request.htmx else "referrals/received_list.html", context)


@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One referral: the sender sees everything with its history and the link; the receiver sees what was shared."""
    referral = selectors.referral_get(user=request.user, pk=pk)
    return _detail(request, referral)


def _detail(request: HttpRequest, referral: Referral, **extra) -> HttpResponse:
    sender_side = referral.side == selectors.SENDER
    can_send = sender_side and services.can_send(request.user, referral)
    can_receive = services.can_receive(request.user, referral)
    context = {
        "referral": referral,
        "sender_side": sender_side,
        "shared": selectors.shared_rows(referral.shared),
        "actions": _actions(referral, sender=can_send, receiver=can_receive),
        "can_send": can_send,
        "now": timezone.now(),
    }
    if sender_side:
        events = selectors.referral_timeline(referral)
        for event in events:
            event.summary = selectors.describe_event(event)
        context.update(
            events=events,
            case=referral.case,
            link_email=services.link_email(referral),
            receivers=services.receivers(referral),
        )
    context.update(extra)
    return render(request, "referrals/referral_detail.html", context)


@login_required
@require_POST
def referral_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept, decline (with a reason), start, complete (with the outcome), no-show — or, for the sender, cancel."""
    referral = selectors.referral_get(user=request.user, pk=pk)
    if action not in services.TRANSITIONS:
        raise Http404
    side = services.TRANSITIONS[action][2]
    allowed = services.can_receive(request.user, referral) if side == "receiver" else services.can_send(request.user, referral)
    if not allowed:
        raise PermissionDenied
    back = _back(request, reverse("referral_detail", args=[referral.pk]))
    form = ReferralActionForm(request.POST, action=action, expert=referral.kind == Referral.Kind.EXPERT, prefix=action)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    try:
        services.referral_transition(actor=request.user, referral=referral, action=action, text=form.words(), assignment=form.assignment())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved: the referral is now «%(status)s».") % {"status": _status_label(action)})
    return redirect(back)


def _status_label(action: str) -> str:
    return str(Referral.Status(services.TRANSITIONS[action][1]).label)


@login_required
@require_POST
def referral_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the signed link (e.g. sent to the wrong address)."""
    referral = selectors.referral_get(user=request.user, pk=pk)
    if referral.side != selectors.SENDER or not services.can_send(request.user, referral):
        raise PermissionDenied
    services.referral_link_revoke(actor=request.user, referral=referral)
    messages.success(request, _("The link was withdrawn: it no longer opens this referral."))
    return redirect("referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_link_renew(request: HttpRequest, pk: int) -> HttpResponse:
    """A new signed link (older ones stop working), e-mailed when there is an address and shown once to send by SMS."""
    referral = selectors.referral_get(user=request.user, pk=pk)
    if referral.side != selectors.SENDER or not services.can_send(request.user, referral):
        raise PermissionDenied
    try:
        _referral, token = services.referral_link_renew(actor=request.user, referral=referral)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("referral_detail", pk=referral.pk)
    referral = selectors.referral_get(user=request.user, pk=pk)
    link = request.build_absolute_uri(reverse("referral_link", args=[token]))
    return _detail(request, referral, new_link=link)


# --- the coordinator's report ---------------------------------------------------------------------------------


@login_required
def referral_partners(request: HttpRequest) -> HttpResponse:
    """Per partner: sent, accepted, declined, completed, median time to accept, waiting too long (two small queries)."""
    coordinated = access_for(request.user).organisation_ids("coordinate_cases")
    if not coordinated:
        raise PermissionDenied
    organisations = Organisation.objects.filter(pk__in=coordinated).order_by("name_ar")
    form = ReportFilterForm(request.GET or None, organisations=organisations)
    rows = selectors.partner_report(user=request.user, filters=_filters(form))
    totals = {key: sum(row[key] for row in rows) for key in ("sent", "accepted", "declined", "completed", "no_show", "waiting", "open")}
    return render(request, "referrals/partners.html", {"form": form, "rows": rows, "totals": totals})


# --- the signed link ------------------------------------------------------------------------------------------


def _link_error(request: HttpRequest, error: links.LinkError) -> HttpResponse:
    response = render(request, "referrals/link_error.html", {"message": error.message}, status=error.status)
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    """The token must not leak to another site through the Referer header, nor to a cache or a search engine."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def referral_link(request: HttpRequest, token: str) -> HttpResponse:
    """What a receiver without an account sees: the shared snapshot, and accept / decline / report the outcome."""
    try:
        links.check_rate(request.META.get("REMOTE_ADDR"))
        referral = links.referral_from_token(token)
    except links.LinkError as error:
        return _link_error(request, error)
    done = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in services.RECEIVER_ACTIONS:
            return _link_error(request, links.Tampered())
        form = ReferralActionForm(request.POST, action=action, expert=referral.kind == Referral.Kind.EXPERT, prefix=action)
        if form.is_valid():
            try:
                referral = services.referral_transition(
                    actor=None, referral=referral, action=action, text=form.words(), via_link=True, assignment=form.assignment()
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                done = _status_label(action)
        else:
            messages.error(request, _form_errors(form))
        if done and referral.is_open:
            messages.success(request, _("Saved: the referral is now «%(status)s».") % {"status": done})
            return _private(redirect("referral_link", token=token))
    context = {
        "referral": referral,
        "shared": selectors.shared_rows(referral.shared),
        "actions": [] if done else _actions(referral, sender=False, receiver=True),
        "done": done,
        "token": token,
    }
    return _private(render(request, "referrals/link.html", context))
