from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("start/", views.start, name="start"),
    path("create/", views.organisation_create, name="organisation_create"),
    path("join/", views.organisation_join, name="organisation_join"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("desk/<str:name>/", views.queue, name="queue"),
    path("desk/<str:name>/<int:pk>/", views.decide, name="decide"),
    path("o/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("o/<slug:slug>/logo/", views.organisation_logo, name="organisation_logo"),
    path("o/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "o/<slug:slug>/record/",
        views.organisation_staff_edit,
        name="organisation_staff_edit",
    ),
    path("o/<slug:slug>/requisites/", views.requisites_edit, name="requisites"),
    path("o/<slug:slug>/documents/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("o/<slug:slug>/legal/", views.organisation_legal_change, name="legal_change"),
    path("o/<slug:slug>/apply/", views.membership_apply, name="membership_apply"),
    path(
        "o/<slug:slug>/membership/", views.membership_action, name="membership_action"
    ),
]
