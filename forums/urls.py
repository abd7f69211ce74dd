from django.urls import path, register_converter

from . import views


class GatheringKind:
    regex = "forum|event"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ExportFormat(GatheringKind):
    regex = "csv|xlsx"


register_converter(GatheringKind, "gathering")
register_converter(ExportFormat, "exportfmt")

app_name = "forums"

urlpatterns = [
    path("", views.forum_list, name="forum_list"),
    path("new/", views.forum_create, name="forum_create"),
    path("<int:pk>/", views.forum_detail, name="forum_detail"),
    path("<int:pk>/edit/", views.forum_update, name="forum_update"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path(
        "<int:pk>/resolutions/new/", views.resolution_create, name="resolution_create"
    ),
    path("<int:pk>/report/", views.forum_report, name="forum_report"),
    path("resolutions/", views.resolution_list, name="resolution_list"),
    path("resolutions/<int:pk>/", views.resolution_detail, name="resolution_detail"),
    path(
        "resolutions/<int:pk>/edit/", views.resolution_update, name="resolution_update"
    ),
    path("resolutions/<int:pk>/notes/", views.resolution_note, name="resolution_note"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_update, name="event_update"),
    path("events/<int:pk>/materials/new/", views.material_add, name="material_add"),
    path("events/<int:pk>/certificates/", views.certificates, name="certificates"),
    path("materials/<int:pk>/", views.material_download, name="material_download"),
    path("<gathering:kind>/<int:pk>/register/", views.register, name="register"),
    path(
        "<gathering:kind>/<int:pk>/participants/",
        views.participants,
        name="participants",
    ),
    path(
        "<gathering:kind>/<int:pk>/participants.<exportfmt:fmt>",
        views.participants_export,
        name="participants_export",
    ),
    path(
        "<gathering:kind>/<int:pk>/participants.pdf",
        views.participants_pdf,
        name="participants_pdf",
    ),
    path(
        "<gathering:kind>/<int:pk>/badges.pdf",
        views.badges,
        name="badges",
    ),
    path("registrations/", views.my_registrations, name="my_registrations"),
    path(
        "registrations/<int:pk>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "registrations/<int:pk>/confirm/",
        views.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "registrations/<int:pk>/attendance/",
        views.registration_attendance,
        name="registration_attendance",
    ),
    path("stats/", views.stats, name="stats"),
]
