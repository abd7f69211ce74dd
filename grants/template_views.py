"""Staff maintain the contract templates: each save of changed clauses is a new
version; contracts keep the version they were made from."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from alliance_portal.forms import apply_service_errors
from alliance_portal.permissions import is_staff_member, role_required

from . import services
from .models import ContractTemplate
from .template_forms import ContractTemplateForm


@role_required(is_staff_member)
def template_list(request):
    templates = (
        ContractTemplate.objects.select_related("call", "funder", "memorandum")
        .annotate(version_count=Count("versions"))
        .order_by("title", "pk")
    )
    return render(request, "grants/templates_list.html", {"templates": templates})


@role_required(is_staff_member)
def template_edit(request, pk=None):
    template = get_object_or_404(ContractTemplate, pk=pk) if pk else None
    form = ContractTemplateForm(request.POST or None, template=template)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template = services.contract_template_save(
                template=template,
                actor=request.user,
                title=data["title"],
                call=data["call"],
                funder=data["funder"],
                memorandum=data["memorandum"],
                clauses=form.clauses(),
                note=data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The contract template is saved."))
            return redirect("grants:template_edit", pk=template.pk)
    versions = (
        template.versions.select_related("created_by").annotate(
            contract_count=Count("grants")
        )
        if template
        else []
    )
    return render(
        request,
        "grants/template_form.html",
        {"form": form, "template": template, "versions": versions},
        status=400 if form.errors else 200,
    )
