from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cooperatives.models import BusinessLine, Contact, Institution, Person, StatusEvent, YearlyFigure


@admin.register(BusinessLine)
class BusinessLineAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order")
    ordering = ("order",)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    # PDPA: the national ID is not shown in the admin either; use the institution page (logged reveal).
    exclude = ("national_id",)


class YearlyFigureInline(admin.TabularInline):
    model = YearlyFigure
    extra = 0


class StatusEventInline(admin.TabularInline):
    model = StatusEvent
    extra = 0
    readonly_fields = ("recorded_by", "recorded_at")


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "registration_number", "kind", "type", "status", "office", "district")
    list_filter = ("kind", "type", "status", "office")
    search_fields = ("name", "name_en", "registration_number")
    list_select_related = ("office", "district")
    raw_id_fields = ("parent", "subdistrict", "district", "responsible_officer")
    filter_horizontal = ("business_lines",)
    inlines = [ContactInline, PersonInline, YearlyFigureInline, StatusEventInline]
    history_list_display = ("status",)


@admin.register(StatusEvent)
class StatusEventAdmin(admin.ModelAdmin):
    list_display = ("institution", "status", "effective_on", "reference", "recorded_by")
    list_filter = ("status",)
    list_select_related = ("institution", "recorded_by")
    raw_id_fields = ("institution",)


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ("name", "institution", "role", "phone", "email", "receives_reminders")
    search_fields = ("name", "email", "institution__name")
    list_select_related = ("institution",)
    raw_id_fields = ("institution",)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "institution", "kind", "position")
    search_fields = ("name", "institution__name")
    list_select_related = ("institution",)
    raw_id_fields = ("institution",)
    exclude = ("national_id",)


@admin.register(YearlyFigure)
class YearlyFigureAdmin(SimpleHistoryAdmin):
    list_display = ("institution", "year_be", "members", "share_capital")
    list_select_related = ("institution",)
    raw_id_fields = ("institution",)
