from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("calls/", views.call_list, name="call_list"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/apply/", views.application_apply, name="apply"),
    path("manage/calls/", views.call_manage_list, name="call_manage_list"),
    path("manage/calls/new/", views.call_create, name="call_create"),
    path("manage/calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("manage/calls/<int:pk>/status/", views.call_status, name="call_status"),
    path("my/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/edit/<slug:section>/",
        views.section_edit,
        name="section_edit",
    ),
    path(
        "applications/<int:pk>/attachments/",
        views.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "attachments/<int:pk>/", views.attachment_download, name="attachment_download"
    ),
    path(
        "attachments/<int:pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"
    ),
    path("applications/<int:pk>/pdf/", views.application_pdf, name="pdf"),
    path("screening/", views.screening_list, name="screening_list"),
    path("screening/export.<str:fmt>", views.screening_export, name="screening_export"),
    path("screening/<int:pk>/", views.screen, name="screen"),
    path("screening/<int:pk>/return/", views.screen_return, name="screen_return"),
    path("screening/<int:pk>/admit/", views.screen_admit, name="screen_admit"),
    path("screening/<int:pk>/reject/", views.screen_reject, name="screen_reject"),
]
