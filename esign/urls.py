from django.urls import path

from . import views

app_name = "esign"

urlpatterns = [
    path("verify/", views.public_verify, name="verify"),
    path("waiting/", views.waiting, name="waiting"),
    path("requests/<int:pk>/", views.sign, name="sign"),
    path("requests/<int:pk>/document.pdf", views.request_pdf, name="request_pdf"),
    path("requests/<int:pk>/submit/", views.submit, name="submit"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/request/", views.request_create, name="request_create"),
    path("documents/<int:pk>/signed.zip", views.signed_zip, name="signed_zip"),
    path("documents/<int:pk>/signed-copy.pdf", views.signed_copy, name="signed_copy"),
]
