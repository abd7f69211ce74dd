"""The admin site has no door of its own: it logs in through allauth (password, TOTP
and the same rate limits), and it never shows a second factor's secret."""

from allauth.account.decorators import secure_admin_login
from allauth.mfa.models import Authenticator
from django.contrib import admin

from .models import SecurityEvent

admin.site.login = secure_admin_login(admin.site.login)

if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Who has which second factor, and when it was used: never its secret or codes.

    ``data`` holds the TOTP secret and the recovery-code seed, so it is excluded from
    every form and list; an administrator may only remove a lost authenticator."""

    raw_id_fields = ("user",)
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type", "created_at", "last_used_at")
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read-only: an event log nobody can edit or delete from the site."""

    list_display = ("at", "kind", "user", "login", "ip", "detail")
    list_filter = ("kind", "at")
    search_fields = ("login", "user__email", "detail", "ip")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
