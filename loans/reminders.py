"""Debt reminders: which are due, claimed exactly once, emailed with the letter attached, or issued
as a printed letter.

``send_due_reminders(as_of=...)`` is the daily job (Celery beat 07:00, ``loans.tasks``) and the
management command ``send_due_reminders --as-of 2569-11-26 [--dry-run]``, so any day can be re-run.

Rules
-----
* Candidates: installments of the contract's current schedule with principal still outstanding on
  ``as_of`` (``loans.services.loan_replay`` decides, the same function the contract page uses), of
  contracts that are not closed, written off, in deferral or paused, whose borrower is not under a
  ``Moratorium`` of its office (whole province, or its district) on ``as_of``.
* Levels: the fund's active ``ReminderLevel`` rows; a level is due when ``due_on + offset_days <=
  as_of``. Per installment and channel only the LATEST due level is sent (catch-up after downtime
  sends one reminder, not a burst); earlier levels not yet sent are recorded as ``skipped``.
* Exactly once: each (installment, level, channel) has one ``Reminder`` row (unique constraint).
  The row is claimed with a compare-and-set ``UPDATE … SET status='sending' WHERE status='pending'``
  (or ``failed`` and due for a retry) and only the run that changed exactly one row goes on. The
  email is sent after the claim commits; then the row is marked ``sent`` or ``failed`` with
  ``next_attempt_at`` (exponential backoff: 15 min, 1 h, 4 h, 16 h; after ``MAX_ATTEMPTS`` it stays
  failed until someone retries it by hand). A row left ``sending`` by a crashed worker becomes
  ``failed`` without an automatic retry — the email may have gone out, so a person checks first.
* One bad item never stops the batch: its row is marked failed and the loop goes on.
* Letters: the letter channel issues the letter (number, date, frozen figures) and requests its PDF
  from the reports app (kind ``loans.letter``); the day's letters print as one PDF
  (``loans.letters_day``). The email attaches the same letter, rendered synchronously — this code
  runs in the Celery worker, never in a web request.

Amounts (``figures``): for a notice before the due date, what will be owed ON the due date if
nothing more is paid; on or after it, what is owed on ``as_of``: unpaid principal of every
installment due by then + interest accrued + penalty (``ContractState.total_due_now``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Max, Q
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coopsupport.models import Office
from coopsupport.thai import baht_text, be_year, format_date, format_money
from loans import services
from loans.models import Installment, Loan, Moratorium, Reminder, ReminderLevel

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_FACTOR = 4
STUCK_AFTER = timedelta(minutes=30)
EARLIEST_OFFSET_DAYS = 60  # ReminderLevel.offset_days >= -60 (model validator and check constraint)
MAX_ERROR_LENGTH = 2000
# Once a debt is in court (legal action, judgment, enforcement) the fund's lawyers and the court
# speak to the debtor: automatic notices and demand letters would contradict them. Compromise
# agreements keep their reminders (a new payment plan the debtor must keep).
NO_REMINDER_STATUSES = (
    Loan.Status.DEFERRAL,
    Loan.Status.LEGAL_ACTION,
    Loan.Status.JUDGMENT,
    Loan.Status.ENFORCEMENT,
    *Loan.CLOSED_STATUSES,
)
CHANNELS = (Reminder.Channel.EMAIL, Reminder.Channel.LETTER)
LETTER_KIND = "loans.letter"
LETTERS_DAY_KIND = "loans.letters_day"
STATEMENT_KIND = "loans.statement"
LETTER_TEMPLATE = "loans/letters/letter.html"

__all__ = [
    "MAX_ATTEMPTS",
    "Summary",
    "build_email",
    "day_letters",
    "figures_for",
    "is_under_moratorium",
    "letter_subject",
    "recipients_for",
    "request_letters_day",
    "retry_failed_reminders",
    "retry_reminder",
    "send_due_reminders",
    "send_reminder",
]


# ---------------------------------------------------------------- the run's report


@dataclass(frozen=True)
class Planned:
    """A reminder a run sends (or, in a dry run, would send)."""

    contract_number: str
    installment: int
    due_on: date
    offset_days: int
    channel: str
    retry: bool


@dataclass
class Summary:
    """What one run did (the command prints it, the task returns ``as_dict()``)."""

    as_of: date
    dry_run: bool = False
    loans_checked: int = 0
    emails_sent: int = 0
    letters_issued: int = 0
    failed: int = 0
    skipped: int = 0  # earlier levels superseded, or installments paid since
    held_by_moratorium: int = 0  # contracts
    planned: list[Planned] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "loans_checked": self.loans_checked,
            "planned": len(self.planned),
            "emails_sent": self.emails_sent,
            "letters_issued": self.letters_issued,
            "failed": self.failed,
            "skipped": self.skipped,
            "held_by_moratorium": self.held_by_moratorium,
            "errors": self.errors[:20],
        }


# ---------------------------------------------------------------- small public helpers


def is_under_moratorium(institution, day: date) -> bool:
    """A moratorium of the institution's office covers its province (or its district) on ``day``."""
    area = Q(district__isnull=True, province_id=institution.province_id)
    if institution.district_id:
        area |= Q(district_id=institution.district_id)
    return Moratorium.objects.filter(
        area, office_id=institution.office_id, starts_on__lte=day, ends_on__gte=day
    ).exists()


