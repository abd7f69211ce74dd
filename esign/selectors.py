"""Every read of the esign app, scoped to the user."""

from django.db.models import Prefetch, Q

from alliance_portal.documents import can_download_issued
from alliance_portal.models import IssuedDocument
from alliance_portal.permissions import is_staff_member

from .models import Signature, SigningRequest


def waiting_for(*, user):
    """The requests this user must still sign, oldest first."""
    return (
        SigningRequest.objects.filter(signer=user, state=SigningRequest.State.PENDING)
        .select_related("document")
        .order_by("requested_at")
    )


def request_for_signer(*, user, pk: int) -> SigningRequest:
    return SigningRequest.objects.select_related("document").get(pk=pk, signer=user)


def can_see_signatures(user, document: IssuedDocument) -> bool:
    """Staff, anyone asked to sign it, and whoever may download the document itself."""
    if not user.is_authenticated:
        return False
    if is_staff_member(user):
        return True
    if document.signing_requests.filter(signer=user).exists():
        return True
    return can_download_issued(user, document)


def requests_of(document: IssuedDocument):
    """The document's requests with their signatures, for the panel (two queries)."""
    return (
        document.signing_requests.select_related("signer")
        .prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.order_by("-verified_at"))
        )
        .order_by("pk")
    )


def valid_signatures(document: IssuedDocument):
    return (
        Signature.objects.filter(request__document=document, status="valid")
        .exclude(request__state=SigningRequest.State.CANCELLED)
        .select_related("request")
        .order_by("request_id")
    )


def documents_awaiting(*, user):
    """Documents with an open request (staff's list)."""
    return (
        IssuedDocument.objects.filter(
            Q(signing_requests__state=SigningRequest.State.PENDING)
        )
        .distinct()
        .order_by("-issued_at")
    )
