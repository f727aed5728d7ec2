"""django-tables2 tables of the reports app (B.E. dates in exports too)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coopsupport.templatetags.thai import be_datetime
from reports.models import Document, Indicator
from reports.templatetags.report_format import qty

_STATUS_BADGES = {
    Document.Status.PENDING: "secondary",
    Document.Status.RUNNING: "info",
    Document.Status.DONE: "success",
    Document.Status.FAILED: "danger",
}


# Headers kept on one line: Thai has no spaces, so a wrapped header breaks inside a word.
TABLE_ATTRS = {"class": "table table-sm table-hover align-middle", "th": {"class": "text-nowrap"}}


class DocumentTable(tables.Table):
    title = tables.Column(
        verbose_name=_("title"), linkify=lambda record: reverse("reports:document_detail", args=[record.pk])
    )
    office = tables.Column(verbose_name=_("office"), default="—")
    status = tables.Column(verbose_name=_("status"))
    requested_by = tables.Column(verbose_name=_("requested by"), default=_("System"))
    created_at = tables.Column(verbose_name=_("requested at"))
    download = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = Document
        fields = ("title", "office", "status", "requested_by", "created_at")
        order_by = ("-created_at",)
        attrs = TABLE_ATTRS

    def render_status(self, record, value):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', _STATUS_BADGES.get(record.status, "light"), value
        )

    def value_status(self, record):
        return record.get_status_display()

    def render_created_at(self, value):
        return be_datetime(value)

    def value_created_at(self, value):
        return be_datetime(value)

    def render_download(self, record):
        if record.status != Document.Status.DONE:
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-primary text-nowrap" href="{}"><i class="bi bi-download"></i> {}</a>',
            reverse("reports:document_download", args=[record.pk]),
            _("Download"),
        )


class IndicatorTable(tables.Table):
    code = tables.Column(verbose_name=_("number"))
    name = tables.Column(
        verbose_name=_("indicator"),
        linkify=lambda record: reverse("reports:indicator_update", args=[record.pk]),
    )
    unit = tables.Column(verbose_name=_("unit"))
    annual_target = tables.Column(
        verbose_name=_("annual target"),
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end text-nowrap"}},
    )
    fiscal_year_be = tables.Column(verbose_name=_("fiscal year"))
    source = tables.Column(verbose_name=_("source"))
    office = tables.Column(verbose_name=_("office"))
    is_active = tables.BooleanColumn(verbose_name=_("active"))

    class Meta:
        model = Indicator
        fields = ("code", "name", "unit", "annual_target", "fiscal_year_be", "source", "office", "is_active")
        order_by = ("-fiscal_year_be",)
        attrs = TABLE_ATTRS

    def render_annual_target(self, value):
        return qty(value)

    def value_annual_target(self, value):
        return str(value)

    def value_source(self, record):
        return record.get_source_display()
