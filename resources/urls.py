from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("news/", views.news_list, name="news_list"),
    path("news/new/", views.news_create, name="news_create"),
    path("news/feed.atom", views.NewsFeed(), name="news_feed"),
    path("news/digest/", views.news_digest, name="news_digest"),
    path("news/<int:pk>/", views.news_detail, name="news_detail"),
    path("news/<int:pk>/edit/", views.news_update, name="news_update"),
    path("news/<int:pk>/publish/", views.news_publish, name="news_publish"),
    path("news/<int:pk>/image/", views.news_image, name="news_image"),
    path(
        "news/<int:pk>/files/<int:attachment_pk>/",
        views.news_attachment,
        name="news_attachment",
    ),
    path("library/", views.material_list, name="material_list"),
    path("library/new/", views.material_create, name="material_create"),
    path("library/<int:pk>/", views.material_detail, name="material_detail"),
    path("library/<int:pk>/edit/", views.material_update, name="material_update"),
    path(
        "library/<int:pk>/download/", views.material_download, name="material_download"
    ),
    path(
        "library/<int:pk>/v<int:number>/download/",
        views.material_download,
        name="material_version_download",
    ),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/ask/", views.consultation_ask, name="consultation_ask"),
    path(
        "consultations/<int:pk>/",
        views.consultation_detail,
        name="consultation_detail",
    ),
    path(
        "consultations/<int:pk>/assign/",
        views.consultation_assign,
        name="consultation_assign",
    ),
    path(
        "consultations/<int:pk>/answer/",
        views.consultation_answer,
        name="consultation_answer",
    ),
    path(
        "consultations/<int:pk>/close/",
        views.consultation_close,
        name="consultation_close",
    ),
    path(
        "consultations/<int:pk>/rate/",
        views.consultation_rate,
        name="consultation_rate",
    ),
    path("consultations/<int:pk>/faq/", views.faq_create, name="faq_create"),
    path("faq/", views.faq_list, name="faq_list"),
    path("faq/<int:pk>/approve/", views.faq_approve, name="faq_approve"),
    path("bookings/", views.booking_list, name="booking_list"),
    path("bookings/calendar/", views.booking_calendar, name="booking_calendar"),
    path("bookings/new/", views.booking_create, name="booking_create"),
    path("bookings/<int:pk>/decide/", views.booking_decide, name="booking_decide"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("akim/", views.meeting_list, name="meeting_list"),
    path("akim/new/", views.meeting_create, name="meeting_create"),
    path("akim/<int:year>/", views.meeting_detail, name="meeting_detail"),
    path("akim/<int:year>/propose/", views.proposal_submit, name="proposal_submit"),
    path("akim/<int:year>/forward/", views.proposals_forward, name="proposals_forward"),
    path("akim/<int:year>/report/", views.proposal_report, name="proposal_report"),
    path("akim/proposals/<int:pk>/group/", views.proposal_group, name="proposal_group"),
    path(
        "akim/proposals/<int:pk>/follow-up/",
        views.proposal_follow_up,
        name="proposal_follow_up",
    ),
    path("state-report/", views.state_report_index, name="state_report_index"),
    path(
        "state-report/<slug:slug>/<int:year>/",
        views.state_report,
        name="state_report",
    ),
    path(
        "state-report/<slug:slug>/<int:year>/xlsx/",
        views.state_report_xlsx,
        name="state_report_xlsx",
    ),
]
