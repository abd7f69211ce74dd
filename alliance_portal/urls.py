from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("documents/<uuid:pk>/", views.document_status, name="document_status"),
    path(
        "documents/<uuid:pk>/download/",
        views.document_download,
        name="document_download",
    ),
    path(
        "documents/issued/<int:pk>/",
        views.issued_download,
        name="issued_download",
    ),
    path(
        "documents/issued/<int:pk>/reissue/",
        views.issued_reissue,
        name="issued_reissue",
    ),
    path("notifications/", views.notification_list, name="notifications"),
    path(
        "notifications/read/", views.notification_mark_read, name="notifications_read"
    ),
    path(
        "notifications/settings/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("members/", include("members.urls")),
    path("memoranda/", include("memoranda.urls")),
    path("projects/", include("projects.urls")),
    path("reviews/", include("reviews.urls")),
    path("grants/", include("grants.urls")),
    path("forums/", include("forums.urls")),
    path("resources/", include("resources.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("esign/", include("esign.urls")),
)

handler400 = "alliance_portal.views.error_400"
handler403 = "alliance_portal.views.error_403"
handler404 = "alliance_portal.views.error_404"
handler500 = "alliance_portal.views.error_500"

if settings.DEBUG:
    urlpatterns += [path("__errors__/500/", views.error_500)]
