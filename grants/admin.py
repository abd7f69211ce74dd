"""Read-only admin views of grants: every money change goes through the services, so
the admin shows the records but does not edit them."""

from django.contrib import admin

from grants.models import (
    Expenditure,
    Grant,
    GrantBudgetLine,
    MoneyAuditEntry,
    MonitoringVisit,
    Report,
    Tranche,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BudgetLineInline(admin.TabularInline):
    model = GrantBudgetLine
    extra = 0
    can_delete = False
    readonly_fields = ("item", "category", "planned")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class TrancheInline(admin.TabularInline):
    model = Tranche
    extra = 0
    can_delete = False
    fields = ("sequence", "planned_on", "amount", "condition", "status", "paid_on")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ("number", "organisation", "funder", "amount", "status")
    list_filter = ("status", "funder")
    search_fields = ("number", "organisation__name_kk", "organisation__name_ru")
    inlines = (BudgetLineInline, TrancheInline)


@admin.register(Expenditure)
class ExpenditureAdmin(ReadOnlyAdmin):
    list_display = ("grant", "spent_on", "description", "amount", "is_overspend")
    list_filter = ("is_overspend",)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("grant", "kind", "number", "status")
    list_filter = ("status", "kind")


@admin.register(MonitoringVisit)
class MonitoringVisitAdmin(ReadOnlyAdmin):
    list_display = ("grant", "visited_on", "rating")


@admin.register(MoneyAuditEntry)
class MoneyAuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "grant",
        "actor",
        "object_label",
        "field",
        "before",
        "after",
    )
    list_filter = ("object_type", "field")
