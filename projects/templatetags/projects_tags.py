from django import template

from projects.models import Application, Call

register = template.Library()


@register.filter
def call_next_statuses(call: Call) -> list[tuple[str, str]]:
    return [(s, Call.Status(s).label) for s in Call.TRANSITIONS.get(call.status, ())]


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def status_label(value: str) -> str:
    try:
        return Application.Status(value).label
    except ValueError:
        return value


@register.simple_tag
def editor_progress(application: Application) -> dict:
    """The editor's section list: per section its title, whether it is open for
    editing, complete (nothing in it would stop submission) and its problems; the
    count of complete sections; problems outside any section (the call's deadline).
    A tag, not view context, so the list is the same on every editor page."""
    # Imported here: forms and services import this app's models at load time.
    from projects.forms import section_titles
    from projects.services.submission import submission_problems

    problems = submission_problems(application=application, call=application.call)
    titles = section_titles()
    sections = [
        {
            "key": key,
            "title": titles[key],
            "open": application.section_is_editable(key),
            "problems": [message for _field, message in problems.get(key, [])],
        }
        for key in Application.SECTIONS
    ]
    for s in sections:
        s["complete"] = not s["problems"]
    other = [
        message
        for key, items in problems.items()
        if key not in titles
        for _field, message in items
    ]
    return {
        "sections": sections,
        "complete": sum(1 for s in sections if s["complete"]),
        "total": len(sections),
        "problem_count": sum(len(items) for items in problems.values()),
        "other_problems": other,
    }


@register.filter
def cell_widget(bound_field, extra_class: str = ""):
    """A table cell's input: Bootstrap's small control, marked invalid when it has
    errors, and named by its label for screen readers (the label is the column's
    header)."""
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", "")
    base = "form-select" if input_type == "select" else "form-control"
    if input_type == "checkbox":
        base = "form-check-input"
    classes = [base, f"{base}-sm" if base != "form-check-input" else "", extra_class]
    if bound_field.errors:
        classes.append("is-invalid")
    attrs = {
        "class": " ".join(c for c in classes if c),
        "aria-label": str(bound_field.label),
    }
    if bound_field.errors:
        attrs["aria-describedby"] = f"{bound_field.auto_id}_error"
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def budget_line_amounts(row) -> dict:
    """A budget row's total (quantity × unit cost) and grant part (total − co-funding)
    from what the row holds, for the first paint; static/js/budget.js keeps them live."""
    from decimal import Decimal, InvalidOperation

    def number(name):
        try:
            return Decimal(str(row[name].value() or "0").replace(",", "."))
        except (InvalidOperation, ValueError):
            return Decimal(0)

    total = (number("quantity") * number("unit_cost")).quantize(Decimal("0.01"))
    return {"total": total, "grant": total - number("cofunding")}


@register.filter
def continue_section(application: Application) -> str:
    """Where «Continue editing» lands: on a returned application the first section
    staff reopened (what they asked to change), otherwise the general section."""
    if application.status == Application.Status.RETURNED:
        reopened = set(application.reopened_sections or [])
        for key in Application.SECTIONS:
            if key in reopened:
                return key
    return "general"


@register.simple_tag
def changes_since_returned(application: Application):
    """The leader's own "what I changed" since staff returned the application (the
    same per-field diff staff see on resubmission); None when it was not returned."""
    if application.status != Application.Status.RETURNED:
        return None
    from projects.content import application_content, content_diff
    from projects.selectors import returned_snapshot_of

    returned = returned_snapshot_of(application=application)
    if returned is None:
        return None
    return content_diff(returned.data, application_content(application))
