"""Loan tables. Money and days come from the snapshot columns on Loan (no per-row queries);
exports show B.E. dates."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coopsupport.thai import format_date, format_money
from loans.models import FollowUp, Loan

STATUS_CSS = {
    Loan.Status.CURRENT: "success",
    Loan.Status.OVERDUE: "warning",
    Loan.Status.DEFAULT: "danger",
    Loan.Status.DEFERRAL: "info",
    Loan.Status.RESTRUCTURED: "info",
    Loan.Status.LEGAL_ACTION: "danger",
    Loan.Status.JUDGMENT: "danger",
    Loan.Status.COMPROMISE: "secondary",
    Loan.Status.ENFORCEMENT: "danger",
    Loan.Status.CLOSED: "secondary",
    Loan.Status.WRITTEN_OFF: "dark",
}


# Short headers kept on one line: Thai has no spaces, so a wrapped header breaks inside a word
# ("ผู้รับผิด/ชอบ", "ยอดงวดถัด/ไป"). The long model names get short column labels below.
TABLE_ATTRS = {"class": "table table-sm table-hover align-middle", "th": {"class": "text-nowrap"}}


class MoneyColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "attrs", {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end text-nowrap"}}
        )
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_money(value)

    def value(self, value):
        return format_money(value)


class DateColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-nowrap"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_date(value)

    def value(self, value):
        return format_date(value) if value else ""


class StatusColumn(tables.Column):
    def render(self, value, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STATUS_CSS.get(value, "secondary"),
            record.get_status_display(),
        )

    def value(self, value, record):
        return record.get_status_display()


class LoanTable(tables.Table):
    contract_number = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    borrower = tables.Column(accessor="borrower__name", verbose_name=_("borrower"))
    # The fund code is on the contract page too: left out below xl so the list fits a tablet (as the
    # institution list does with the kind).
    fund = tables.Column(
        accessor="fund__code",
        verbose_name=_("fund"),
        attrs={
            "th": {"class": "d-none d-xl-table-cell text-nowrap"},
            "td": {"class": "d-none d-xl-table-cell"},
        },
    )
    status = StatusColumn(verbose_name=_("status"))
    approved_amount = MoneyColumn()
    outstanding_principal = MoneyColumn()
    overdue_amount = MoneyColumn()
    days_past_due = tables.Column(
        verbose_name=_("days late"),
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end text-nowrap"}},
    )
    next_due_on = DateColumn(verbose_name=_("next installment"))
    # The snapshot's next_due_amount is what will be owed that day, arrears included (see the contract page).
    next_due_amount = MoneyColumn(verbose_name=_("amount to pay"))
    responsible_officer = tables.Column(verbose_name=_("in charge"))  # "ผู้รับผิดชอบ", as on the institution list

    class Meta:
        model = Loan
        fields = (
            "contract_number", "borrower", "fund", "status", "approved_amount", "outstanding_principal",
            "overdue_amount", "days_past_due", "next_due_on", "next_due_amount", "responsible_officer",
        )  # fmt: skip
        order_by = ("-days_past_due",)
        attrs = TABLE_ATTRS

    def render_days_past_due(self, value):
        return format_html('<span class="text-danger fw-semibold">{}</span>', value) if value else "0"


class DueSoonTable(LoanTable):
    class Meta(LoanTable.Meta):
        fields = (
            "next_due_on", "contract_number", "borrower", "fund", "status", "next_due_amount",
            "outstanding_principal", "overdue_amount", "responsible_officer",
        )  # fmt: skip
        exclude = ("approved_amount", "days_past_due")
        sequence = fields
        order_by = ("next_due_on",)


class OverdueTable(LoanTable):
    class Meta(LoanTable.Meta):
        fields = (
            "days_past_due", "contract_number", "borrower", "fund", "status", "overdue_amount",
            "outstanding_principal", "next_due_on", "responsible_officer",
        )  # fmt: skip
        exclude = ("approved_amount", "next_due_amount")
        sequence = fields
        order_by = ("-days_past_due",)


class FollowUpTable(tables.Table):
    contacted_on = DateColumn()
    loan = tables.Column(accessor="loan__contract_number", verbose_name=_("contract"),
                         linkify=lambda record: record.loan.get_absolute_url())  # fmt: skip
    borrower = tables.Column(accessor="loan__borrower__name", verbose_name=_("borrower"))
    kind = tables.Column()
    note = tables.Column()
    promise_amount = MoneyColumn(verbose_name=_("amount promised"))
    promise_on = DateColumn(verbose_name=_("promised by"))
    is_done = tables.BooleanColumn()
    recorded_by = tables.Column()

    class Meta:
        model = FollowUp
        fields = ("contacted_on", "loan", "borrower", "kind", "note", "promise_amount", "promise_on", "is_done",
                  "recorded_by")  # fmt: skip
        order_by = ("-contacted_on",)
        attrs = TABLE_ATTRS

    def render_note(self, value):
        return value if len(value) <= 80 else value[:80] + "…"
