from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("district/<int:pk>/", views.district_projects, name="district"),
    path("project/<int:pk>/", views.project_detail, name="project"),
    path("export/<str:kind>/", views.export, name="export"),
    path("transparency/", views.transparency, name="transparency"),
    path("open-data/<str:dataset>.<str:fmt>", views.open_data, name="open_data"),
]
