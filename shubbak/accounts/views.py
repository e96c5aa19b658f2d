from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import PreferencesForm
from .services import user_update_preferences


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """The user's own name, phone, language and calendar."""
    form = PreferencesForm(request.POST or None, instance=copy(request.user))  # validation must not touch the real one
    if request.method == "POST" and form.is_valid():
        try:
            user_update_preferences(actor=request.user, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            translation.activate(form.cleaned_data["language"])
            messages.success(request, _("Your preferences were saved."))
            response = redirect("preferences")
            response.set_cookie("django_language", form.cleaned_data["language"], max_age=60 * 60 * 24 * 365, samesite="Lax")
            return response
    return render(request, "accounts/preferences.html", {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and, when logged in, on the account."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in {"ar", "en"} and request.user.language != language:
        user_update_preferences(actor=request.user, user=request.user, data={"language": language})
    return response
