from django.contrib import admin

from .models import AgendaSession, Event, EventMaterial, Forum, Registration, Resolution


class AgendaInline(admin.TabularInline):
    model = AgendaSession
    extra = 0


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ("__str__", "starts_on", "district", "capacity")
    inlines = [AgendaInline]


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "deadline", "responsible")
    list_filter = ("status", "forum")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "starts_at", "district")
    list_filter = ("kind", "district")


admin.site.register(EventMaterial)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: registrations change only through the services (capacity, history)."""

    list_display = ("full_name", "organisation", "forum", "event", "status")
    list_filter = ("status",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
