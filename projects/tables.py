"""List tables (the name column links to the detail page; dates export in B.E.)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coopsupport.thai import format_date, format_money
from projects.models import FeasibilityAssessment, Project, StrategicPlan

STATUS_CSS = {
    "draft": "secondary",
    "active": "success",
    "closed": "dark",
    "proposed": "secondary",
    "appraised": "info",
    "approved": "primary",
    "in_progress": "warning",
    "completed": "success",
    "cancelled": "dark",
    "submitted": "warning",
    "rejected": "danger",
}


def status_badge(value, code):
    return format_html('<span class="badge text-bg-{}">{}</span>', STATUS_CSS.get(code, "secondary"), value)


class StatusBadgeMixin:
    """The ``status`` column: a coloured badge on screen, the plain label in exports."""

    def render_status(self, value, record):
        return status_badge(value, record.status)

    def value_status(self, record):
        return record.get_status_display()


# Headers kept on one line: Thai has no spaces, so a wrapped header breaks inside a word.
TABLE_ATTRS = {"class": "table table-sm table-hover align-middle", "th": {"class": "text-nowrap"}}


class StrategicPlanTable(StatusBadgeMixin, tables.Table):
    title = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("title"))
    institution = tables.Column(verbose_name=_("institution"), order_by=("institution__name",))
    period = tables.Column(empty_values=(), verbose_name=_("period (B.E.)"), order_by=("start_year_be",))
    status = tables.Column(verbose_name=_("status"))

    class Meta:
        model = StrategicPlan
        fields = ("title", "institution", "period", "status")
        attrs = TABLE_ATTRS

    def render_period(self, record):
        return f"{record.start_year_be}–{record.end_year_be}"

    def value_period(self, record):
        return self.render_period(record)


class ProjectTable(StatusBadgeMixin, tables.Table):
    name = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("project name"))
    institution = tables.Column(verbose_name=_("institution"), order_by=("institution__name",))
    budget = tables.Column(
        verbose_name=_("budget (baht)"), attrs={"td": {"class": "money"}, "th": {"class": "money"}}
    )
    start_on = tables.Column(verbose_name=_("start date"))
    end_on = tables.Column(verbose_name=_("end date"))
    status = tables.Column(verbose_name=_("status"))

    class Meta:
        model = Project
        fields = ("name", "institution", "budget", "start_on", "end_on", "status")
        attrs = TABLE_ATTRS

    def render_budget(self, value):
        return format_money(value)

    def render_start_on(self, value):
        return format_date(value)

    def render_end_on(self, value):
        return format_date(value)

    value_start_on = staticmethod(lambda value: format_date(value))
    value_end_on = staticmethod(lambda value: format_date(value))


class FeasibilityAssessmentTable(StatusBadgeMixin, tables.Table):
    title = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("title"))
    institution = tables.Column(verbose_name=_("institution"), order_by=("institution__name",))
    npv = tables.Column(
        verbose_name=_("NPV (baht)"), attrs={"td": {"class": "money"}, "th": {"class": "money"}}
    )
    irr = tables.Column(verbose_name=_("IRR"), attrs={"td": {"class": "money"}, "th": {"class": "money"}})
    bcr = tables.Column(verbose_name=_("BCR"), attrs={"td": {"class": "money"}, "th": {"class": "money"}})
    min_dscr = tables.Column(
        verbose_name=_("min. DSCR"), attrs={"td": {"class": "money"}, "th": {"class": "money"}}
    )
    verdict = tables.Column(verbose_name=_("verdict"))
    status = tables.Column(verbose_name=_("status"))
    # May wrap, at the word boundary ("ปรับปรุง / ล่าสุด"), so the list fits a tablet held upright.
    updated_at = tables.Column(verbose_name=_("updated"), attrs={"th": {"class": ""}})

    class Meta:
        model = FeasibilityAssessment
        fields = ("title", "institution", "npv", "irr", "bcr", "min_dscr", "verdict", "status", "updated_at")
        attrs = TABLE_ATTRS

    def render_npv(self, value):
        return format_money(value)

    def render_irr(self, value):
        return f"{value * 100:,.2f} %"

    def render_bcr(self, value):
        return f"{value:,.2f}"

    def render_min_dscr(self, value):
        return f"{value:,.2f}"

    def render_verdict(self, value, record):
        css = "success" if record.verdict == FeasibilityAssessment.Verdict.FEASIBLE else "danger"
        return format_html('<span class="badge text-bg-{}">{}</span>', css, value)

    def value_verdict(self, record):
        return record.get_verdict_display()

    def render_updated_at(self, value):
        from coopsupport.templatetags.thai import be_datetime

        return be_datetime(value)

    value_updated_at = render_updated_at
