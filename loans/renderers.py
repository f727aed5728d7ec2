"""Document kinds of the loans app, rendered by the reports worker (``ReportsConfig.ready`` imports
this module in the web process and the worker alike).

* ``loans.letter``      {"reminder_id": int}                 one reminder letter
* ``loans.letters_day`` {"office_id": int, "day": "YYYY-MM-DD"} the office's printed letters of a day
* ``loans.statement``   {"loan_id": int, "as_of": "YYYY-MM-DD"} the borrower statement

Official documents are always Thai, whatever language the person who asked for them reads.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import translation

from coopsupport.models import Office
from coopsupport.thai import format_date
from loans import letters
from loans.models import Loan, Reminder
from loans.reminders import LETTER_KIND, LETTER_TEMPLATE, LETTERS_DAY_KIND, STATEMENT_KIND
from reports.pdf import render_pdf
from reports.renderers import register


@register(LETTER_KIND)
def render_letter(params: dict) -> tuple[bytes, str]:
    reminder = Reminder.objects.select_related(
        "level",
        "installment__version__loan__fund",
        "installment__version__loan__borrower__office",
        "installment__version__loan__responsible_officer",
        "installment__version__loan__borrower__responsible_officer",
    ).get(pk=params["reminder_id"])
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            LETTER_TEMPLATE, letters.letter_document_context(reminder)
        ), letters.letter_filename(reminder)


@register(LETTERS_DAY_KIND)
def render_letters_day(params: dict) -> tuple[bytes, str]:
    office = Office.objects.get(pk=params["office_id"])
    day = date.fromisoformat(params["day"])
    with translation.override(settings.LANGUAGE_CODE):
        context = letters.letters_day_context(office, day)
        if not context["letters"]:
            raise ValueError(f"no letters were issued by {office} on {day.isoformat()}")
        content = render_pdf("loans/letters/letters_day.html", context)
        name = f"{context['title']}-{format_date(day, 'numeric').replace('/', '-')}.pdf".replace(" ", "")
    return content, name


@register(STATEMENT_KIND)
def render_statement(params: dict) -> tuple[bytes, str]:
    loan = Loan.objects.select_related("borrower__office", "fund", "responsible_officer").get(
        pk=params["loan_id"]
    )
    as_of = date.fromisoformat(params["as_of"])
    with translation.override(settings.LANGUAGE_CODE):
        context = letters.statement_context(loan, as_of)
        contract = loan.contract_number.replace("/", "-").replace(" ", "")
        name = f"{context['title']}-{contract}-{format_date(as_of, 'numeric').replace('/', '-')}.pdf".replace(
            " ", ""
        )
        return render_pdf("loans/letters/statement.html", context), name
