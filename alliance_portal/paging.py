"""Pages of long lists that cost the same on page 1 and page 500."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_over_ids(queryset: QuerySet, *, page_number, per_page: int) -> Page:
    """One page of ``queryset``, cut over ids alone, then only its rows loaded with
    the queryset's joins and annotations. A money subquery annotated on a whole
    table is otherwise computed by PostgreSQL for every row before it sorts and
    skips to the page."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(
        page_number
    )
    ids = list(page.object_list)
    by_id = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
    page.object_list = [by_id[i] for i in ids if i in by_id]
    return page
