from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Affiliation,
    Consent,
    District,
    ErasureRequest,
    FieldOfActivity,
    MembershipApplication,
    MembershipPeriod,
    Organisation,
    OrganisationChangeRequest,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "phone", "language"]}),
        (_("Role"), {"fields": ["role", "is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "role", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "role" in form.changed_data:
            from alliance_portal.models import SecurityEvent
            from alliance_portal.security import record_event

            record_event(
                request,
                SecurityEvent.Kind.ROLE_CHANGED,
                user=obj,
                login=obj.email,
                detail=f"{form.initial.get('role')} → {obj.role} by {request.user.email}",
            )


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_kk", "name_ru", "order"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_ru", "kind", "bin", "district", "is_published"]
    list_filter = ["kind", "district", "is_published", "fields_of_activity"]
    search_fields = ["name_kk", "name_ru", "bin"]
    filter_horizontal = ["fields_of_activity"]


@admin.register(FieldOfActivity)
class FieldOfActivityAdmin(admin.ModelAdmin):
    """The managed list of fields of activity (also the priority themes of calls)."""

    list_display = ["code", "name_kk", "name_ru", "order"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Decisions go through the registry desk (services write the history); the admin
    only shows the records."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Affiliation)
class AffiliationAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "organisation",
        "role",
        "status",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "role"]
    list_select_related = ["user", "organisation", "decided_by"]


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "status", "started_on", "ended_on"]
    list_filter = ["status"]
    list_select_related = ["organisation"]


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["organisation", "decided_by"]


@admin.register(OrganisationChangeRequest)
class OrganisationChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["organisation", "decided_by"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Proof of consent: read-only."""

    list_display = ["given_at", "context", "subject", "subject_name", "entered_by"]
    list_filter = ["context", "text_version"]
    search_fields = ["subject__email", "subject_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ["requested_at", "user", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    readonly_fields = ["user", "note", "requested_at", "status", "decided_by"]
