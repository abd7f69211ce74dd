app_name = "memoranda"

urlpatterns: list = []
