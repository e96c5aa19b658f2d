"""The referrals panel of the case page: `{% include "referrals/_case_panel.html" %}` loads it with this tag."""

from django import template
from django.utils import timezone

from shubbak.referrals import selectors

register = template.Library()


@register.simple_tag
def case_referral_panel(case) -> dict:
    """The case's requested services, each with its referrals (two queries), and the time to judge "waiting too long"."""
    return {"rows": selectors.case_panel(case=case), "now": timezone.now()}
