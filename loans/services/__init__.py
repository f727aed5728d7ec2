"""Loan services: the only code that writes contracts, schedules, payments and events.

Every write is ``@transaction.atomic`` with keyword-only arguments, locks the contract row
(``SELECT … FOR UPDATE`` on PostgreSQL) before reading its money, replays the whole contract through
``loans.arrears`` (via ``loans.ledger``) and stores the derived rows (payment allocations, the
snapshot columns on ``Loan``). Rejections are ``ValidationError`` with Thai messages (gettext).

``today`` is a parameter wherever the clock matters; callers pass ``timezone.localdate()``.
"""

from __future__ import annotations

from loans.services.contracts import (
    add_disbursement,
    change_rate,
    create_loan,
    update_loan,
    waive_penalty,
)
from loans.services.events import RestructureTerms, add_follow_up, complete_follow_up, record_event
from loans.services.payments import (
    CollectionRow,
    CollectionSheetError,
    record_collection_sheet,
    record_payment,
    reverse_payment,
)
from loans.services.state import (
    PaymentPreview,
    loan_replay,
    loan_state,
    loan_states,
    preview_payment,
    refresh_loan_snapshot,
    refresh_loan_snapshots,
)

__all__ = [
    "CollectionRow",
    "CollectionSheetError",
    "PaymentPreview",
    "RestructureTerms",
    "add_disbursement",
    "add_follow_up",
    "change_rate",
    "complete_follow_up",
    "create_loan",
    "loan_replay",
    "loan_state",
    "loan_states",
    "preview_payment",
    "record_collection_sheet",
    "record_event",
    "record_payment",
    "refresh_loan_snapshot",
    "refresh_loan_snapshots",
    "reverse_payment",
    "update_loan",
    "waive_penalty",
]