def recipients_for(loan: Loan) -> tuple[list[str], list[str]]:
    """(to, cc): the borrower's contacts marked for reminders (else the institution's own address),
    and the responsible officer in copy."""
    institution = loan.borrower
    to: list[str] = []
    for contact in institution.contacts.all():
        email = (contact.email or "").strip()
        if contact.receives_reminders and email and email.lower() not in {t.lower() for t in to}:
            to.append(email)
    if not to and institution.email:
        to = [institution.email.strip()]
    officer = loan.responsible_officer or institution.responsible_officer
    cc = []
    if officer is not None and officer.email and officer.email.lower() not in {t.lower() for t in to}:
        cc.append(officer.email)
    return to, cc


def letter_subject(kind: str) -> str:
    """เรื่อง of the letter: a notice before/at the due date, a demand after it."""
    if kind == ReminderLevel.Kind.DEMAND:
        return _("Demand for payment of an overdue debt")
    return _("Notice of a debt falling due")


def _money_text(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def figures_for(
    loan: Loan, installment: Installment, level: ReminderLevel, as_of: date, *, cache=None
) -> dict:
    """The letter's figures (JSON-safe): see the module docstring for what is counted."""
    ref_on = max(installment.due_on, as_of)
    key = (loan.pk, ref_on)
    if cache is not None and key in cache:
        state = cache[key]
    else:
        state = services.loan_state(loan, ref_on)
        if cache is not None:
            cache[key] = state
    rows = [
        {
            "number": s.number,
            "due_on": s.due_on.isoformat(),
            "principal": _money_text(s.principal_outstanding),
            "days_past_due": s.days_past_due,
        }
        for s in state.installments
        if s.principal_outstanding > 0 and s.due_on <= ref_on
    ]
    principal = state.overdue_principal + state.principal_due_today
    return {
        "kind": level.kind,
        "offset_days": level.offset_days,
        "as_of": as_of.isoformat(),
        "ref_on": ref_on.isoformat(),
        "installment": {
            "number": installment.number,
            "due_on": installment.due_on.isoformat(),
            "principal": _money_text(installment.principal),
            "days_late": max(0, (as_of - installment.due_on).days),
            "days_left": max(0, (installment.due_on - as_of).days),
        },
        "rows": rows,
        "principal": _money_text(principal),
        "interest": _money_text(state.accrued_interest),
        "penalty": _money_text(state.accrued_penalty),
        "total": _money_text(state.total_due_now),
        "outstanding_principal": _money_text(state.outstanding_principal),
    }


def _letter_number_text(office: Office, seq: int) -> str:
    """ที่ … of the letter: the office's own prefix (``Office.letter_prefix``, e.g. "ชม 0010/1234"),
    else the placeholder "<REMINDER_LETTER_PREFIX or กษ> <office code>/<n>". The running number is
    per office and B.E. year either way (``_allocate_letter_number``)."""
    prefix = " ".join((office.letter_prefix or "").split())
    if prefix:
        return f"{prefix}/{seq}"
    placeholder = getattr(settings, "REMINDER_LETTER_PREFIX", "กษ")
    return f"{placeholder} {office.code}/{seq}"


# ---------------------------------------------------------------- the daily run


@dataclass(frozen=True)
class _Step:
    """Send the reminder of ``level`` through ``channel``; ``earlier`` levels become skipped."""

    channel: str
    level: ReminderLevel
    earlier: tuple[ReminderLevel, ...]
    retry: bool


def _retry_due(status: str, attempts: int, next_attempt_at: datetime | None, now: datetime) -> bool:
    return (
        status == Reminder.Status.FAILED
        and next_attempt_at is not None
        and next_attempt_at <= now
        and attempts < MAX_ATTEMPTS
    )


def _steps(installment: Installment, levels, existing: dict, as_of: date, now: datetime) -> list[_Step]:
    steps = []
    for channel in CHANNELS:
        due = [
            lv for lv in levels
            if channel in lv.channels and installment.due_on + timedelta(days=lv.offset_days) <= as_of
        ]  # fmt: skip
        if not due:
            continue
        latest = due[-1]
        row = existing.get((installment.pk, latest.pk, channel))
        if row is None or row[0] == Reminder.Status.PENDING:
            steps.append(_Step(channel, latest, tuple(due[:-1]), retry=False))
        elif _retry_due(*row, now):
            steps.append(_Step(channel, latest, tuple(due[:-1]), retry=True))
    return steps


def _next_attempt_at(attempts: int, now: datetime) -> datetime | None:
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + BACKOFF_BASE * BACKOFF_FACTOR ** max(attempts - 1, 0)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]


