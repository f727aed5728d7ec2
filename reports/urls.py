from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("monthly/", views.MonthlyReportView.as_view(), name="monthly_report"),
    path("monthly/entry/", views.MonthlyEntryView.as_view(), name="monthly_entry"),
    path("monthly/pdf/", views.MonthlyReportPdfView.as_view(), name="monthly_report_pdf"),
    path("monthly/sign-off/", views.MonthlySignOffView.as_view(), name="monthly_signoff"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/add/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("indicators/<int:pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_update"),
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/download/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("documents/<int:pk>/retry/", views.DocumentRetryView.as_view(), name="document_retry"),
]
