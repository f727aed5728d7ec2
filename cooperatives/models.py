"""The institution register: cooperatives, farmer groups and other groups, with people and figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coopsupport.models import AreaTeam, District, Office, Province, Subdistrict
from coopsupport.money import MoneyField
from coopsupport.scoping import ScopedQuerySet, scoped_manager


class InstitutionQuerySet(ScopedQuerySet):
    office_lookup = "office"

    def operating(self):
        return self.filter(status=Institution.Status.OPERATING)

    def cooperatives(self):
        return self.filter(kind=Institution.Kind.COOPERATIVE)

    def with_latest_members(self):
        """Annotate ``latest_members`` / ``latest_year_be`` from the newest YearlyFigure (one subquery each)."""
        latest = YearlyFigure.objects.filter(institution=OuterRef("pk")).order_by("-year_be")
        return self.annotate(
            latest_members=Subquery(latest.values("members")[:1]),
            latest_year_be=Subquery(latest.values("year_be")[:1]),
        )


class BusinessLine(models.Model):
    """A line of business (credit, deposits, supply, collection, processing, services)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("business line")
        verbose_name_plural = _("business lines")

    def __str__(self) -> str:
        return self.name


class Institution(models.Model):
    """A cooperative or group the office looks after."""

    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("Cooperative")
        FARMER_GROUP = "farmer_group", _("Farmer group")
        WOMEN_GROUP = "women_group", _("Cooperative women's group")
        YOUTH_GROUP = "youth_group", _("Cooperative youth group")
        OCCUPATIONAL_GROUP = "occupational_group", _("Occupational group")
        OTHER = "other", _("Other group")

    class Type(models.TextChoices):
        # Cooperatives (Cooperatives Act B.E. 2542): the first three are the agricultural sector.
        AGRICULTURAL = "agricultural", _("Agricultural cooperative")
        FISHERIES = "fisheries", _("Fisheries cooperative")
        LAND_SETTLEMENT = "land_settlement", _("Land settlement cooperative")
        STORE = "store", _("Store cooperative")
        SERVICE = "service", _("Service cooperative")
        SAVINGS = "savings", _("Savings cooperative")
        CREDIT_UNION = "credit_union", _("Credit union cooperative")
        # Farmer groups (Royal Decree B.E. 2547).
        FG_RICE = "fg_rice", _("Rice farming group")
        FG_ORCHARD = "fg_orchard", _("Orchard farming group")
        FG_FIELD_CROPS = "fg_field_crops", _("Field crop farming group")
        FG_LIVESTOCK = "fg_livestock", _("Livestock farming group")
        FG_FISHERIES = "fg_fisheries", _("Fisheries farming group")
        FG_OTHER = "fg_other", _("Other farmer group")
        # Women's, youth, occupational and other groups.
        GENERAL = "general", _("General group")

    class Status(models.TextChoices):
        OPERATING = "operating", _("Operating")
        DORMANT = "dormant", _("Dormant")
        LIQUIDATING = "liquidating", _("Liquidating")
        DISSOLVED = "dissolved", _("Dissolved")

    COOPERATIVE_TYPES = (
        Type.AGRICULTURAL, Type.FISHERIES, Type.LAND_SETTLEMENT,
        Type.STORE, Type.SERVICE, Type.SAVINGS, Type.CREDIT_UNION,
    )  # fmt: skip
    AGRICULTURAL_SECTOR_TYPES = (Type.AGRICULTURAL, Type.FISHERIES, Type.LAND_SETTLEMENT)
    FARMER_GROUP_TYPES = (
        Type.FG_RICE, Type.FG_ORCHARD, Type.FG_FIELD_CROPS, Type.FG_LIVESTOCK, Type.FG_FISHERIES, Type.FG_OTHER,
    )  # fmt: skip

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="institutions", verbose_name=_("office")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices, db_index=True)
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attached_groups",
        verbose_name=_("parent cooperative"),
    )
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPERATING, db_index=True
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    accounting_year_end_month = models.PositiveSmallIntegerField(
        _("accounting year ends (month)"), default=3, choices=[(m, m) for m in range(1, 13)]
    )
    accounting_year_end_day = models.PositiveSmallIntegerField(_("accounting year ends (day)"), default=31)
    address = models.CharField(_("address (number, moo, road)"), max_length=255, blank=True)
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sub-district")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, verbose_name=_("province"))
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    area_team = models.ForeignKey(
        AreaTeam, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("area team")
    )
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_institutions",
        verbose_name=_("responsible officer"),
    )
    business_lines = models.ManyToManyField(BusinessLine, blank=True, verbose_name=_("business lines"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[business_lines])
    objects = InstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "registration_number"],
                condition=~Q(registration_number=""),
                name="cooperatives_institution_unique_registration",
            ),
        ]
        indexes = [models.Index(fields=["office", "kind", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:institution_detail", args=[self.pk])

    @property
    def is_agricultural_sector(self) -> bool:
        return self.type in self.AGRICULTURAL_SECTOR_TYPES

    @property
    def sector_label(self) -> str:
        if self.kind != self.Kind.COOPERATIVE:
            return ""
        return str(_("Agricultural sector") if self.is_agricultural_sector else _("Non-agricultural sector"))


class StatusEvent(models.Model):
    """A dated change of an institution's status (with the order or resolution behind it)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField(_("status"), max_length=20, choices=Institution.Status.choices)
    effective_on = models.DateField(_("effective date"))
    reference = models.CharField(_("order or resolution"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("institution__office")

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("status event")
        verbose_name_plural = _("status events")

    def __str__(self) -> str:
        return f"{self.institution} {self.status} {self.effective_on}"


class Contact(models.Model):
    """Someone to contact at an institution; reminder emails go to contacts marked for them."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    receives_reminders = models.BooleanField(_("receives debt reminders"), default=True)

    history = HistoricalRecords()
    objects = scoped_manager("institution__office")

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A board member or staff member of an institution."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Board member")
        STAFF = "staff", _("Staff")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BOARD)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=100, blank=True)
    term_start_on = models.DateField(_("term starts"), null=True, blank=True)
    term_end_on = models.DateField(_("term ends"), null=True, blank=True)
    # PDPA: validated by check digit, shown masked, every reveal is logged (PersonalDataAccess).
    national_id = models.CharField(_("national ID number"), max_length=13, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    history = HistoricalRecords()
    objects = scoped_manager("institution__office")

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name


class YearlyFigure(models.Model):
    """Members, capital and business volume by line for one accounting year (B.E.)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="yearly_figures")
    year_be = models.PositiveSmallIntegerField(_("accounting year (B.E.)"))
    members = models.PositiveIntegerField(_("members"), default=0)
    share_capital = MoneyField(_("share capital"), default=0)
    volume_credit = MoneyField(_("credit business"), default=0)
    volume_deposits = MoneyField(_("deposits"), default=0)
    volume_supply = MoneyField(_("supply business"), default=0)
    volume_collection = MoneyField(_("produce collection"), default=0)
    volume_processing = MoneyField(_("processing"), default=0)
    volume_services = MoneyField(_("services"), default=0)
    board_count = models.PositiveSmallIntegerField(_("board members"), default=0)
    staff_count = models.PositiveSmallIntegerField(_("staff"), default=0)

    history = HistoricalRecords()
    objects = scoped_manager("institution__office")

    class Meta:
        ordering = ["-year_be"]
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year_be"], name="cooperatives_yearlyfigure_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.year_be}"

    @property
    def total_volume(self):
        return (
            self.volume_credit
            + self.volume_deposits
            + self.volume_supply
            + self.volume_collection
            + self.volume_processing
            + self.volume_services
        )
