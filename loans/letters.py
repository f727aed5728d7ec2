"""Context builders for the reminder letters, the day's letters and the borrower statement.

The letter templates (``templates/loans/letters/``) take their numbers from here only: a letter from
the figures frozen on its ``Reminder`` when it was issued (so a reprint says the same thing), a
statement from ``loans.services.loan_replay`` — the function the contract page uses.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from coopsupport.models import Office
from coopsupport.thai import baht_text
from loans import services
from loans.arrears import InstallmentStatus
from loans.models import Installment, Loan, Payment, Reminder, ReminderLevel

ZERO = Decimal("0.00")


def _d(value) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else ZERO


def _day(value) -> date | None:
    return date.fromisoformat(value) if value else None


def recipient_title(institution) -> str:
    """เรียน …: the chairman of the board of directors of the cooperative or group."""
    return _("Chairman of the board of directors of %(name)s") % {"name": institution.name}


def letter_kind_label(kind: str) -> str:
    return _("Demand letter") if kind == ReminderLevel.Kind.DEMAND else _("Notice letter")


def letter_filename(reminder: Reminder) -> str:
    loan = reminder.installment.version.loan
    contract = loan.contract_number.replace("/", "-").replace(" ", "")
    kind = (reminder.figures or {}).get("kind") or reminder.level.kind
    return (
        f"{letter_kind_label(kind)}-{contract}-{_('installment')}{reminder.installment.number}.pdf".replace(
            " ", ""
        )
    )


def letter_context(reminder: Reminder) -> dict:
    """Everything ``loans/letters/letter.html`` (and the email templates) show for one reminder."""
    from loans.reminders import figures_for, letter_subject

    inst = reminder.installment
    loan = inst.version.loan
    borrower = loan.borrower
    office = borrower.office
    figures = reminder.figures or {}
    if not figures.get("total"):  # never issued (e.g. a preview): compute today's figures
        figures = figures_for(loan, inst, reminder.level, reminder.issued_on or timezone.localdate())
    kind = figures.get("kind") or reminder.level.kind
    total = _d(figures["total"])
    rows = [
        {
            "number": row["number"],
            "due_on": _day(row["due_on"]),
            "principal": _d(row["principal"]),
            "days_past_due": row["days_past_due"],
        }
        for row in figures.get("rows", [])
    ]
    this = figures.get("installment", {})
    return {
        "title": letter_subject(kind),
        "subject": letter_subject(kind),
        "kind": kind,
        "is_demand": kind == ReminderLevel.Kind.DEMAND,
        "office": office,
        "letter_number": reminder.letter_number,
        "letter_date": reminder.issued_on or _day(figures.get("as_of")),
        "recipient": recipient_title(borrower),
        "borrower": borrower,
        "loan": loan,
        "fund": loan.fund,
        "installment_number": this.get("number", inst.number),
        "due_on": _day(this.get("due_on")) or inst.due_on,
        "days_late": this.get("days_late", 0),
        "days_left": this.get("days_left", 0),
        "as_of": _day(figures.get("as_of")),
        "ref_on": _day(figures.get("ref_on")),
        "rows": rows,
        "principal": _d(figures.get("principal")),
        "interest": _d(figures.get("interest")),
        "penalty": _d(figures.get("penalty")),
        "total": total,
        "total_text": baht_text(total),
        "outstanding_principal": _d(figures.get("outstanding_principal")),
        "officer": loan.responsible_officer or borrower.responsible_officer,
        "signer_name": office.head_name,
        "signer_title": office.head_title,
        "reminder": reminder,
    }


def letter_document_context(reminder: Reminder) -> dict:
    """Context of ``loans/letters/letter.html``: the letter's own keys plus ``letters=[it]``."""
    context = letter_context(reminder)
    return {**context, "letters": [context]}


def letters_day_context(office: Office, day: date) -> dict:
    """The day's printed letters of an office, one letter context each (one PDF, a page per letter)."""
    from loans.reminders import day_letters

    reminders = day_letters(office=office, day=day).select_related(
        "level",
        "installment__version__loan__fund",
        "installment__version__loan__borrower__office",
        "installment__version__loan__responsible_officer",
        "installment__version__loan__borrower__responsible_officer",
    )
    letters = [letter_context(r) for r in reminders]
    return {
        "title": _("Debt reminder letters"),
        "office": office,
        "day": day,
        "letters": letters,
    }


def installment_status_label(status: InstallmentStatus) -> str:
    labels = {
        InstallmentStatus.PAID: _("Paid"),
        InstallmentStatus.OVERDUE: _("Overdue"),
        InstallmentStatus.DUE: _("Due today"),
        InstallmentStatus.PARTLY_PAID: _("Partly paid"),
        InstallmentStatus.NOT_DUE: _("Not yet due"),
    }
    return labels[status]


def statement_context(loan: Loan, as_of: date) -> dict:
    """The borrower statement: schedule with what was paid, payments and their allocation, and
    what is owed at the end of ``as_of`` (``loans.services.loan_replay``, as on the contract page)."""
    replay = services.loan_replay(loan, as_of)
    state = replay.state
    version = replay.phase.version
    scheduled = {
        i.pk: i for i in Installment.objects.filter(pk__in=[pk for pk, *_rest in version.installments])
    }
    by_number = {s.number: s for s in state.installments}
    schedule = []
    for pk, number, due_on, principal in version.installments:
        s = by_number[number]
        schedule.append(
            {
                "number": number,
                "due_on": due_on,
                "principal": principal,
                "interest": scheduled[pk].interest if pk in scheduled else ZERO,
                "paid": s.principal_paid,
                "outstanding": s.principal_outstanding,
                "days_past_due": s.days_past_due,
                "status": installment_status_label(s.status),
            }
        )
    payments = []
    for payment in Payment.objects.filter(loan=loan, paid_on__lte=as_of, is_reversed=False).order_by(
        "paid_on", "pk"
    ):
        allocation = replay.allocations.get(payment.pk)
        alloc = allocation[0] if allocation else None
        payments.append(
            {
                "paid_on": payment.paid_on,
                "receipt_number": payment.receipt_number,
                "amount": payment.amount,
                "penalty": alloc.penalty if alloc else ZERO,
                "interest": alloc.interest if alloc else ZERO,
                "principal": sum((p.amount for p in alloc.principal), ZERO) if alloc else ZERO,
            }
        )
    totals = {
        "amount": sum((p["amount"] for p in payments), ZERO),
        "penalty": sum((p["penalty"] for p in payments), ZERO),
        "interest": sum((p["interest"] for p in payments), ZERO),
        "principal": sum((p["principal"] for p in payments), ZERO),
    }
    borrower = loan.borrower
    return {
        "title": _("Loan statement"),
        "office": borrower.office,
        "loan": loan,
        "borrower": borrower,
        "fund": loan.fund,
        "as_of": as_of,
        "state": state,
        "schedule": schedule,
        "schedule_principal": sum((r["principal"] for r in schedule), ZERO),
        "schedule_interest": sum((r["interest"] for r in schedule), ZERO),
        "payments": payments,
        "payment_totals": totals,
        "total_due_text": baht_text(state.total_due_now),
        "payoff_text": baht_text(state.payoff_amount),
        "officer": loan.responsible_officer or borrower.responsible_officer,
    }
