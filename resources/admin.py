from django.contrib import admin

from .models import (
    Booking,
    Consultation,
    Facility,
    FaqEntry,
    Material,
    MaterialVersion,
    NewsItem,
)


class MaterialVersionInline(admin.TabularInline):
    model = MaterialVersion
    extra = 0
    readonly_fields = ["number", "file", "uploaded_by", "created_at"]


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title_kk", "audience", "pinned", "published_at"]
    list_filter = ["audience", "pinned"]
    search_fields = ["title_kk", "title_ru"]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title_kk", "topic", "language", "audience", "downloads"]
    list_filter = ["topic", "language", "audience"]
    inlines = [MaterialVersionInline]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["pk", "topic", "organisation", "status", "created_at"]
    list_filter = ["status", "topic"]
    readonly_fields = ["answered_at", "closed_at"]


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question_kk", "topic", "approved_at"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name_kk", "kind", "capacity", "is_active"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["facility", "starts_at", "ends_at", "organisation", "status"]
    list_filter = ["status", "facility"]
