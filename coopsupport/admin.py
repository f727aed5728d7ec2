from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from coopsupport.models import AreaTeam, District, Office, Province, Subdistrict, User, WorkerHeartbeat

admin.site.site_header = _("CoopSupport administration")
admin.site.site_title = _("CoopSupport")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "office", "is_active")
    list_filter = ("role", "office", "is_active")
    list_select_related = ("office",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Office and role"), {"fields": ("role", "office", "area_team", "position", "phone")}),
        (_("Sign-in lock-out"), {"fields": ("failed_logins", "locked_until")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Office and role"), {"fields": ("role", "office", "first_name", "last_name", "email")}),
    )


class AreaTeamInline(admin.TabularInline):
    model = AreaTeam
    extra = 0
    filter_horizontal = ("districts",)


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province", "letter_prefix")
    list_filter = ("kind",)
    search_fields = ("code", "name", "letter_prefix")
    list_select_related = ("province",)
    filter_horizontal = ("districts",)
    inlines = [AreaTeamInline]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "name_en")
    search_fields = ("code", "name_th", "name_en")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "province")
    search_fields = ("code", "name_th")
    list_select_related = ("province",)


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "district", "postcode")
    search_fields = ("code", "name_th", "postcode")
    list_select_related = ("district",)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "beat_at", "hostname")
