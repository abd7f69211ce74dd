import hashlib

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .forms import VerifyForm
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
    status = 400 if form.errors else 200
    return render(request, "esign/verify.html", context, status=status)
