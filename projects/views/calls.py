"""Calls: the public list of open calls and staff management."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_portal.permissions import is_ngo_leader, is_staff_member, role_required
from members.selectors import organisations_of
from projects import selectors, services
from projects.forms import CallForm, RequiredDocumentFormSet
from projects.models import Call


def call_list(request):
    """Public: the calls open now."""
    calls = selectors.calls_public()
    return render(request, "projects/call_list.html", {"calls": calls})


def call_detail(request, pk):
    try:
        call = selectors.call_visible_to(user=request.user, pk=pk)
    except Call.DoesNotExist as exc:
        raise Http404 from exc
    organisations = (
        organisations_of(user=request.user) if is_ngo_leader(request.user) else None
    )
    context = {
        "call": call,
        "organisations": organisations,
        "accepting": call.accepts_submissions(),
    }
    if is_staff_member(request.user):
        context["status_history"] = selectors.call_status_history(call=call)
    return render(request, "projects/call_detail.html", context)


@role_required(is_staff_member)
def call_manage_list(request):
    page = Paginator(selectors.calls_for_staff(), 25).get_page(request.GET.get("page"))
    return render(
        request, "projects/call_manage_list.html", {"page_obj": page, "calls": page}
    )


def _call_form(request, call):
    form = CallForm(request.POST or None, instance=call)
    documents = RequiredDocumentFormSet(
        request.POST or None, instance=call, prefix="docs"
    )
    if request.method == "POST" and form.is_valid() and documents.is_valid():
        try:
            saved = services.call_save(form=form, documents=documents)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("projects:call_detail", pk=saved.pk)
    return render(
        request,
        "projects/call_form.html",
        {"form": form, "documents": documents, "call": call},
    )


@role_required(is_staff_member)
def call_create(request):
    return _call_form(request, Call())


@role_required(is_staff_member)
def call_edit(request, pk):
    return _call_form(request, get_object_or_404(Call, pk=pk))


@require_POST
@role_required(is_staff_member)
def call_status(request, pk):
    call = get_object_or_404(Call, pk=pk)
    to_status = request.POST.get("status", "")
    if to_status not in Call.Status.values:
        messages.error(request, _("Unknown status."))
    else:
        try:
            services.call_change_status(
                call=call,
                to_status=to_status,
                actor=request.user,
                comment=request.POST.get("comment", "")[:1000],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The call's status is changed."))
    return redirect("projects:call_detail", pk=call.pk)


@require_POST
@role_required(is_staff_member)
def call_delete(request, pk):
    call = get_object_or_404(Call, pk=pk)
    try:
        services.call_delete(call=call, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("projects:call_detail", pk=call.pk)
    messages.success(request, _("The call is deleted."))
    return redirect("projects:call_manage_list")