def _release_stuck(now: datetime) -> int:
    """Rows left 'sending' by a worker that died: failed, and only a person may retry them."""
    return Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
        status=Reminder.Status.FAILED,
        error=_("Interrupted while sending: check the outbox before retrying."),
        next_attempt_at=None,
    )


def _eligible_loans(loan_ids=None):
    loans = Loan.objects.exclude(status__in=NO_REMINDER_STATUSES).filter(is_paused=False)
    if loan_ids is not None:
        loans = loans.filter(pk__in=loan_ids)
    return loans


def _moratorium_index(as_of: date) -> tuple[set, set]:
    provinces, districts = set(), set()
    rows = Moratorium.objects.filter(starts_on__lte=as_of, ends_on__gte=as_of)
    for office_id, province_id, district_id in rows.values_list("office_id", "province_id", "district_id"):
        if district_id is None:
            provinces.add((office_id, province_id))
        else:
            districts.add((office_id, district_id))
    return provinces, districts


def _held(institution, index: tuple[set, set]) -> bool:
    provinces, districts = index
    return (institution.office_id, institution.province_id) in provinces or (
        institution.district_id is not None and (institution.office_id, institution.district_id) in districts
    )


def send_due_reminders(
    *, as_of: date, dry_run: bool = False, now: datetime | None = None, loan_ids=None
) -> Summary:
    """Send every reminder due on ``as_of`` exactly once (see the module docstring).

    ``dry_run`` writes nothing and sends nothing: ``Summary.planned`` lists what would go out.
    ``loan_ids`` limits the run to some contracts (the retry job). Never raises for one bad item.
    """
    now = now or timezone.now()
    summary = Summary(as_of=as_of, dry_run=dry_run)
    if not dry_run:
        _release_stuck(now)
    levels_by_fund: dict[int, list[ReminderLevel]] = defaultdict(list)
    for level in ReminderLevel.objects.filter(is_active=True).order_by("fund_id", "offset_days"):
        if level.channels:
            levels_by_fund[level.fund_id].append(level)
    loans = _eligible_loans(loan_ids).filter(fund_id__in=list(levels_by_fund))
    window = as_of + timedelta(days=EARLIEST_OFFSET_DAYS)
    installments = (
        Installment.objects.filter(version__is_active=True, version__loan__in=loans, due_on__lte=window)
        .select_related("version")
        .order_by("version__loan_id", "number")
    )
    existing = {
        (inst_id, level_id, channel): (status, attempts, next_at)
        for inst_id, level_id, channel, status, attempts, next_at in Reminder.objects.filter(
            installment__version__is_active=True,
            installment__version__loan__in=loans,
            installment__due_on__lte=window,
        ).values_list("installment_id", "level_id", "channel", "status", "attempts", "next_attempt_at")
    }
    todo: dict[int, list[tuple[Installment, list[_Step]]]] = defaultdict(list)
    fund_of: dict[int, int] = dict(loans.values_list("pk", "fund_id"))
    for inst in installments:
        loan_id = inst.version.loan_id
        steps = _steps(inst, levels_by_fund[fund_of[loan_id]], existing, as_of, now)
        if steps:
            todo[loan_id].append((inst, steps))
    if not todo:
        return summary
    index = _moratorium_index(as_of)
    related = ("borrower__office", "fund", "responsible_officer", "borrower__responsible_officer")
    for loan in Loan.objects.filter(pk__in=list(todo)).select_related(*related).order_by("pk"):
        summary.loans_checked += 1
        if _held(loan.borrower, index):
            summary.held_by_moratorium += 1
            continue
        try:
            _run_loan(loan, todo[loan.pk], as_of=as_of, now=now, summary=summary)
        except Exception as exc:  # noqa: BLE001 - one bad contract must not stop the batch
            logger.exception("reminders for loan %s failed", loan.pk)
            summary.errors.append(f"{loan.contract_number}: {_error_text(exc)}")
    return summary


