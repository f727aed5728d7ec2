"""Reminder pages: the list (today's and recent), print the day's letters as one PDF, retry a failed
reminder, and — staff only — the outbox of emails the file backend wrote (the demo never mails
real people; an administrator reads here what would have been sent).

URLs: ``loans/reminder_urls.py`` (namespace ``reminders``), included at /loans/reminders/.
"""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path

import django_filters
import django_tables2 as tables
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from coopsupport.forms import BaseForm, ThaiDateField
from coopsupport.scoping import offices_for_user
from coopsupport.thai import format_date, format_money
from coopsupport.views import ScopedListView, ScopedMixin, WriteRequiredMixin
from loans import reminders
from loans.models import Reminder, ReminderLevel

# Plain string keys: a TextChoices member hashes by its name, so it would not find "sent".
STATUS_CSS = {
    "pending": "secondary",
    "sending": "info",
    "sent": "success",
    "failed": "danger",
    "skipped": "light",
}


def level_label(offset_days: int, kind: str) -> str:
    """ "−15 days (notice)" / "+30 days (demand)" / "on the due date (notice)"."""
    kind_label = _("demand") if kind == ReminderLevel.Kind.DEMAND else _("notice")
    if offset_days == 0:
        return _("on the due date (%(kind)s)") % {"kind": kind_label}
    return _("%(days)+d days (%(kind)s)") % {"days": offset_days, "kind": kind_label}


def loan_url(loan_id: int) -> str | None:
    try:
        return reverse("loans:loan_detail", args=[loan_id])
    except NoReverseMatch:  # the contract pages are not wired (yet)
        return None


# ---------------------------------------------------------------- the list


class ReminderFilterSet(django_filters.FilterSet):
    PERIODS = (
        ("today", gettext_lazy("Today")),
        ("7", gettext_lazy("Last 7 days")),
        ("30", gettext_lazy("Last 30 days")),
    )

    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"), max_length=200)
    period = django_filters.ChoiceFilter(method="in_period", choices=PERIODS, label=gettext_lazy("When"))
    status = django_filters.ChoiceFilter(choices=Reminder.Status.choices, label=gettext_lazy("Status"))
    channel = django_filters.ChoiceFilter(choices=Reminder.Channel.choices, label=gettext_lazy("Channel"))
    kind = django_filters.ChoiceFilter(
        field_name="level__kind", choices=ReminderLevel.Kind.choices, label=gettext_lazy("Kind of reminder")
    )
    offset = django_filters.ChoiceFilter(
        field_name="level__offset_days", choices=(), label=gettext_lazy("Level")
    )

    class Meta:
        model = Reminder
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offsets = sorted(
            set(ReminderLevel.objects.values_list("offset_days", flat=True))
            | {-60, -30, -15, -7, 0, 15, 30, 60}
        )
        self.filters["offset"].extra["choices"] = [(o, f"{o:+d}" if o else "0") for o in offsets]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(installment__version__loan__contract_number__icontains=value)
            | Q(installment__version__loan__borrower__name__icontains=value)
            | Q(letter_number__icontains=value)
            | Q(recipients__icontains=value)
        )

    def in_period(self, queryset, name, value):
        today = timezone.localdate()
        since = today if value == "today" else today - timedelta(days=int(value) - 1)
        return queryset.filter(created_at__date__gte=since)


class BEDateColumn(tables.Column):
    def render(self, value):
        return format_date(value)

    def value(self, value):
        return format_date(value) if value else ""


class BEDateTimeColumn(tables.Column):
    def render(self, value):
        local = timezone.localtime(value)
        return f"{format_date(local.date())} {local:%H:%M}"

    def value(self, value):
        return self.render(value) if value else ""


# Short one-word headers are kept whole (Thai wraps inside words: "สร้าง/เมื่อ"); the longer ones may
# wrap, as this wide table must still fit a landscape tablet.
WHOLE = {"th": {"class": "text-nowrap"}}


