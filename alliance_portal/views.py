from importlib import import_module
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from alliance_portal.private_files import file_response

from .models import DocumentJob, IssuedDocument, Notification
from .notifications import notifications_mark_read
from .permissions import is_staff_member, role_of


def home(request):
    """Each role lands on its own home page; visitors see the public one.

    An app that shows data there has a ``home.py`` with ``panel_context(request)``
    returning the context its ``partials/home.html`` needs.
    """
    role = role_of(request.user) or "public"
    context: dict = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.home":
                raise
            continue
        context.update(module.panel_context(request))
    return render(request, f"home/{role}.html", context)


@never_cache
def healthz(request):
    """Database and broker state as JSON: 200 when both answer, 503 otherwise."""
    from django.conf import settings

    state = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        state["database"] = f"error: {exc.__class__.__name__}"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        state["broker"] = "eager (in-process)"
    else:
        from .celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:
            state["broker"] = f"error: {exc.__class__.__name__}"
    healthy = not any(v.startswith("error") for v in state.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **state},
        status=200 if healthy else 503,
    )


def _visible_job(request, pk) -> DocumentJob:
    job = get_object_or_404(DocumentJob, pk=pk)
    if job.requested_by_id != request.user.pk and not is_staff_member(request.user):
        raise Http404
    return job


@login_required
def document_status(request, pk):
    """Progress of a generated document; htmx polls the partial until it is ready."""
    job = _visible_job(request, pk)
    if request.htmx:
        return render(request, "partials/document_status.html", {"job": job})
    return render(
        request,
        "documents/status.html",
        {"job": job, "back_url": _back_url(request)},
    )


def _back_url(request) -> str | None:
    """The page the person asked for the document on. The form's POST redirects here
    and the browser keeps that page as the referrer; a foreign or missing referrer
    (a bookmark, a reload) gives no link but the home page's."""
    referrer = request.headers.get("referer", "")
    if referrer and url_has_allowed_host_and_scheme(
        referrer,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        path = urlsplit(referrer).path
        if path != request.path:
            return referrer
    return None


@login_required
def document_download(request, pk):
    job = _visible_job(request, pk)
    if job.status != DocumentJob.Status.DONE:
        raise Http404
    return file_response(
        job.file, as_attachment=True, filename=job.filename, request=request
    )


@login_required
def issued_download(request, pk):
    """One issued version, exactly as issued, for those the owning app lets see its
    subject; its SHA-256 rides in ``Repr-Digest`` so a client can check the bytes."""
    import base64

    from .documents import can_download_issued

    document = get_object_or_404(IssuedDocument, pk=pk)
    if not can_download_issued(request.user, document):
        raise Http404
    response = file_response(
        document.file,
        filename=document.filename,
        content_type="application/pdf",
        as_attachment=True,
    )
    digest = base64.b64encode(bytes.fromhex(document.sha256)).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    return response


@require_POST
@login_required
def issued_reissue(request, pk):
    """Staff issue a new version of a document (a corrected name, a fixed layout)
    with the reason; the earlier versions stay as they were."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from .documents import REISSUABLE, can_download_issued, document_reissue

    document = get_object_or_404(IssuedDocument, pk=pk)
    if (
        not is_staff_member(request.user)
        or document.kind not in REISSUABLE
        or not can_download_issued(request.user, document)
    ):
        raise Http404
    reason = request.POST.get("reason", "").strip()
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    if not reason:
        messages.error(request, _("State the reason for the new version."))
        return redirect(back)
    job = document_reissue(document=document, reason=reason, user=request.user)
    return redirect("document_status", pk=job.pk)


@login_required
def notification_list(request):
    from django.core.paginator import Paginator

    page = Paginator(Notification.objects.filter(recipient=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page_obj": page})


@login_required
@require_POST
def notification_mark_read(request):
    from django.shortcuts import redirect

    # No id: "mark all". Ids: only real ones count, ASCII digits within a database
    # integer ("²".isdigit() is true), so garbage marks nothing rather than all.
    sent = request.POST.getlist("id")
    ids = (
        [int(i) for i in sent if i.isascii() and i.isdigit() and len(i) < 10]
        if sent
        else None
    )
    notifications_mark_read(user=request.user, ids=ids)
    return redirect("notifications")


def error_400(request, exception=None):
    return render(request, "errors/400.html", status=400)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)


@login_required
def notification_preferences(request):
    """Per kind of message: email at once, daily digest, or only the bell."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from .kinds import kind_label
    from .models import NotificationPreference
    from .notifications import preferences_save

    kinds = sorted(
        set(
            Notification.objects.filter(recipient=request.user).values_list(
                "kind", flat=True
            )
        )
        | set(
            NotificationPreference.objects.filter(user=request.user).values_list(
                "kind", flat=True
            )
        ),
        key=kind_label,
    )
    current = dict(
        NotificationPreference.objects.filter(user=request.user).values_list(
            "kind", "channel"
        )
    )
    if request.method == "POST":
        choices = {k: request.POST.get(f"kind-{k}", "email") for k in kinds}
        try:
            preferences_save(user=request.user, choices=choices)
        except ValueError:
            messages.error(request, _("Choose one of the offered delivery options."))
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("notification_preferences")
    rows = [(k, current.get(k, "email")) for k in kinds]
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "channels": NotificationPreference.Channel.choices},
    )


def _staff_only(request):
    from django.core.exceptions import PermissionDenied

    if not is_staff_member(request.user):
        raise PermissionDenied


@login_required
def deadlines(request):
    """Staff: what falls due across the portal in the next 30 days, and what was sent."""
    import datetime

    from django.core.paginator import Paginator
    from django.utils import timezone

    from .models import Reminder
    from .reminders import deadlines_between

    _staff_only(request)
    today = timezone.localdate()
    items = deadlines_between(today, today + datetime.timedelta(days=30))
    kinds = sorted({d.kind for d in items})
    kind = request.GET.get("kind", "")
    if kind:
        items = [d for d in items if d.kind == kind]
    sent = Reminder.objects.select_related("recipient").filter(
        status=Reminder.Status.SENT
    )
    if kind:
        sent = sent.filter(kind=kind)
    page = Paginator(sent.order_by("-sent_at"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/deadlines.html",
        {"items": items[:300], "kinds": kinds, "kind": kind, "page_obj": page},
    )
