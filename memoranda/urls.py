from django.urls import path

from . import views

app_name = "memoranda"

urlpatterns = [
    path("", views.memorandum_list, name="list"),
    path("new/", views.memorandum_create, name="create"),
    path("<int:pk>/", views.memorandum_detail, name="detail"),
    path("<int:pk>/edit/", views.memorandum_update, name="update"),
    path("<int:pk>/scan/", views.memorandum_scan, name="scan"),
    path("<int:pk>/pdf/<str:language>/", views.memorandum_pdf, name="pdf"),
    path(
        "<int:pk>/commitments/new/", views.commitment_create, name="commitment_create"
    ),
    path(
        "commitments/<int:pk>/edit/", views.commitment_update, name="commitment_update"
    ),
    path(
        "commitments/<int:pk>/progress/",
        views.commitment_progress,
        name="commitment_progress",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
