import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance_portal.forms import apply_service_errors
from alliance_portal.models import IssuedDocument
from alliance_portal.permissions import is_staff_member, role_required
from alliance_portal.private_files import file_response

from . import copies, selectors, services
from .forms import RequestForm, SubmitForm, VerifyForm
from .models import SigningRequest
from .trust import configured_store, unavailable_reason
from .verify import verify_signature


@require_http_methods(["GET", "POST"])
def public_verify(request):
    """The page the QR code of a signature sheet leads to: upload a PDF and its .cms."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    context = {"form": form, "unavailable": unavailable_reason()}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["document"].read()
        context["sha256"] = hashlib.sha256(data).hexdigest()
        context["verdict"] = verify_signature(
            data=data,
            cms=form.cleaned_data["signature"].read(),
            store=None if context["unavailable"] else configured_store(),
        )
        context["issued"] = IssuedDocument.objects.filter(
            sha256=context["sha256"]
        ).first()
    status = 400 if form.errors else 200
    return render(request, "esign/verify.html", context, status=status)


@login_required
def waiting(request):
    return render(
        request,
        "esign/waiting.html",
        {"requests": selectors.waiting_for(user=request.user)},
    )


def _own_request(request, pk) -> SigningRequest:
    try:
        return selectors.request_for_signer(user=request.user, pk=pk)
    except SigningRequest.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def sign(request, pk):
    """The signer's page: the document, the key check, and the button for NCALayer."""
    signing_request = _own_request(request, pk)
    response = render(
        request,
        "esign/sign.html",
        {
            "req": signing_request,
            "document": signing_request.document,
            "unavailable": unavailable_reason(),
            "ncalayer_url": _ncalayer_url(),
            "locale": get_language(),
            "attempts": signing_request.signatures.order_by("-verified_at"),
        },
    )
    response["Content-Security-Policy"] = _policy_with_ncalayer()
    return response


# KAZTOKEN's local HTTP API, which the NCALayer client probes before signing.
KMD_HTTP_API = "https://127.0.0.1:24680"


def _policy_with_ncalayer() -> str:
    """The portal's policy, letting this one page reach NCALayer on the signer's computer."""
    from django.conf import settings

    return settings.CONTENT_SECURITY_POLICY.replace(
        "connect-src 'self'",
        f"connect-src 'self' {settings.ESIGN_NCALAYER_URL} {KMD_HTTP_API}",
    )


def _ncalayer_url() -> str:
    from django.conf import settings

    return settings.ESIGN_NCALAYER_URL


@login_required
def request_pdf(request, pk):
    """The exact bytes to sign, for the signer's page (NCALayer signs these)."""
    document = _own_request(request, pk).document
    return file_response(document.file, filename=document.filename, as_attachment=True)


@login_required
@require_POST
def submit(request, pk):
    signing_request = _own_request(request, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return JsonResponse(
            {"ok": False, "message": _("No signature was received.")}, status=400
        )
    try:
        signature = services.signature_submit(
            request=signing_request, cms=form.cleaned_data["cms"], actor=request.user
        )
    except ValidationError as exc:
        return JsonResponse(
            {"ok": False, "message": " ".join(exc.messages)}, status=400
        )
    if signature.is_valid:
        messages.success(request, _("Your signature is verified and recorded."))
    return JsonResponse(
        {
            "ok": signature.is_valid,
            "message": str(signature.message),
            "redirect": reverse("esign:document", args=[signing_request.document_id])
            if signature.is_valid
            else reverse("esign:sign", args=[signing_request.pk]),
        },
        status=200 if signature.is_valid else 400,
    )


def _visible_document(request, pk) -> IssuedDocument:
    document = get_object_or_404(IssuedDocument, pk=pk)
    if not selectors.can_see_signatures(request.user, document):
        raise Http404
    return document


@login_required
def document(request, pk):
    """The signature panel of one issued document version."""
    doc = _visible_document(request, pk)
    form = RequestForm() if is_staff_member(request.user) else None
    return _render_document(request, doc, form)


def _render_document(request, doc, form, *, status=200):
    return render(
        request,
        "esign/document.html",
        {
            "document": doc,
            "requests": list(selectors.requests_of(doc)),
            "fully_signed": services.is_fully_signed(doc),
            "form": form,
            "unavailable": unavailable_reason(),
        },
        status=status,
    )


@role_required(is_staff_member)
@require_POST
def request_create(request, pk):
    doc = get_object_or_404(IssuedDocument, pk=pk)
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            services.signing_request_create(
                document=doc, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The signer is asked to sign."))
            return redirect("esign:document", pk=doc.pk)
    return _render_document(request, doc, form, status=400)


@role_required(is_staff_member)
@require_POST
def request_cancel(request, pk):
    signing_request = get_object_or_404(SigningRequest, pk=pk)
    try:
        services.signing_request_cancel(request=signing_request, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request is cancelled."))
    return redirect("esign:document", pk=signing_request.document_id)


@login_required
def signed_zip(request, pk):
    doc = _visible_document(request, pk)
    response = HttpResponse(copies.signed_zip(doc), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{doc.number}-signed.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def signed_copy(request, pk):
    doc = _visible_document(request, pk)
    verify_url = request.build_absolute_uri(reverse("esign:verify"))
    response = HttpResponse(
        copies.signed_copy(doc, verify_url=verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{doc.number}-signed-copy.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
