"""Contracts: create, edit, further tranches, rate changes, penalty waivers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsupport.thai import format_date, format_money
from loans.models import (
    DebtorEvent,
    Disbursement,
    Installment,
    Loan,
    PenaltyWaiver,
    RateChange,
    ScheduleVersion,
)
from loans.schedule import build_schedule
from loans.services.checks import (
    ZERO,
    _check_open_period,
    _check_rate,
    _check_writer,
    _clean_amount,
    _last_restructure_on,
    _lock,
    _to_schedule_error,
)
from loans.services.state import _rederive, loan_state, refresh_loan_snapshot

# ------------------------------------------------------------------ contracts


def _store_schedule(*, loan: Loan, rows, number: int, reason: str, created_on: date, principal: Decimal,
                    rate_pct: Decimal, method: str, period_months: int, starts_on: date, first_due_on: date,
                    by, note: str = "") -> ScheduleVersion:  # fmt: skip
    ScheduleVersion.objects.filter(loan=loan, is_active=True).update(is_active=False)
    version = ScheduleVersion.objects.create(
        loan=loan, number=number, created_on=created_on, reason=reason, note=note, is_active=True,
        principal=principal, rate_pct=rate_pct, method=method, period_months=period_months,
        starts_on=starts_on, first_due_on=first_due_on, created_by=by,
    )  # fmt: skip
    Installment.objects.bulk_create(
        Installment(version=version, number=r.number, due_on=r.due_on, principal=r.principal,
                    interest=r.interest, total=r.total, balance=r.balance)
        for r in rows
    )  # fmt: skip
    return version


@transaction.atomic
def create_loan(
    *,
    by,
    borrower,
    fund,
    contract_number: str,
    signed_on: date,
    purpose: str,
    approved_amount,
    annual_rate_pct,
    method: str,
    period_months: int,
    installments: int,
    first_due_on: date,
    day_count: str,
    penalty_rate_pct,
    disbursed_on: date | None = None,
    disbursed_amount=None,
    scheme=None,
    committee: str = "",
    resolution_number: str = "",
    resolution_on: date | None = None,
    responsible_officer=None,
    note: str = "",
    allocation_order: str | None = None,
    debtor_class: str = "",
    today: date | None = None,
) -> Loan:
    """A new contract with its first disbursement, the rate at signing and schedule version 1."""
    from cooperatives.models import Institution

    today = today or timezone.localdate()
    if by is None or not by.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))
    if not Institution.objects.for_user(by).filter(pk=borrower.pk).exists():
        raise PermissionDenied(_("This institution is not in your office."))
    approved = _clean_amount(approved_amount, field="approved_amount")
    disbursed = _clean_amount(disbursed_amount if disbursed_amount not in (None, "") else approved,
                              field="disbursed_amount")  # fmt: skip
    rate = _check_rate(annual_rate_pct)
    penalty = _check_rate(penalty_rate_pct, "penalty_rate_pct")
    disbursed_on = disbursed_on or signed_on
    errors = {}
    if disbursed > approved:
        errors["disbursed_amount"] = _("The disbursement is more than the approved amount.")
    if disbursed_on < signed_on:
        errors["disbursed_on"] = _("The money cannot be paid out before the contract is signed.")
    if disbursed_on > today:
        errors["disbursed_on"] = _(
            "Record the contract once the money has been paid out (the date is in the future)."
        )
    if scheme is not None and scheme.fund_id != fund.pk:
        errors["scheme"] = _("The scheme belongs to another fund.")
    max_term = scheme.effective_max_term_months if scheme is not None else fund.max_term_months
    if installments and period_months and installments * period_months > max_term:
        errors["installments"] = _("The term is longer than the fund allows (%(months)s months).") % {
            "months": max_term
        }
    if Loan.objects.filter(contract_number=contract_number).exists():
        errors["contract_number"] = _("A contract with this number already exists.")
    if errors:
        raise ValidationError(errors)
    try:
        rows = build_schedule(
            principal=disbursed, annual_rate_pct=rate, disbursed_on=disbursed_on, first_due_on=first_due_on,
            installments=installments, period_months=period_months, method=method, day_count=day_count,
        )  # fmt: skip
    except ValueError as exc:
        raise _to_schedule_error(exc) from None
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                borrower=borrower, fund=fund, scheme=scheme, contract_number=contract_number, signed_on=signed_on,
                purpose=purpose, approved_amount=approved, committee=committee,
                resolution_number=resolution_number, resolution_on=resolution_on, method=method,
                period_months=period_months, installments=installments, first_due_on=first_due_on,
                day_count=day_count, penalty_rate_pct=penalty,
                allocation_order=allocation_order or fund.allocation_order,
                responsible_officer=responsible_officer, note=note, created_by=by,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError({"contract_number": _("A contract with this number already exists.")}) from None
    Disbursement.objects.create(loan=loan, disbursed_on=disbursed_on, amount=disbursed, created_by=by)
    RateChange.objects.create(
        loan=loan, effective_on=min(signed_on, disbursed_on), rate_pct=rate, debtor_class=debtor_class,
        reason=_("Rate at signing"), created_by=by,
    )  # fmt: skip
    _store_schedule(
        loan=loan, rows=rows, number=1, reason=ScheduleVersion.Reason.ORIGINAL, created_on=disbursed_on,
        principal=disbursed, rate_pct=rate, method=method, period_months=period_months, starts_on=disbursed_on,
        first_due_on=first_due_on, by=by,
    )  # fmt: skip
    DebtorEvent.objects.create(
        loan=loan, status=Loan.Status.CURRENT, effective_on=signed_on, committee=_committee_ref(loan),
        note=_("Contract signed."), recorded_by=by,
    )  # fmt: skip
    refresh_loan_snapshot(loan, as_of=today)
    _check_writer(loan, by)
    return loan


def _committee_ref(loan: Loan) -> str:
    parts = [loan.committee, loan.resolution_number]
    if loan.resolution_on:
        parts.append(format_date(loan.resolution_on))
    return " ".join(p for p in parts if p)


EDITABLE_FIELDS = (
    "contract_number", "purpose", "committee", "resolution_number", "resolution_on", "responsible_officer",
    "note", "scheme",
)  # fmt: skip


@transaction.atomic
def update_loan(*, loan: Loan, by, **fields) -> Loan:
    """Change a contract's descriptive fields (money terms change through their own services)."""
    loan = _lock(loan)
    _check_writer(loan, by)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    if "scheme" in fields and fields["scheme"] is not None and fields["scheme"].fund_id != loan.fund_id:
        raise ValidationError({"scheme": _("The scheme belongs to another fund.")})
    if (
        "contract_number" in fields
        and Loan.objects.filter(contract_number=fields["contract_number"]).exclude(pk=loan.pk).exists()
    ):
        raise ValidationError({"contract_number": _("A contract with this number already exists.")})
    for name, value in fields.items():
        setattr(loan, name, value)
    loan.save(update_fields=[*fields, "updated_at"])
    return loan


