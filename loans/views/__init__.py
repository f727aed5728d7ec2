"""Loan pages. Views orchestrate only: load the scoped object, bind the form, call the service,
add a message, redirect. Money comes from ``services.loan_state`` or the snapshot columns.

``lists`` (contract lists, follow-up log), ``contracts`` (the contract page, create and edit, the
statement PDF), ``events`` (what is recorded on a contract after signing), ``payments`` (payments,
reversals, the collection sheet); ``common`` holds what they share. Every view is re-exported here
for ``loans/urls.py``. (Reminder pages are in ``loans.reminder_views``.)
"""

from loans.views.common import LoanChildMixin, LoanFormView, add_service_errors
from loans.views.contracts import (
    INITIAL_PARAMS,
    AttachmentDownloadView,
    GuarantorRevealView,
    InstitutionLoansTabView,
    LoanCreateView,
    LoanDetailView,
    LoanUpdateView,
    StatementPdfView,
)
from loans.views.events import (
    AttachmentCreateView,
    ChildModelCreateView,
    CollateralCreateView,
    DisbursementCreateView,
    EventCreateView,
    FollowUpCreateView,
    FollowUpDoneView,
    GuarantorCreateView,
    RateChangeCreateView,
    WaiverCreateView,
)
from loans.views.lists import DueSoonView, FollowUpListView, LoanListView, OverdueView
from loans.views.payments import CollectionSheetView, PaymentCreateView, PaymentReverseView

__all__ = [
    "INITIAL_PARAMS",
    "AttachmentCreateView",
    "ChildModelCreateView",
    "CollateralCreateView",
    "CollectionSheetView",
    "DisbursementCreateView",
    "DueSoonView",
    "EventCreateView",
    "FollowUpCreateView",
    "FollowUpDoneView",
    "FollowUpListView",
    "GuarantorCreateView",
    "GuarantorRevealView",
    "InstitutionLoansTabView",
    "LoanChildMixin",
    "LoanCreateView",
    "LoanDetailView",
    "LoanFormView",
    "LoanListView",
    "LoanUpdateView",
    "OverdueView",
    "PaymentCreateView",
    "PaymentReverseView",
    "RateChangeCreateView",
    "StatementPdfView",
    "AttachmentDownloadView",
    "WaiverCreateView",
    "add_service_errors",
]
