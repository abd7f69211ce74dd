from django.conf import settings

from .permissions import Role, role_of


def portal(request):
    user = getattr(request, "user", None)
    role = role_of(user)
    unread = 0
    if role is not None:
        from .notifications import unread_count

        unread = unread_count(user=user)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "user_role": role,
        "Role": Role,
        "unread_notifications": unread,
        # Each language in its own name ("English", not its Kazakh translation).
        "LANGUAGE_CHOICES": settings.LANGUAGES,
    }
