"""Personal data pages: the privacy notice, a person's own data (download, erasure
request) and the staff's decisions on erasure requests."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance_portal import personal_data
from alliance_portal.forms import apply_service_errors
from alliance_portal.models import SecurityEvent
from alliance_portal.permissions import is_staff_member, role_required
from alliance_portal.security import record_event

from . import privacy
from .models import ErasureRequest


class ErasureForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("note for the staff (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ErasureDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("decision"),
        choices=[
            (ErasureRequest.Status.DONE, gettext_lazy("Erase")),
            (
                ErasureRequest.Status.PARTLY,
                gettext_lazy("Erase, keep what must be kept"),
            ),
            (ErasureRequest.Status.REFUSED, gettext_lazy("Refuse")),
        ],
    )
    reason = forms.CharField(
        label=gettext_lazy("what is kept and why (shown to the person)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def notice(request):
    return render(
        request,
        "members/privacy_notice.html",
        {"version": privacy.notice_version()},
    )


@login_required
def my_data(request):
    return render(
        request,
        "members/privacy_my_data.html",
        {
            "consents": request.user.consents.all(),
            "requests": request.user.erasure_requests.select_related("decided_by"),
            "form": ErasureForm(),
        },
    )


@login_required
def my_data_download(request):
    """Everything the portal holds about the signed-in person, as JSON; logged."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "privacy_notice_version": privacy.notice_version(),
        **personal_data.collect(request.user),
    }
    record_event(
        request,
        SecurityEvent.Kind.DATA_EXPORT,
        user=request.user,
        login=request.user.email,
        detail="own personal data",
    )
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, "my-personal-data.json"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def erasure_request(request):
    form = ErasureForm(request.POST)
    if form.is_valid():
        privacy.erasure_request(user=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Your request is recorded; staff will decide."))
    return redirect("members:privacy_my_data")


@role_required(is_staff_member)
def erasure_queue(request):
    return render(
        request,
        "members/privacy_requests.html",
        {
            "pending": ErasureRequest.objects.filter(
                status=ErasureRequest.Status.PENDING
            ).select_related("user"),
            "decided": ErasureRequest.objects.exclude(
                status=ErasureRequest.Status.PENDING
            ).select_related("user", "decided_by")[:50],
            "form": ErasureDecisionForm(),
        },
    )


@role_required(is_staff_member)
@require_POST
def erasure_decide(request, pk):
    erasure = get_object_or_404(ErasureRequest, pk=pk)
    form = ErasureDecisionForm(request.POST)
    if form.is_valid():
        try:
            privacy.erasure_decide(
                request=erasure,
                actor=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("members:privacy_requests")
    messages.error(
        request, " ".join(m for errors in form.errors.values() for m in errors)
    )
    return redirect("members:privacy_requests")
