from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    # experts
    path("my/", views.my_assignments, name="my_assignments"),
    path(
        "my/calls/<int:call_pk>/conflicts/",
        views.declare_conflicts,
        name="declare_conflicts",
    ),
    path("my/<int:pk>/", views.assignment_review, name="assignment_review"),
    path(
        "my/<int:pk>/attachments/<int:attachment_pk>/",
        views.assignment_attachment,
        name="assignment_attachment",
    ),
    path("my/<int:pk>/decline/", views.assignment_decline, name="assignment_decline"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    # staff
    path("calls/", views.call_list, name="calls"),
    path("calls/<int:pk>/", views.call_manage, name="call_manage"),
    path("calls/<int:pk>/settings/", views.call_settings_edit, name="call_settings"),
    path("calls/<int:pk>/criteria/copy/", views.criteria_copy, name="criteria_copy"),
    path(
        "calls/<int:call_pk>/criteria/add/", views.criterion_edit, name="criterion_add"
    ),
    path("criteria/<int:pk>/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
    path("calls/<int:pk>/panel/add/", views.panel_add, name="panel_add"),
    path("calls/<int:pk>/panel/add-all/", views.panel_add_all, name="panel_add_all"),
    path("panel/<int:pk>/active/", views.panel_set_active, name="panel_set_active"),
    path("panel/<int:pk>/remove/", views.panel_remove, name="panel_remove"),
    path("calls/<int:pk>/assign/", views.assign_manual, name="assign_manual"),
    path("calls/<int:pk>/assign/auto/", views.assign_auto, name="assign_auto"),
    path("assignments/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("review/<int:pk>/reopen/", views.review_reopen, name="review_reopen"),
    path("calls/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/minutes/", views.session_minutes, name="session_minutes"),
    # staff and officials
    path("results/", views.results, name="results"),
    path("calls/<int:pk>/ranking/", views.ranking, name="ranking"),
    # applicants
    path("feedback/<int:pk>/", views.feedback, name="feedback"),
]
