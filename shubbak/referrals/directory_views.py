"""Pages of the partner directory and the partner questionnaire: browse and search offers, partner pages, offers with
their rule editor, the questionnaire sent, answered (by staff or through a signed link), tracked, reviewed."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shubbak import places
from shubbak.context_processors import current_membership
from shubbak.forms import add_service_errors
from shubbak.helpdesk.models import Service
from shubbak.organisations.models import Network
from shubbak.organisations.permissions import access_for

from . import directory, links
from .directory_forms import (
    AnswerForm,
    DirectoryFilterForm,
    OfferForm,
    ProductFormSet,
    QuestionnaireForm,
    RuleEditor,
    answers_from,
    unbound,
)
from .models import QuestionnaireResponse

PAGE_SIZE = 20
REDRAW = ("rule-refresh", "rule-add", "rule-add-group", "rule-switch")  # buttons that redraw the rule editor, saving nothing


# --- the directory ------------------------------------------------------------------------------------------------


@login_required
def directory_list(request: HttpRequest) -> HttpResponse:
    """Every active offer of the user's networks, searched in any spelling and filtered; HTMX gets just the results."""
    form = DirectoryFilterForm(request.GET or None, services=directory.directory_services(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(directory.offer_list(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {"form": form, "page": page, "cards": [directory.offer_card(o, today) for o in page], "searching": bool(filters)}
    return render(request, "referrals/directory_results.html" if request.htmx else "referrals/directory.html", context)


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    """The partners of the user's networks, each with its active offers."""
    form = DirectoryFilterForm(request.GET or None, services=directory.directory_services(user=request.user))
    del form.fields["q"]
    filters = form.cleaned_data if form.is_valid() else {}
    partners = directory.partner_list(user=request.user, filters=filters)
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/directory_partners.html", {"form": form, "page": page})


@login_required
def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A partner's page: who they are, whom to call, and their offers (withdrawn ones too, for those who manage them)."""
    partner = directory.partner_get(user=request.user, slug=slug)
    can_manage = directory.can_manage_offers(request.user, partner)
    today = timezone.localdate()
    cards = [directory.offer_card(o, today) for o in directory.partner_offers(partner, include_inactive=can_manage)]
    context = {"partner": partner, "cards": cards, "can_manage": can_manage, "contacts": list(partner.contacts.all())}
    return render(request, "referrals/directory_partner.html", context)


@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One offer: for whom, where, how many, whom to call, the agreement."""
    offer = directory.offer_get(user=request.user, pk=pk)
    context = {
        "card": directory.offer_card(offer),
        "offer": offer,
        "can_manage": directory.can_manage_offers(request.user, offer.organisation_id),
    }
    return render(request, "referrals/offer_detail.html", context)


def _offer_form(request: HttpRequest, *, partner, offer=None) -> HttpResponse:
    posted = request.method == "POST"
    data = request.POST if posted else None
    form = OfferForm(
        data,
        instance=copy(offer) if offer else None,
        organisation=partner,
        services=directory.directory_services(user=request.user),
    )
    editor = RuleEditor(data, rule=offer.rule if offer else {}, country=partner.country, url=request.path)
    if posted and any(name in request.POST for name in REDRAW):
        unbound(form, request.POST)
    elif posted:
        form_valid, rule_valid = form.is_valid(), editor.is_valid()
        if form_valid and rule_valid:
            values = {name: form.cleaned_data[name] for name in OfferForm.Meta.fields} | {"rule": editor.rule}
            try:
                if offer:
                    saved = directory.offer_update(actor=request.user, offer=offer, data=values)
                else:
                    saved = directory.offer_create(actor=request.user, organisation=partner, data=values)
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "rule" in exc.error_dict:
                    editor.errors = [m for e in exc.error_dict.pop("rule") for m in e.messages]
                if not hasattr(exc, "error_dict") or exc.error_dict:
                    add_service_errors(form, exc)
            else:
                messages.success(request, _("The offer was saved."))
                return redirect("offer_detail", pk=saved.pk)
    return render(request, "referrals/offer_form.html", {"form": form, "editor": editor, "partner": partner, "offer": offer})


@login_required
def offer_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Add an offer to a partner's list: the partner's own staff, or a network manager."""
    partner = directory.partner_get(user=request.user, slug=slug)
    if not directory.can_manage_offers(request.user, partner):
        raise PermissionDenied
    return _offer_form(request, partner=partner)


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an offer, its rule, or withdraw it."""
    offer = directory.offer_get(user=request.user, pk=pk)
    if not directory.can_manage_offers(request.user, offer.organisation_id):
        raise PermissionDenied
    return _offer_form(request, partner=offer.organisation, offer=offer)


# --- the questionnaire: network managers --------------------------------------------------------------------------


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    """Questionnaires a network manager sent, with how many partners answered; the partner's own to answer."""
    access = access_for(request.user)
    context = {
        "questionnaires": list(directory.questionnaire_list(user=request.user)),
        "to_answer": list(directory.responses_to_answer(user=request.user)),
        "can_create": access.is_network_manager(),
    }
    return render(request, "referrals/questionnaire_list.html", context)


def _managed_network(request: HttpRequest) -> Network:
    """The network a new questionnaire goes to: the current organisation's, if she manages it, else one she manages."""
    access = access_for(request.user)
    if not access.managed_networks:
        raise PermissionDenied
    current = current_membership(request, access)
    network_id = current.organisation.network_id if current and current.organisation.network_id in access.managed_networks else None
    return Network.objects.get(pk=network_id or min(access.managed_networks))


@login_required
def questionnaire_create(request: HttpRequest) -> HttpResponse:
    """A network manager writes a questionnaire and sends it to every partner of the network."""
    network = _managed_network(request)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = directory.questionnaire_create(actor=request.user, network=network, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = questionnaire.responses.count()
            messages.success(request, _("The questionnaire was sent to %(count)s partners.") % {"count": count})
            return redirect("questionnaire_detail", pk=questionnaire.pk)
    return render(request, "referrals/questionnaire_form.html", {"form": form, "network": network})


@login_required
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Tracking: who answered, who has not, the reminders sent; the link to send by text message to each partner."""
    questionnaire = directory.questionnaire_get(user=request.user, pk=pk)
    responses = list(questionnaire.responses.select_related("organisation", "reviewed_by"))
    for response in responses:
        if response.status == QuestionnaireResponse.Status.WAITING:
            response.link = directory.response_link(response)
    Status = QuestionnaireResponse.Status
    counts = {status: sum(1 for r in responses if r.status == status) for status in Status.values}
    context = {
        "questionnaire": questionnaire,
        "responses": responses,
        "counts": counts,
        "waiting": counts[Status.WAITING],
        "today": timezone.localdate(),
    }
    return render(request, "referrals/questionnaire_detail.html", context)


@login_required
@require_POST
def questionnaire_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind now every partner who has not answered (those reminded today are skipped)."""
    questionnaire = directory.questionnaire_get(user=request.user, pk=pk)
    count = directory.questionnaire_remind_all(actor=request.user, questionnaire=questionnaire)
    messages.success(request, _("%(count)s partners were reminded.") % {"count": count})
    return redirect("questionnaire_detail", pk=pk)


@login_required
@require_POST
def questionnaire_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the questionnaire to partners added to the network since it was sent."""
    questionnaire = directory.questionnaire_get(user=request.user, pk=pk)
    count = directory.questionnaire_send(actor=request.user, questionnaire=questionnaire)
    messages.success(request, _("The questionnaire was sent to %(count)s partners.") % {"count": count})
    return redirect("questionnaire_detail", pk=pk)


def _managed_response(request: HttpRequest, pk: int) -> QuestionnaireResponse:
    response = directory.response_get(user=request.user, pk=pk)
    if not access_for(request.user).is_network_manager(response.questionnaire.network_id):
        raise PermissionDenied
    return response


@login_required
@require_POST
def response_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind one partner now."""
    response = _managed_response(request, pk)
    try:
        directory.response_remind(actor=request.user, response=response)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(partner)s was reminded.") % {"partner": response.organisation.name})
    return redirect("questionnaire_detail", pk=response.questionnaire_id)


@login_required
@require_POST
def response_new_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a partner's link and make a new one (the old one stops working)."""
    response = _managed_response(request, pk)
    directory.response_new_link(actor=request.user, response=response)
    messages.success(
        request, _("A new link was made for %(partner)s; the old one no longer works.") % {"partner": response.organisation.name}
    )
    return redirect("questionnaire_detail", pk=response.questionnaire_id)


@login_required
def response_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A network manager reads a partner's answers, sees what they would change in the directory, and applies them."""
    response = _managed_response(request, pk)
    if request.method == "POST":
        try:
            directory.response_apply(actor=request.user, response=response)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The answers of %(partner)s were applied to the directory.") % {"partner": response.organisation.name}
            )
            return redirect("questionnaire_detail", pk=response.questionnaire_id)
    context = {"response": response, "questionnaire": response.questionnaire, "plan": directory.response_plan(response)}
    context["summary"] = _answers_summary(response)
    return render(request, "referrals/questionnaire_review.html", context)


# --- the questionnaire: partners ----------------------------------------------------------------------------------


def _answers_summary(response: QuestionnaireResponse) -> list[dict]:
    """The products answered, in words, for reading."""
    services = {s.pk: s for s in Service.objects.filter(network_id=response.questionnaire.network_id)}
    network = response.questionnaire.network
    summary = []
    for product in (response.answers or {}).get("products") or []:
        summary.append(
            product
            | {
                "service_name": services[product["service"]].name if product["service"] in services else "",
                "for_whom": directory.rule_text(directory.rule_for_groups(product["target_groups"], network)),
                "where": "، ".join(places.governorate_name(g) for g in product["governorates"]),
            }
        )
    return summary


def _answer(request: HttpRequest, response: QuestionnaireResponse, *, actor, template: str) -> HttpResponse:
    """The answer form, for staff on their page and for a partner through the link."""
    network = response.questionnaire.network
    services = list(Service.objects.filter(network=network, is_active=True).select_related("category"))
    initial = directory.answer_initial(response)
    kwargs = {
        "prefix": "products",
        "initial": initial["products"],
        "form_kwargs": {"services": services, "country": response.organisation.country},
    }
    reviewed = response.status == QuestionnaireResponse.Status.REVIEWED
    if request.method == "POST" and not reviewed:
        data = request.POST
        adding = "add-product" in data
        if adding:
            data = data.copy()
            data["products-TOTAL_FORMS"] = str(min(int(data.get("products-TOTAL_FORMS") or 0) + 1, 30))
        products, form = ProductFormSet(data, **kwargs), AnswerForm(data)
        if not adding and form.is_valid() and products.is_valid():
            try:
                directory.response_submit(actor=actor, response=response, answers=answers_from(form, products))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return render(request, "referrals/questionnaire_thanks.html", {"response": response, "staff": actor is not None})
    else:
        products, form = ProductFormSet(**kwargs), AnswerForm(initial=AnswerForm.initial_for(initial))
    context = {
        "response": response,
        "questionnaire": response.questionnaire,
        "products": products,
        "form": form,
        "reviewed": reviewed,
        "summary": _answers_summary(response) if reviewed else [],
    }
    return render(request, template, context)


@login_required
def response_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Partner staff answer their organisation's questionnaire here (until it is reviewed)."""
    response = directory.response_get(user=request.user, pk=pk)
    if not directory.can_answer(request.user, response):
        raise PermissionDenied
    return _answer(request, response, actor=request.user, template="referrals/questionnaire_answer.html")


def questionnaire_link(request: HttpRequest, token: str) -> HttpResponse:
    """A partner without an account answers through the signed link it received (nothing else is behind it)."""
    try:
        links.check_rate(request.META.get("REMOTE_ADDR"))
        response = directory.response_from_token(token)
    except links.LinkError as error:
        return render(request, "referrals/questionnaire_link_error.html", {"message": error.message}, status=error.status)
    return _answer(request, response, actor=None, template="referrals/questionnaire_answer.html")
