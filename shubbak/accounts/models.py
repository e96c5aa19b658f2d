from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    """Creates users keyed by e-mail (there is no username)."""

    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: desk staff, managers, partners, experts, donors."""

    class Calendar(models.TextChoices):
        GREGORIAN = "gregorian", _("Gregorian only")
        HIJRI = "hijri", _("Gregorian with Hijri")

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    full_name_en = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ar", choices=[("ar", "العربية"), ("en", "English")])
    calendar = models.CharField(_("calendar"), max_length=16, choices=Calendar.choices, default=Calendar.GREGORIAN)
    is_staff = models.BooleanField(_("can use the Django admin"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email
