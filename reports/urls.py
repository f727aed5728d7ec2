from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/download/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("documents/<int:pk>/retry/", views.DocumentRetryView.as_view(), name="document_retry"),
]
