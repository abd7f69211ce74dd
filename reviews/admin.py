from django.contrib import admin

from .models import (
    CallReviewSettings,
    ConflictDeclaration,
    CouncilDecision,
    CouncilSession,
    Criterion,
    CriterionTemplate,
    ExpertProfile,
)


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "expertise", "organisation", "active"]
    list_filter = ["active"]
    autocomplete_fields = ["user"]
    search_fields = ["user__email", "user__full_name", "expertise"]


@admin.register(CriterionTemplate)
class CriterionTemplateAdmin(admin.ModelAdmin):
    list_display = ["name_kk", "name_ru", "weight", "scale_max", "order"]


@admin.register(CallReviewSettings)
class CallReviewSettingsAdmin(admin.ModelAdmin):
    list_display = ["call", "min_reviews", "blind_review", "review_deadline"]


# Read-only registers: writes go through the services and the staff pages.
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Criterion, ReadOnlyAdmin)
admin.site.register(ConflictDeclaration, ReadOnlyAdmin)
admin.site.register(CouncilSession, ReadOnlyAdmin)
admin.site.register(CouncilDecision, ReadOnlyAdmin)