def _run_loan(loan: Loan, items, *, as_of: date, now: datetime, summary: Summary) -> None:
    replay = services.loan_replay(loan, as_of)
    number_of = {pk: number for pk, number, _due, _principal in replay.phase.version.installments}
    state_of = {s.number: s for s in replay.state.installments}
    cache = {(loan.pk, as_of): replay.state}
    for inst, steps in items:
        number = number_of.get(inst.pk)
        if number is None:  # not in the schedule in force on as_of (a later restructuring)
            continue
        if state_of[number].principal_outstanding <= 0:
            if not summary.dry_run:
                summary.skipped += _skip_paid(inst)
            continue
        for step in steps:
            if summary.dry_run:
                summary.planned.append(_planned(loan, inst, step))
            else:
                _send_step(loan, inst, step, as_of=as_of, now=now, summary=summary, cache=cache)


def _planned(loan: Loan, inst: Installment, step: _Step) -> Planned:
    return Planned(
        loan.contract_number, inst.number, inst.due_on, step.level.offset_days, step.channel, step.retry
    )


def _skip_paid(inst: Installment) -> int:
    return Reminder.objects.filter(
        installment=inst, status__in=[Reminder.Status.PENDING, Reminder.Status.FAILED]
    ).update(status=Reminder.Status.SKIPPED, error=_("The installment was paid."), next_attempt_at=None)


def _send_step(loan, inst, step: _Step, *, as_of, now, summary: Summary, cache) -> None:
    """Claim and issue one (installment, level, channel); failures are recorded on the row."""
    try:
        with transaction.atomic():
            summary.skipped += _supersede(inst, step)
            row, _created = Reminder.objects.get_or_create(
                installment=inst,
                level=step.level,
                channel=step.channel,
                defaults={
                    "status": Reminder.Status.PENDING,
                    "scheduled_on": inst.due_on + timedelta(days=step.level.offset_days),
                },
            )
            if not _claim(row.pk, now):
                return  # another run has it (or has sent it)
            summary.planned.append(_planned(loan, inst, step))
            _prepare(row.pk, loan, inst, step.level, as_of=as_of, cache=cache)
            if step.channel == Reminder.Channel.LETTER:
                _issue_letter(row.pk, loan, now=now)
                summary.letters_issued += 1
            else:
                transaction.on_commit(partial(_deliver_email, row.pk, summary, now=now))
    except Exception as exc:  # noqa: BLE001 - one bad item is marked failed, the batch goes on
        logger.exception("reminder %s/%s/%s failed", inst.pk, step.level.pk, step.channel)
        summary.failed += 1
        summary.errors.append(f"{loan.contract_number} #{inst.number} {step.channel}: {_error_text(exc)}")
        _record_failure(inst, step, exc, now)


def _claim(pk: int, now: datetime) -> bool:
    """Compare-and-set: only the run whose UPDATE changed exactly one row sends."""
    retry = Q(status=Reminder.Status.FAILED, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS)
    claimed = Reminder.objects.filter(Q(pk=pk) & (Q(status=Reminder.Status.PENDING) | retry)).update(
        status=Reminder.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now, next_attempt_at=None
    )
    return claimed == 1


