from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Sends every role to its own home page after login."""

    def get_login_redirect_url(self, request):
        return reverse("home")
