"""Accounts, offices, roles and the Thai administrative geography."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """A changwat with its DOPA code (two digits)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name_th


class District(models.Model):
    """An amphoe or Bangkok khet (four-digit DOPA code)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name_th


class Subdistrict(models.Model):
    """A tambon or Bangkok khwaeng (six-digit DOPA code)."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")

    def __str__(self) -> str:
        return self.name_th


class Office(models.Model):
    """A provincial cooperative office, a Bangkok area office, or the central department."""

    class Kind(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial cooperative office")
        BANGKOK_AREA = "bangkok_area", _("Bangkok area cooperative promotion office")
        CENTRAL = "central", _("Cooperative Promotion Department (central)")

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROVINCIAL)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("province"),
    )
    districts = models.ManyToManyField(
        District,
        blank=True,
        verbose_name=_("districts covered"),
        help_text=_("Only for offices that share a province (Bangkok area offices)."),
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    head_name = models.CharField(_("head of office"), max_length=200, blank=True)
    head_title = models.CharField(_("head's position"), max_length=200, blank=True)
    letter_prefix = models.CharField(
        _("letter number prefix"),
        max_length=30,
        blank=True,
        help_text=_(
            "The office's own prefix of official letter numbers, e.g. ชม 0010: letters are numbered "
            "“prefix/running number”. Leave blank to use the system's placeholder."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class AreaTeam(models.Model):
    """An area team (กลุ่มส่งเสริมสหกรณ์ 1-5) that takes some of an office's districts."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="area_teams", verbose_name=_("office")
    )
    number = models.PositiveSmallIntegerField(_("team number"))
    name = models.CharField(_("name"), max_length=200)
    districts = models.ManyToManyField(District, blank=True, verbose_name=_("districts"))

    class Meta:
        ordering = ["office", "number"]
        verbose_name = _("area team")
        verbose_name_plural = _("area teams")
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="coopsupport_areateam_unique_number"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: an officer, a supervisor, central staff or an administrator."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Officer")
        SUPERVISOR = "supervisor", _("Supervisor")
        CENTRAL = "central", _("Central staff")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("office"),
    )
    area_team = models.ForeignKey(
        AreaTeam,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("area team"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    failed_logins = models.PositiveSmallIntegerField(_("failed sign-ins in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["central", "admin"]) | Q(office__isnull=False),
                name="coopsupport_user_office_required_for_field_roles",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def sees_all_offices(self) -> bool:
        return self.is_superuser or self.role in (self.Role.CENTRAL, self.Role.ADMIN)

    @property
    def can_write(self) -> bool:
        """Officers write their office's records; admins write anything; others only read."""
        return self.is_active and (self.is_superuser or self.role in (self.Role.OFFICER, self.Role.ADMIN))

    @property
    def can_sign_reports(self) -> bool:
        return self.role in (self.Role.SUPERVISOR, self.Role.ADMIN) or self.is_superuser


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task (shown on the status panel)."""

    name = models.CharField(max_length=100, unique=True)
    beat_at = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M}"


class PersonalDataAccess(models.Model):
    """PDPA log: who revealed which personal data (e.g. a national ID number), and when."""

    user = models.ForeignKey("coopsupport.User", on_delete=models.PROTECT, related_name="+")
    accessed_at = models.DateTimeField(auto_now_add=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=50)
    field = models.CharField(max_length=50)
    purpose = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")

    def __str__(self) -> str:
        return f"{self.user} {self.object_type}#{self.object_id}.{self.field}"