def _supersede(inst: Installment, step: _Step) -> int:
    if not step.earlier:
        return 0
    earlier_ids = [lv.pk for lv in step.earlier]
    reason = _("Superseded by the reminder of %(days)+d days.") % {"days": step.level.offset_days}
    have = set(
        Reminder.objects.filter(installment=inst, channel=step.channel, level_id__in=earlier_ids).values_list(
            "level_id", flat=True
        )
    )
    missing = [
        Reminder(
            installment=inst, level=lv, channel=step.channel, status=Reminder.Status.SKIPPED, error=reason,
            scheduled_on=inst.due_on + timedelta(days=lv.offset_days),
        )
        for lv in step.earlier
        if lv.pk not in have
    ]  # fmt: skip
    Reminder.objects.bulk_create(missing, ignore_conflicts=True)
    changed = Reminder.objects.filter(
        installment=inst,
        channel=step.channel,
        level_id__in=earlier_ids,
        status__in=[Reminder.Status.PENDING, Reminder.Status.FAILED],
    ).update(status=Reminder.Status.SKIPPED, error=reason, next_attempt_at=None)
    return len(missing) + changed


def _allocate_letter_number(row: Reminder, office: Office, as_of: date) -> tuple[int, int, str]:
    """(B.E. year, running number, number text already issued or ""): reuse the row's or its sibling
    channel's, else the office's next.

    A number once issued keeps its text (a retry, or the other channel of the same level, shows
    the same "ที่ …" even if the office's prefix changed in between).
    The office row is locked (SELECT … FOR UPDATE) while the next number is read, so two runs
    cannot hand out the same number.
    """
    if row.letter_seq:
        return row.letter_year, row.letter_seq, row.letter_number
    year = be_year(as_of.year)
    sibling = (
        Reminder.objects.filter(installment_id=row.installment_id, level_id=row.level_id, letter_year=year)
        .exclude(pk=row.pk)
        .exclude(letter_seq__isnull=True)
        .values_list("letter_seq", "letter_number")
        .first()
    )
    if sibling and sibling[0]:
        return year, sibling[0], sibling[1]
    list(Office.objects.select_for_update().filter(pk=office.pk).values_list("pk", flat=True))
    last = Reminder.objects.filter(
        installment__version__loan__borrower__office=office, letter_year=year
    ).aggregate(m=Max("letter_seq"))["m"]
    return year, (last or 0) + 1, ""


def _level_context(loan: Loan, inst: Installment, figures: dict) -> dict:
    total = Decimal(figures["total"])
    return {
        "institution": loan.borrower,
        "loan": loan,
        "installment": inst,
        "office": loan.borrower.office,
        "due_on": format_date(inst.due_on, "long"),
        "amount": format_money(total),
        "amount_text": baht_text(total),
        "days": abs((date.fromisoformat(figures["as_of"]) - inst.due_on).days),
    }


def _render_level_text(text: str, context: dict, *, autoescape: bool) -> str:
    """A fund's own subject/body template (admins edit them; Django template syntax)."""
    if not (text or "").strip():
        return ""
    engine = Engine.get_default()
    return engine.from_string(text).render(Context(context, autoescape=autoescape)).strip()


def _prepare(pk: int, loan: Loan, inst: Installment, level: ReminderLevel, *, as_of: date, cache) -> None:
    """Freeze what this reminder says: letter number and date, figures, subject, recipients."""
    row = Reminder.objects.get(pk=pk)
    office = loan.borrower.office
    figures = figures_for(loan, inst, level, as_of, cache=cache)
    to, cc = recipients_for(loan)
    figures["to"], figures["cc"] = to, cc
    year, seq, number_text = _allocate_letter_number(row, office, as_of)
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            _render_level_text(
                level.subject_template, _level_context(loan, inst, figures), autoescape=False
            ).split()
        )
        if not subject:
            subject = _("%(subject)s: contract %(contract)s, installment %(number)s") % {
                "subject": letter_subject(level.kind), "contract": loan.contract_number, "number": inst.number,
            }  # fmt: skip
        if row.channel == Reminder.Channel.EMAIL:
            recipients = ", ".join(to) + (f" (cc: {', '.join(cc)})" if cc else "")
        else:
            borrower = loan.borrower
            recipients = " ".join(p for p in (borrower.name, borrower.address, borrower.postcode) if p)
    Reminder.objects.filter(pk=pk).update(
        issued_on=as_of,
        figures=figures,
        amount=Decimal(figures["total"]),
        subject=subject[:255],
        recipients=recipients,
        letter_year=year,
        letter_seq=seq,
        letter_number=(number_text or _letter_number_text(office, seq))[:50],
        error="",
    )