class ReminderTable(tables.Table):
    created_at = BEDateTimeColumn(verbose_name=gettext_lazy("Created"), attrs=WHOLE)
    contract = tables.Column(
        accessor="installment__version__loan__contract_number",
        verbose_name=gettext_lazy("Contract"),
        attrs=WHOLE,
        linkify=lambda record: loan_url(record.installment.version.loan_id),
    )
    borrower = tables.Column(
        accessor="installment__version__loan__borrower__name", verbose_name=gettext_lazy("Borrower")
    )
    installment = tables.Column(
        accessor="installment__number", verbose_name=gettext_lazy("Installment"), attrs=WHOLE
    )
    due_on = BEDateColumn(accessor="installment__due_on", verbose_name=gettext_lazy("Due date"))
    level = tables.Column(accessor="level__offset_days", verbose_name=gettext_lazy("Level"), attrs=WHOLE)
    channel = tables.Column(verbose_name=gettext_lazy("Channel"), attrs=WHOLE)
    status = tables.Column(verbose_name=gettext_lazy("Status"), attrs=WHOLE)
    recipients = tables.Column(verbose_name=gettext_lazy("To"), attrs={"td": {"class": "small text-break"}})
    amount = tables.Column(
        verbose_name=gettext_lazy("Amount"), attrs={"td": {"class": "text-end text-nowrap"}}
    )
    letter_number = tables.Column(verbose_name=gettext_lazy("Letter no."))
    sent_at = BEDateTimeColumn(verbose_name=gettext_lazy("Sent at"), attrs=WHOLE)
    error = tables.Column(
        verbose_name=gettext_lazy("note"),  # short: "ข้อผิดพลาด / เหตุผล" broke inside its words
        attrs={"td": {"class": "small text-danger"}, **WHOLE},
        default="",
    )
    actions = tables.TemplateColumn(
        template_name="loans/reminders/_retry_button.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = Reminder
        fields: tuple[str, ...] = ()
        sequence = (
            "created_at", "contract", "borrower", "installment", "due_on", "level", "channel", "status",
            "recipients", "amount", "letter_number", "sent_at", "error", "actions",
        )  # fmt: skip
        order_by = ("-created_at",)

    def render_level(self, value, record):
        return level_label(value, record.level.kind)

    def value_level(self, value, record):
        return level_label(value, record.level.kind)

    def render_channel(self, record):
        return record.get_channel_display()

    def value_channel(self, record):
        return record.get_channel_display()

    def render_status(self, record):
        # ``value`` would be the display text (django-tables2 shows choices by their label).
        css = STATUS_CSS.get(record.status, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', css, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_amount(self, value):
        return format_money(value)

    def value_amount(self, value):
        return format_money(value)

    def render_letter_number(self, value, record):
        if record.document_id:
            url = reverse("reports:document_detail", args=[record.document_id])
            return format_html('<a href="{}"><i class="bi bi-file-earmark-pdf me-1"></i>{}</a>', url, value)
        return value

    def value_letter_number(self, value):
        return value

    def render_error(self, value):
        return value[:200] + ("…" if len(value) > 200 else "")


class ReminderListView(ScopedListView):
    model = Reminder
    table_class = ReminderTable
    filterset_class = ReminderFilterSet
    template_name = "loans/reminders/reminder_list.html"
    title = gettext_lazy("Debt reminders")
    export_name = "reminders"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("level", "installment__version__loan__borrower")
            .order_by("-created_at", "-id")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["print_form"] = PrintLettersForm(user=user) if user.can_write else None
        ctx["can_write"] = user.can_write
        return ctx


# ---------------------------------------------------------------- print the day's letters, retry


class PrintLettersForm(BaseForm):
    day = ThaiDateField(label=gettext_lazy("Letters of the day"), required=False)
    office = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Office"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["office"].queryset = offices_for_user(user)
        if not user.sees_all_offices:
            del self.fields["office"]
        self.fields["day"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        data["day"] = data.get("day") or timezone.localdate()
        if self.user.sees_all_offices:
            if not data.get("office"):
                self.add_error("office", _("Choose the office."))
        else:
            data["office"] = self.user.office
        return data


class PrintLettersView(WriteRequiredMixin, View):
    """POST: ask the worker for ONE PDF of the day's letters, then follow its progress page."""

    def post(self, request):
        form = PrintLettersForm(request.POST, user=request.user)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("reminders:reminder_list")
        day, office = form.cleaned_data["day"], form.cleaned_data["office"]
        document = reminders.request_letters_day(office=office, day=day, user=request.user)
        if document is None:
            messages.info(
                request, _("No letters were issued on %(day)s.") % {"day": format_date(day, "long")}
            )
            return redirect("reminders:reminder_list")
        messages.success(request, _("The letters are being prepared as one PDF."))
        return redirect("reports:document_detail", pk=document.pk)


class ReminderRetryView(WriteRequiredMixin, ScopedMixin, View):
    """POST: put a failed reminder back in the queue (the worker sends it, at most once)."""

    model = Reminder

    def post(self, request, pk):
        reminder = get_object_or_404(self.get_queryset(), pk=pk)
        if reminders.retry_reminder(reminder=reminder, by=request.user):
            messages.success(request, _("The reminder is queued again."))
        else:
            messages.info(request, _("Only a failed reminder can be retried."))
        return redirect(request.POST.get("next") if _safe_next(request) else "reminders:reminder_list")


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})


# ---------------------------------------------------------------- the outbox (file email backend)

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
_FILE_NAME = re.compile(r"^[\w.\-]+\.log$")
MAX_MESSAGES = 200


class StaffRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff:
            raise PermissionDenied(_("Only administrators can read the outbox."))
        return super().dispatch(request, *args, **kwargs)


def outbox_dir() -> Path | None:
    if not settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        return None
    path = getattr(settings, "EMAIL_FILE_PATH", None)
    return Path(path) if path else None


def _split(raw: bytes) -> list[bytes]:
    return [part.strip(b"\n") for part in raw.split(SEPARATOR) if part.strip()]


def outbox_messages(limit: int = MAX_MESSAGES) -> list[dict]:
    """The newest messages the file backend wrote: file name, index in the file, parsed headers."""
    folder = outbox_dir()
    if folder is None or not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
        for index, raw in enumerate(_split(path.read_bytes())):
            message = email.message_from_bytes(raw, policy=email.policy.default)
            out.append(
                {
                    "file": path.name,
                    "index": index,
                    "subject": str(message.get("Subject", "")),
                    "to": str(message.get("To", "")),
                    "cc": str(message.get("Cc", "")),
                    "date": str(message.get("Date", "")),
                    "attachments": sum(1 for _part in message.iter_attachments()),
                }
            )
            if len(out) >= limit:
                return out
    return out


def outbox_message(name: str, index: int):
    folder = outbox_dir()
    if folder is None or not _FILE_NAME.match(name):
        raise Http404
    path = folder / name
    if not path.is_file():
        raise Http404
    parts = _split(path.read_bytes())
    if not 0 <= index < len(parts):
        raise Http404
    return email.message_from_bytes(parts[index], policy=email.policy.default)


class OutboxView(StaffRequiredMixin, TemplateView):
    template_name = "loans/reminders/outbox.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Outbox")
        ctx["folder"] = outbox_dir()
        ctx["emails"] = outbox_messages()
        return ctx


