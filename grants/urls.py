from django.urls import path

from . import template_views, views

app_name = "grants"

urlpatterns = [
    path("", views.grant_list, name="list"),
    path("export/<str:fmt>/", views.grant_export, name="export"),
    path("my/", views.my_grants, name="my"),
    path("payments/", views.payments, name="payments"),
    path("new/<int:application_pk>/", views.grant_create, name="create"),
    path("<int:pk>/", views.grant_detail, name="detail"),
    path("<int:pk>/timeline/", views.grant_timeline, name="timeline"),
    path("<int:pk>/amount/", views.grant_amount, name="amount"),
    path("<int:pk>/budget/", views.grant_budget, name="budget"),
    path("<int:pk>/schedule/", views.grant_schedule, name="schedule"),
    path(
        "<int:pk>/contract/generate/",
        views.grant_generate_contract,
        name="contract_generate",
    ),
    path("<int:pk>/contract/<str:lang>/", views.grant_contract, name="contract"),
    path("<int:pk>/sign/", views.grant_sign, name="sign"),
    path("<int:pk>/scan/", views.grant_scan, name="scan"),
    path("<int:pk>/close/", views.grant_close, name="close"),
    path("<int:pk>/dossier/", views.grant_dossier, name="dossier"),
    path(
        "<int:pk>/expenditures/new/", views.expenditure_create, name="expenditure_new"
    ),
    path("<int:pk>/revisions/new/", views.revision_create, name="revision_new"),
    path("<int:pk>/reports/new/", views.report_create, name="report_new"),
    path("<int:pk>/monitoring/new/", views.monitoring_create, name="monitoring_new"),
    path("tranches/<int:pk>/confirm/", views.tranche_confirm, name="tranche_confirm"),
    path(
        "tranches/<int:pk>/<str:action>/", views.tranche_action, name="tranche_action"
    ),
    path(
        "expenditures/<int:pk>/receipt/",
        views.expenditure_receipt,
        name="receipt",
    ),
    path(
        "expenditures/<int:pk>/approve/",
        views.expenditure_approve_overspend,
        name="overspend_approve",
    ),
    path("revisions/<int:pk>/decide/", views.revision_decide, name="revision_decide"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/decide/", views.report_decide, name="report_decide"),
    path("photos/<int:pk>/", views.report_photo, name="photo"),
    path("templates/", template_views.template_list, name="templates"),
    path("templates/new/", template_views.template_edit, name="template_new"),
    path("templates/<int:pk>/", template_views.template_edit, name="template_edit"),
]