def _issue_letter(pk: int, loan: Loan, *, now: datetime) -> None:
    """The printed letter: request its PDF (rendered by the reports worker after commit)."""
    from reports.services import request_document

    row = Reminder.objects.select_related("level").get(pk=pk)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(subject)s no. %(number)s — %(borrower)s") % {
            "subject": letter_subject(row.level.kind), "number": row.letter_number, "borrower": loan.borrower.name,
        }  # fmt: skip
    document = request_document(
        kind=LETTER_KIND, params={"reminder_id": pk}, office=loan.borrower.office, title=title, user=None
    )
    Reminder.objects.filter(pk=pk, status=Reminder.Status.SENDING).update(
        status=Reminder.Status.SENT, sent_at=now, document_id=document.pk
    )


def _load(pk: int) -> Reminder:
    return Reminder.objects.select_related(
        "level",
        "installment__version__loan__fund",
        "installment__version__loan__borrower__office",
        "installment__version__loan__borrower__province",
        "installment__version__loan__borrower__district",
        "installment__version__loan__borrower__subdistrict",
        "installment__version__loan__responsible_officer",
        "installment__version__loan__borrower__responsible_officer",
    ).get(pk=pk)


def build_email(reminder: Reminder) -> EmailMultiAlternatives:
    """The Thai email (text + HTML) with the letter PDF attached. Renders the PDF: worker only."""
    from loans import letters
    from reports.pdf import render_pdf

    loan = reminder.installment.version.loan
    with translation.override(settings.LANGUAGE_CODE):
        context = letters.letter_document_context(reminder)
        context["level_text"] = _render_level_text(
            reminder.level.body_template, _level_context(loan, reminder.installment, reminder.figures),
            autoescape=False,
        )  # fmt: skip
        # A fund's own body text may open with the salutation already ("เรียน …"): do not repeat it.
        context["salutation"] = not context["level_text"].startswith(_("Letter: to"))
        text = render_to_string("loans/email/reminder.txt", context)
        html = render_to_string("loans/email/reminder.html", context)
        pdf = render_pdf(LETTER_TEMPLATE, context)
    to = list(reminder.figures.get("to") or [])
    cc = list(reminder.figures.get("cc") or [])
    message = EmailMultiAlternatives(
        subject=reminder.subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to, cc=cc,
        reply_to=cc[:1] or None,
    )  # fmt: skip
    message.attach_alternative(html, "text/html")
    message.attach(letters.letter_filename(reminder), pdf, "application/pdf")
    return message


class NoRecipient(Exception):
    """The borrower has no email address for reminders."""


def _deliver_email(pk: int, summary: Summary | None = None, *, now: datetime | None = None) -> None:
    """After commit: send the claimed email, then mark it sent — or failed, with the next attempt
    counted from the run's ``now``."""
    try:
        reminder = _load(pk)
        if reminder.status != Reminder.Status.SENDING:
            return
        message = build_email(reminder)
        if not message.to:
            raise NoRecipient(_("The borrower has no email address for reminders (contacts or institution)."))
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - marked failed, retried later with backoff
        logger.exception("sending reminder %s failed", pk)
        _mark_failed(pk, exc, now or timezone.now())
        if summary is not None:
            summary.failed += 1
            summary.errors.append(f"#{pk}: {_error_text(exc)}")
        return
    Reminder.objects.filter(pk=pk, status=Reminder.Status.SENDING).update(
        status=Reminder.Status.SENT, sent_at=timezone.now(), error="", next_attempt_at=None
    )
    if summary is not None:
        summary.emails_sent += 1


def _mark_failed(pk: int, exc: BaseException, now: datetime) -> None:
    attempts = Reminder.objects.filter(pk=pk).values_list("attempts", flat=True).first() or 0
    Reminder.objects.filter(pk=pk, status=Reminder.Status.SENDING).update(
        status=Reminder.Status.FAILED, error=_error_text(exc), next_attempt_at=_next_attempt_at(attempts, now)
    )


