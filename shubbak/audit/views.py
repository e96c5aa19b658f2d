from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from shubbak.organisations.permissions import require
from shubbak.organisations.selectors import organisation_get

from .forms import AuditFilterForm
from .selectors import audit_list

PAGE_SIZE = 50


@login_required
def organisation_audit(request: HttpRequest, slug: str, app_label: str = "", model: str = "", pk: str = "") -> HttpResponse:
    """The audit log of an organisation, or of one of its records; for its admins and network managers."""
    organisation = organisation_get(user=request.user, slug=slug)
    require(request.user, organisation, "view_audit")
    form = AuditFilterForm(request.GET or None)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    target = None
    if model:
        try:
            target_type = ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist:
            raise Http404 from None
        filters.update(target_type=target_type, target_id=pk)
        target = {"type": target_type, "id": pk}
    page = Paginator(audit_list(organisation=organisation, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"organisation": organisation, "form": form, "page": page, "target": target}
    template = "audit/_entries.html" if request.htmx else "audit/audit_list.html"
    return render(request, template, context)
