"""Admins edit funds, schemes, reminder levels and moratoria here; contracts are read-only
(money changes only through the services, so the admin never writes a payment)."""

from __future__ import annotations

from django.contrib import admin

from loans.models import Fund, Loan, Moratorium, Reminder, ReminderLevel, Scheme


class SchemeInline(admin.TabularInline):
    model = Scheme
    extra = 0


class ReminderLevelInline(admin.StackedInline):
    model = ReminderLevel
    extra = 0
    fields = [
        ("offset_days", "kind", "by_email", "by_letter", "is_active"),
        "subject_template",
        "body_template",
    ]


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "rate_pct", "penalty_rate_pct", "period_months", "max_term_months",
                    "is_active"]  # fmt: skip
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    inlines = [SchemeInline, ReminderLevelInline]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "fund", "rate_pct", "penalty_rate_pct", "max_term_months", "is_active"]
    list_filter = ["fund", "is_active"]
    search_fields = ["name"]


@admin.register(ReminderLevel)
class ReminderLevelAdmin(admin.ModelAdmin):
    list_display = ["fund", "offset_days", "kind", "by_email", "by_letter", "is_active"]
    list_filter = ["fund", "kind", "is_active"]


@admin.register(Moratorium)
class MoratoriumAdmin(admin.ModelAdmin):
    list_display = ["province", "district", "starts_on", "ends_on", "reason", "office"]
    list_filter = ["province"]
    autocomplete_fields: list = []


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["contract_number", "borrower", "fund", "status", "outstanding_principal", "days_past_due"]
    list_filter = ["fund", "status"]
    search_fields = ["contract_number", "borrower__name"]
    list_select_related = ["borrower", "fund"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["installment", "level", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["installment__version__loan", "level__fund"]
