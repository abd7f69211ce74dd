from django.urls import path

from . import views

app_name = "esign"

urlpatterns = [
    path("verify/", views.public_verify, name="verify"),
]