@transaction.atomic
def add_disbursement(*, loan: Loan, disbursed_on: date, amount, note: str = "", by,
                     today: date | None = None) -> Disbursement:  # fmt: skip
    """A further tranche: the schedule is rebuilt on the total disbursed (a new schedule version)."""
    today = today or timezone.localdate()
    loan = _lock(loan)
    _check_writer(loan, by)
    amount = _clean_amount(amount)
    if loan.is_closed:
        raise ValidationError(_("This contract is %(status)s.") % {"status": loan.get_status_display()})
    if _last_restructure_on(loan) is not None:
        raise ValidationError(_("A restructured contract takes no further disbursements."))
    disbursements = list(Disbursement.objects.filter(loan=loan))
    total = sum((d.amount for d in disbursements), ZERO) + amount
    if total > loan.approved_amount:
        raise ValidationError({"amount": _("The total disbursed would be more than the approved amount.")})
    if disbursed_on > today:
        raise ValidationError({"disbursed_on": _("The date cannot be in the future.")})
    first_on = min(d.disbursed_on for d in disbursements)
    if disbursed_on < first_on or disbursed_on >= loan.first_due_on:
        raise ValidationError(
            {
                "disbursed_on": _(
                    "A further tranche is paid between the first disbursement and the first due date."
                )
            }
        )
    disbursement = Disbursement.objects.create(
        loan=loan, disbursed_on=disbursed_on, amount=amount, note=note, created_by=by
    )
    rate = RateChange.objects.filter(loan=loan, effective_on__lte=first_on).order_by("-effective_on").first()
    try:
        rows = build_schedule(
            principal=total, annual_rate_pct=rate.rate_pct, disbursed_on=first_on, first_due_on=loan.first_due_on,
            installments=loan.installments, period_months=loan.period_months, method=loan.method,
            day_count=loan.day_count,
        )  # fmt: skip
    except ValueError as exc:
        raise _to_schedule_error(exc) from None
    number = ScheduleVersion.objects.filter(loan=loan).aggregate(n=Max("number"))["n"] + 1
    _store_schedule(
        loan=loan, rows=rows, number=number, reason=ScheduleVersion.Reason.DISBURSEMENT, created_on=disbursed_on,
        principal=total, rate_pct=rate.rate_pct, method=loan.method, period_months=loan.period_months,
        starts_on=first_on, first_due_on=loan.first_due_on, by=by,
    )  # fmt: skip
    _rederive(loan, today)
    return disbursement