def _record_failure(inst: Installment, step: _Step, exc: BaseException, now: datetime) -> None:
    """The claim was rolled back with the error: mark the row failed (it is retried with backoff)."""
    try:
        with transaction.atomic():
            row, _created = Reminder.objects.get_or_create(
                installment=inst, level=step.level, channel=step.channel,
                defaults={"scheduled_on": inst.due_on + timedelta(days=step.level.offset_days)},
            )  # fmt: skip
            Reminder.objects.filter(
                pk=row.pk, status__in=[Reminder.Status.PENDING, Reminder.Status.FAILED]
            ).update(
                status=Reminder.Status.FAILED,
                attempts=F("attempts") + 1,
                error=_error_text(exc),
                next_attempt_at=_next_attempt_at(row.attempts + 1, now),
            )
    except Exception:  # noqa: BLE001 - e.g. the database itself is gone; the log has it
        logger.exception("could not record the failure of reminder %s/%s", inst.pk, step.level.pk)


# ---------------------------------------------------------------- retries


def retry_failed_reminders(*, as_of: date, now: datetime | None = None) -> Summary:
    """Run the daily job for the contracts that have a failed reminder due for a retry now."""
    now = now or timezone.now()
    due = Reminder.objects.filter(
        status=Reminder.Status.FAILED, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS
    ).values_list("installment__version__loan_id", flat=True)
    loan_ids = sorted(set(due))
    if not loan_ids:
        return Summary(as_of=as_of)
    return send_due_reminders(as_of=as_of, now=now, loan_ids=loan_ids)


@transaction.atomic
def retry_reminder(*, reminder: Reminder, by) -> bool:
    """A person puts a failed reminder back in the queue; the worker sends it. False if not failed."""
    from loans.tasks import send_reminder_task

    if by is None or not by.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))
    if not Reminder.objects.for_user(by).filter(pk=reminder.pk).exists():
        raise PermissionDenied(_("This contract is not in your office."))
    changed = Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.FAILED).update(
        status=Reminder.Status.PENDING, next_attempt_at=None, error=""
    )
    if changed == 1:
        transaction.on_commit(partial(send_reminder_task.delay, reminder.pk))
    return changed == 1


def _why_not(loan: Loan, as_of: date) -> str:
    if loan.status in NO_REMINDER_STATUSES or loan.is_paused:
        return _("The contract is %(status)s: no reminders.") % {"status": loan.get_status_display()}
    if is_under_moratorium(loan.borrower, as_of):
        return _("The borrower's area is under a moratorium.")
    return ""


def send_reminder(reminder_id: int, *, as_of: date, now: datetime | None = None) -> Summary:
    """Send one pending reminder now (after a manual retry), if it should still go out."""
    now = now or timezone.now()
    summary = Summary(as_of=as_of)
    reminder = Reminder.objects.select_related("level", "installment__version").filter(pk=reminder_id).first()
    if reminder is None or reminder.status != Reminder.Status.PENDING:
        return summary
    inst = reminder.installment
    loan = Loan.objects.select_related(
        "borrower__office", "fund", "responsible_officer", "borrower__responsible_officer"
    ).get(pk=inst.version.loan_id)
    reason = _why_not(loan, as_of)
    if not reason:
        state = services.loan_state(loan, as_of)
        if all(s.number != inst.number or s.principal_outstanding <= 0 for s in state.installments):
            reason = _("The installment was paid.")
    if reason:
        summary.skipped += Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.SKIPPED, error=reason
        )
        return summary
    summary.loans_checked = 1
    step = _Step(reminder.channel, reminder.level, (), retry=True)
    _send_step(loan, inst, step, as_of=as_of, now=now, summary=summary, cache={})
    return summary


# ---------------------------------------------------------------- the day's letters


def day_letters(*, office: Office, day: date):
    """Letters issued by ``office`` on ``day`` (printed channel), in letter-number order."""
    return Reminder.objects.filter(
        channel=Reminder.Channel.LETTER,
        status=Reminder.Status.SENT,
        issued_on=day,
        installment__version__loan__borrower__office=office,
    ).order_by("letter_seq", "pk")


def request_letters_day(*, office: Office, day: date, user):
    """Ask the reports worker for ONE PDF of the day's letters; None if there are none."""
    from reports.services import request_document

    count = day_letters(office=office, day=day).count()
    if not count:
        return None
    title = _("Debt reminder letters of %(day)s (%(count)s letters)") % {
        "day": format_date(day, "long"), "count": count,
    }  # fmt: skip
    return request_document(
        kind=LETTERS_DAY_KIND, params={"office_id": office.pk, "day": day.isoformat()}, office=office,
        title=title, user=user,
    )  # fmt: skip
