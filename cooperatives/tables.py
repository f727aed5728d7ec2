"""The institution table: sortable, name linked to the detail page, members from the newest figures."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Institution
from coopsupport.thai import format_date

STATUS_BADGES = {
    Institution.Status.OPERATING: "success",
    Institution.Status.DORMANT: "warning",
    Institution.Status.LIQUIDATING: "danger",
    Institution.Status.DISSOLVED: "secondary",
}


class InstitutionTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Name"), linkify=("cooperatives:institution_detail", [tables.A("pk")])
    )
    registration_number = tables.Column(verbose_name=_("Registration number"))
    kind = tables.Column(
        verbose_name=_("Kind of institution"),
        attrs={
            "th": {"class": "d-none d-xl-table-cell text-nowrap"},
            "td": {"class": "d-none d-xl-table-cell"},
        },
    )
    type = tables.Column(verbose_name=_("Type"))
    status = tables.Column(verbose_name=_("Status"))
    district = tables.Column(verbose_name=_("District"), order_by=("district__name_th",))
    # A short header ("ผู้รับผิดชอบ"): the long one broke mid-word on a tablet.
    responsible_officer = tables.Column(
        verbose_name=_("In charge"), order_by=("responsible_officer__first_name",)
    )
    latest_members = tables.Column(
        verbose_name=_("Members"), attrs={"td": {"class": "money"}, "th": {"class": "money"}}
    )
    # Export-only columns (hidden on screen).
    registered_on = tables.Column(verbose_name=_("Registration date"), visible=False)
    status_since = tables.Column(verbose_name=_("Status since"), visible=False)
    phone = tables.Column(verbose_name=_("Phone"), visible=False)
    email = tables.Column(verbose_name=_("Email"), visible=False)

    class Meta:
        model = Institution
        fields = (
            "name", "registration_number", "kind", "type", "status", "district", "responsible_officer",
            "latest_members", "registered_on", "status_since", "phone", "email",
        )  # fmt: skip
        sequence = fields
        order_by = ("name",)
        empty_text = _("No institutions match these filters.")
        # Short headers, each kept on one line (Thai would otherwise break inside a word on a tablet).
        attrs = {
            "class": "table table-sm table-hover align-middle institution-table",
            "th": {"class": "text-nowrap"},
        }

    def render_status(self, record, value):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', STATUS_BADGES.get(record.status, "light"), value
        )

    def render_responsible_officer(self, value):
        return value.get_full_name() or value.username

    def render_latest_members(self, value):
        return f"{value:,}"

    def value_status(self, record):
        return record.get_status_display()

    def value_responsible_officer(self, value):
        return self.render_responsible_officer(value) if value else ""

    def value_latest_members(self, value):
        return value if value is not None else ""

    def value_registered_on(self, value):
        return format_date(value, "numeric")

    def value_status_since(self, value):
        return format_date(value, "numeric")

    def value_kind(self, record):
        return record.get_kind_display()

    def value_type(self, record):
        return record.get_type_display()
