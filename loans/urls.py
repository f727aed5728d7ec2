from django.urls import path

from loans import views

app_name = "loans"

urlpatterns = [
    path("", views.LoanListView.as_view(), name="loan_list"),
    path("new/", views.LoanCreateView.as_view(), name="loan_create"),
    path("due/", views.DueSoonView.as_view(), name="due_soon"),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    path("collection/", views.CollectionSheetView.as_view(), name="collection_sheet"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="followup_list"),
    path("follow-ups/<int:pk>/done/", views.FollowUpDoneView.as_view(), name="followup_done"),
    path("payments/<int:pk>/reverse/", views.PaymentReverseView.as_view(), name="payment_reverse"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("guarantors/<int:pk>/reveal/", views.GuarantorRevealView.as_view(), name="guarantor_reveal"),
    path("institutions/<int:pk>/tab/", views.InstitutionLoansTabView.as_view(), name="institution_tab"),
    path("<int:pk>/", views.LoanDetailView.as_view(), name="loan_detail"),
    path("<int:pk>/edit/", views.LoanUpdateView.as_view(), name="loan_edit"),
    path("<int:pk>/statement.pdf", views.StatementPdfView.as_view(), name="statement_pdf"),
    path("<int:pk>/payments/new/", views.PaymentCreateView.as_view(), name="payment_create"),
    path("<int:pk>/events/new/", views.EventCreateView.as_view(), name="event_create"),
    path("<int:pk>/follow-ups/new/", views.FollowUpCreateView.as_view(), name="followup_create"),
    path("<int:pk>/rates/new/", views.RateChangeCreateView.as_view(), name="rate_change_create"),
    path("<int:pk>/disbursements/new/", views.DisbursementCreateView.as_view(), name="disbursement_create"),
    path("<int:pk>/waivers/new/", views.WaiverCreateView.as_view(), name="waiver_create"),
    path("<int:pk>/guarantors/new/", views.GuarantorCreateView.as_view(), name="guarantor_create"),
    path("<int:pk>/collateral/new/", views.CollateralCreateView.as_view(), name="collateral_create"),
    path("<int:pk>/attachments/new/", views.AttachmentCreateView.as_view(), name="attachment_create"),
]
