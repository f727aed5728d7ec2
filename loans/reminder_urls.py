"""Reminder pages, included by the lead at /loans/reminders/ (namespace ``reminders``)."""

from django.urls import path

from loans import reminder_views as views

app_name = "reminders"

urlpatterns = [
    path("", views.ReminderListView.as_view(), name="reminder_list"),
    path("letters/print/", views.PrintLettersView.as_view(), name="print_letters"),
    path("<int:pk>/retry/", views.ReminderRetryView.as_view(), name="reminder_retry"),
    path("outbox/", views.OutboxView.as_view(), name="outbox"),
    path("outbox/<str:name>/<int:index>/", views.OutboxMessageView.as_view(), name="outbox_message"),
    path(
        "outbox/<str:name>/<int:index>/attachments/<int:number>/",
        views.OutboxAttachmentView.as_view(),
        name="outbox_attachment",
    ),
]
