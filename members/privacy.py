"""Personal data: consents, the person's own export and erasure requests (services)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Consent, ErasureRequest, User


def notice_version() -> str:
    return settings.PRIVACY_NOTICE_VERSION


def consent_record(
    *,
    context: str,
    subject: User | None = None,
    subject_name: str = "",
    entered_by: User | None = None,
    object_ref: str = "",
) -> Consent:
    """Record a consent under today's version of the privacy notice."""
    return Consent.objects.create(
        subject=subject,
        subject_name=subject_name[:200],
        context=context,
        text_version=notice_version(),
        entered_by=entered_by,
        object_ref=object_ref[:100],
    )


@transaction.atomic
def erasure_request(*, user: User, note: str = "") -> ErasureRequest:
    """Ask for erasure; a second request while one waits is the same request."""
    User.objects.select_for_update().get(pk=user.pk)
    pending = ErasureRequest.objects.filter(
        user=user, status=ErasureRequest.Status.PENDING
    ).first()
    if pending is not None:
        return pending
    return ErasureRequest.objects.create(user=user, note=note.strip()[:2000])


def _anonymise(user: User) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from alliance_portal.models import Notification, NotificationPreference

    user.full_name = ""
    user.phone = ""
    user.email = f"erased-{user.pk}@erased.invalid"
    user.is_active = False
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()


@transaction.atomic
def erasure_decide(
    *, request: ErasureRequest, actor: User, status: str, reason: str
) -> ErasureRequest:
    """Staff decide. ``done`` and ``partly`` anonymise the account (name, email,
    phone, login, second factor, notifications); records the law or an audit needs
    (applications, grants and their money trail, consents) stay, tied to an account
    that no longer names the person. ``partly`` and ``refused`` need the reason, which
    the person reads on their page."""
    locked = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ErasureRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if status not in {
        ErasureRequest.Status.DONE,
        ErasureRequest.Status.PARTLY,
        ErasureRequest.Status.REFUSED,
    }:
        raise ValidationError({"status": _("Choose a decision.")})
    if status != ErasureRequest.Status.DONE and not reason.strip():
        raise ValidationError(
            {"reason": _("Say what is kept and which law or audit requires it.")}
        )
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = reason.strip()[:500]
    locked.save()
    _tell_the_person(locked)
    if status != ErasureRequest.Status.REFUSED:
        _anonymise(locked.user)
    return locked


def _tell_the_person(request: ErasureRequest) -> None:
    """The decision and what is kept, by email to the address the person used, in
    their language (after erasure they can no longer sign in to read it)."""
    from django.core.mail import send_mail
    from django.utils import translation

    user = request.user
    address = user.email
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = str(_("Your request to delete your personal data"))
        body = str(
            _("Decision: %(status)s.") % {"status": request.get_status_display()}
        )
        if request.decision_reason:
            body += "\n" + str(
                _("Kept, and why: %(reason)s") % {"reason": request.decision_reason}
            )
    transaction.on_commit(
        lambda: send_mail(subject, body, None, [address], fail_silently=True)
    )