class OutboxMessageView(StaffRequiredMixin, TemplateView):
    template_name = "loans/reminders/outbox_message.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        message = outbox_message(kwargs["name"], kwargs["index"])
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        ctx.update(
            title=str(message.get("Subject", "")),
            name=kwargs["name"],
            index=kwargs["index"],
            headers=[(h, str(message.get(h, ""))) for h in ("From", "To", "Cc", "Reply-To", "Date", "Subject")],
            text=text.get_content() if text is not None else "",
            html=html.get_content() if html is not None else "",
            attachments=[
                {"number": n, "filename": part.get_filename() or f"attachment-{n}", "type": part.get_content_type(),
                 "size": len(part.get_payload(decode=True) or b"")}
                for n, part in enumerate(message.iter_attachments())
            ],
        )  # fmt: skip
        return ctx


class OutboxAttachmentView(StaffRequiredMixin, View):
    def get(self, request, name, index, number):
        message = outbox_message(name, index)
        parts = list(message.iter_attachments())
        if not 0 <= number < len(parts):
            raise Http404
        part = parts[number]
        response = HttpResponse(part.get_payload(decode=True) or b"", content_type=part.get_content_type())
        from django.utils.http import content_disposition_header

        response["Content-Disposition"] = content_disposition_header(
            True, part.get_filename() or "attachment"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
