"""Writes to accounts. Every one is atomic and audited."""

from django.db import transaction

from shubbak.audit.services import audited_create, audited_update

from .models import User


@transaction.atomic
def user_create(*, actor: User | None, email: str, full_name: str, full_name_en: str = "", phone: str = "", language: str = "ar") -> User:
    """Create a staff account with no usable password; the person sets one through the reset link."""
    user = User(
        email=User.objects.normalize_email(email).lower(), full_name=full_name, full_name_en=full_name_en, phone=phone, language=language
    )
    user.set_unusable_password()
    return audited_create(actor=actor, instance=user, organisation=None)


@transaction.atomic
def user_update_preferences(*, actor: User, user: User, data: dict) -> User:
    """Change a user's own name, phone, language or calendar."""
    allowed = {"full_name", "full_name_en", "phone", "language", "calendar"}
    return audited_update(actor=actor, instance=user, data={k: v for k, v in data.items() if k in allowed}, organisation=None)