@transaction.atomic
def change_rate(*, loan: Loan, effective_on: date, rate_pct, debtor_class: str = "", reason: str = "", by,
                today: date | None = None) -> RateChange:  # fmt: skip
    """A new interest rate from ``effective_on`` (yearly re-grading of the debtor class)."""
    today = today or timezone.localdate()
    loan = _lock(loan)
    _check_writer(loan, by)
    rate = _check_rate(rate_pct, "rate_pct")
    if loan.is_closed:
        raise ValidationError(_("This contract is %(status)s.") % {"status": loan.get_status_display()})
    if effective_on < loan.signed_on:
        raise ValidationError({"effective_on": _("The date is before the contract was signed.")})
    _check_open_period(loan, effective_on, "effective_on")
    if RateChange.objects.filter(loan=loan, effective_on=effective_on).exists():
        raise ValidationError({"effective_on": _("A rate already starts on this date.")})
    change = RateChange.objects.create(
        loan=loan,
        effective_on=effective_on,
        rate_pct=rate,
        debtor_class=debtor_class,
        reason=reason,
        created_by=by,
    )
    _rederive(loan, today)
    return change


@transaction.atomic
def waive_penalty(*, loan: Loan, waived_on: date, amount, resolution: str = "", note: str = "", by,
                  today: date | None = None) -> PenaltyWaiver:  # fmt: skip
    """Record penalty a committee waived."""
    today = today or timezone.localdate()
    loan = _lock(loan)
    _check_writer(loan, by)
    amount = _clean_amount(amount)
    if waived_on > today:
        raise ValidationError({"waived_on": _("The date cannot be in the future.")})
    _check_open_period(loan, waived_on, "waived_on")
    state = loan_state(loan, waived_on)
    if amount > state.accrued_penalty:
        raise ValidationError(
            {"amount": _("Only %(amount)s baht of penalty is unpaid on that date.")
             % {"amount": format_money(state.accrued_penalty)}}
        )  # fmt: skip
    waiver = PenaltyWaiver.objects.create(
        loan=loan, waived_on=waived_on, amount=amount, resolution=resolution, note=note, created_by=by
    )
    _rederive(loan, today)
    return waiver
