"""Every write of the esign app: asking for a signature, recording one, cancelling."""

import hashlib
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from alliance_portal.documents import latest_issued
from alliance_portal.models import IssuedDocument
from alliance_portal.notifications import notify
from members.validators import is_valid_bin

from .models import Signature, SigningRequest
from .trust import configured_store, unavailable_reason
from .verify import Expected, Status, verify_signature

# Callbacks of the apps above, by document kind: run in the transaction that records
# the last valid signature (e.g. grants marks its contract signed, so money may move).
_on_fully_signed: dict[str, list[Callable]] = {}


def on_fully_signed(kind: str):
    def decorator(func: Callable) -> Callable:
        _on_fully_signed.setdefault(kind, []).append(func)
        return func

    return decorator


def _open_requests(document: IssuedDocument):
    return document.signing_requests.exclude(state=SigningRequest.State.CANCELLED)


def is_fully_signed(document: IssuedDocument) -> bool:
    states = list(_open_requests(document).values_list("state", flat=True))
    return bool(states) and all(s == SigningRequest.State.SIGNED for s in states)


@transaction.atomic
def signing_request_create(
    *,
    document: IssuedDocument,
    party: str,
    signer,
    actor,
    expected_iin: str = "",
    expected_bin: str = "",
) -> SigningRequest:
    """Ask ``signer`` to sign the latest version of ``document``. The IIN (a person) or
    the BIN (an organisation, signed by its head or someone who may sign) is what the
    certificate must show; the portal account only decides who sees the request."""
    expected_iin, expected_bin = expected_iin.strip(), expected_bin.strip()
    errors = {}
    if not expected_iin and not expected_bin:
        errors["expected_iin"] = _("Give the signer's IIN or the organisation's BIN.")
    if expected_iin and not is_valid_bin(expected_iin):
        errors["expected_iin"] = _(
            "This IIN is not valid: 12 digits with a check digit."
        )
    if expected_bin and not is_valid_bin(expected_bin):
        errors["expected_bin"] = _(
            "This BIN is not valid: 12 digits with a check digit."
        )
    latest = latest_issued(
        kind=document.kind, subject=document.subject, variant=document.variant
    )
    if latest is None or latest.pk != document.pk:
        errors["__all__"] = _("Signatures are asked for the latest version only.")
    if _open_requests(document).filter(party=party).exists():
        errors["party"] = _("This party has already been asked to sign this document.")
    if errors:
        raise ValidationError(errors)
    request = SigningRequest.objects.create(
        document=document,
        party=party,
        signer=signer,
        expected_iin=expected_iin,
        expected_bin=expected_bin,
        requested_by=actor,
    )
    notify(
        user=signer,
        kind="esign.requested",
        title=format_lazy(
            _("A document waits for your signature: {number}"), number=document.number
        ),
        url=request_url(request),
    )
    return request


def request_url(request: SigningRequest) -> str:
    from django.urls import reverse

    return reverse("esign:sign", args=[request.pk])


@transaction.atomic
def signing_request_cancel(*, request: SigningRequest, actor) -> SigningRequest:
    request = SigningRequest.objects.select_for_update().get(pk=request.pk)
    if request.state == SigningRequest.State.SIGNED:
        raise ValidationError(_("A signed request cannot be cancelled."))
    request.state = SigningRequest.State.CANCELLED
    request.save(update_fields=["state"])
    return request


@transaction.atomic
def signature_submit(*, request: SigningRequest, cms: bytes | str, actor) -> Signature:
    """Verify ``cms`` over the stored bytes of the document and record it with its
    verdict, valid or not. A valid one signs the request; the last one signs the
    document and runs the callbacks registered for its kind."""
    request = (
        SigningRequest.objects.select_for_update()
        .select_related("document")
        .get(pk=request.pk)
    )
    if actor.pk != request.signer_id:
        raise ValidationError(_("Only the requested signer can sign here."))
    if request.state != SigningRequest.State.PENDING:
        raise ValidationError(_("This request is no longer waiting for a signature."))
    reason = unavailable_reason()
    if reason:
        raise ValidationError(
            _("Signing is unavailable: the certification authority is not configured.")
        )
    document = request.document
    latest = latest_issued(
        kind=document.kind, subject=document.subject, variant=document.variant
    )
    if latest is None or latest.pk != document.pk:
        raise ValidationError(
            _("A newer version of this document was issued: sign that one instead.")
        )
    with document.file.open("rb") as handle:
        data = handle.read()
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 != document.sha256:
        # The stored file is not what was issued: nothing may be signed over it.
        raise ValidationError(_("The stored document does not match its issued hash."))
    verdict = verify_signature(
        data=data,
        cms=cms,
        store=configured_store(),
        expected=Expected(iin=request.expected_iin, bin=request.expected_bin),
    )
    holder = verdict.holder
    signature = Signature.objects.create(
        request=request,
        cms=cms.encode() if isinstance(cms, str) else bytes(cms),
        document_sha256=sha256,
        status=verdict.status,
        reason=verdict.reason,
        signer_name=" ".join(filter(None, [holder.common_name, holder.patronymic]))
        if holder
        else "",
        signer_iin=holder.iin if holder else "",
        organisation=holder.organisation if holder else "",
        organisation_bin=holder.bin if holder else "",
        roles=sorted(holder.roles) if holder else [],
        certificate_serial=verdict.certificate_serial,
        signed_at=verdict.signed_at,
        time_source=verdict.time_source,
        revocation_checked=verdict.revocation_checked,
        algorithm=verdict.algorithm,
        submitted_by=actor,
    )
    if verdict.status != Status.VALID:
        return signature
    request.state = SigningRequest.State.SIGNED
    request.signed_at = verdict.signed_at or timezone.now()
    request.save(update_fields=["state", "signed_at"])
    if is_fully_signed(document):
        for callback in _on_fully_signed.get(document.kind, []):
            callback(document=document, actor=actor)
        notify(
            user=request.requested_by,
            kind="esign.completed",
            title=format_lazy(
                _("All signatures are in: {number}"), number=document.number
            ),
            url=document_url(document),
        )
    return signature


def document_url(document: IssuedDocument) -> str:
    from django.urls import reverse

    return reverse("esign:document", args=[document.pk])
