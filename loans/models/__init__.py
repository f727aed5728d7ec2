"""Funds, loan contracts, schedules, payments, debtor events, follow-ups and reminders.

Money columns come from ``coopsupport.money`` (14,2); rates are annual percents (``*_pct``).
The money math lives in the pure modules ``loans.schedule`` and ``loans.arrears``; the only code
that writes these tables is ``loans.services``. Posted payments are never edited or deleted:
a ``PaymentReversal`` row records the reversal and the payment's ``is_reversed`` flag (set by the
service only) keeps lists cheap.

Every model has ``objects.for_user(user)``. Funds, schemes and reminder levels are national
configuration: every signed-in user may read them (admins edit them in the Django admin).

The models live in the modules of this package (common choices, funds, contracts, schedules,
payments, follow-up, reminders); every name is re-exported here, so ``from loans.models import X``
is the way to import them.
"""

from loans.models.common import (
    DEFAULT_ORDER_TEXT,
    PERIOD_CHOICES,
    ZERO,
    AllocationOrder,
    ConfigQuerySet,
    DayCountChoices,
    MethodChoices,
    allocation_components,
)
from loans.models.contracts import (
    Attachment,
    Collateral,
    Disbursement,
    Guarantor,
    Loan,
    LoanQuerySet,
    PenaltyWaiver,
    RateChange,
)
from loans.models.followup import DebtorEvent, FollowUp, FollowUpQuerySet, Moratorium, MoratoriumQuerySet
from loans.models.funds import Fund, Scheme
from loans.models.payments import Payment, PaymentAllocation, PaymentReversal
from loans.models.reminders import Reminder, ReminderLevel
from loans.models.schedules import Installment, ScheduleVersion

__all__ = [
    "DEFAULT_ORDER_TEXT",
    "PERIOD_CHOICES",
    "ZERO",
    "AllocationOrder",
    "Attachment",
    "Collateral",
    "ConfigQuerySet",
    "DayCountChoices",
    "DebtorEvent",
    "Disbursement",
    "FollowUp",
    "FollowUpQuerySet",
    "Fund",
    "Guarantor",
    "Installment",
    "Loan",
    "LoanQuerySet",
    "MethodChoices",
    "Moratorium",
    "MoratoriumQuerySet",
    "Payment",
    "PaymentAllocation",
    "PaymentReversal",
    "PenaltyWaiver",
    "RateChange",
    "Reminder",
    "ReminderLevel",
    "ScheduleVersion",
    "Scheme",
    "allocation_components",
]
