"""Possible duplicates, found once when an application is submitted.

Comparing an application's texts with every other application of its call on every
view of the screening page cost seconds at 900 applications a call. Now the work is
done at submission and bounded: PostgreSQL's ``pg_trgm`` picks at most
:data:`MAX_CANDIDATES` applications of the call whose title or problem text shares
enough trigrams (GIN indexes, migration ``0005``), and only those are compared with
:func:`projects.content.similarity`. The result is stored as :class:`DuplicateFlag`
rows in both directions. SQLite (tests, the embedded default) has no trigrams and
compares with the call's other applications directly.
"""

from django.db import connection, transaction
from django.db.models import Q

from projects.content import similarity
from projects.models import Application, DuplicateFlag

THRESHOLD = 0.9
# Trigram similarity only preselects; the final ratio is difflib's.
TRIGRAM_THRESHOLD = 0.5
MAX_CANDIDATES = 20
_IGNORED = (Application.Status.DRAFT, Application.Status.WITHDRAWN)


def _candidate_ids(application: Application) -> list[int]:
    if connection.vendor != "postgresql":
        return list(
            Application.objects.filter(call_id=application.call_id)
            .exclude(pk=application.pk)
            .exclude(status__in=_IGNORED)
            .order_by("-pk")
            .values_list("pk", flat=True)[:500]
        )
    with connection.cursor() as cursor:
        # SET LOCAL lasts until the end of the caller's transaction.
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
            [str(TRIGRAM_THRESHOLD)],
        )
        cursor.execute(
            """
            SELECT id FROM projects_application
            WHERE call_id = %s AND id <> %s AND status NOT IN (%s, %s)
              AND (title %% %s OR problem %% %s)
            ORDER BY GREATEST(similarity(title, %s), similarity(problem, %s)) DESC
            LIMIT %s
            """,
            [
                application.call_id,
                application.pk,
                *_IGNORED,
                application.title,
                application.problem,
                application.title,
                application.problem,
                MAX_CANDIDATES,
            ],
        )
        return [row[0] for row in cursor.fetchall()]


@transaction.atomic
def application_flag_duplicates(*, application: Application) -> list[DuplicateFlag]:
    """Replace the stored duplicate flags of ``application`` (both directions) with
    the applications of its call whose title or problem text is near-identical
    (difflib ratio ≥ :data:`THRESHOLD`). Called by :func:`application_submit`."""
    DuplicateFlag.objects.filter(
        Q(application=application) | Q(other=application)
    ).delete()
    ids = _candidate_ids(application)
    others = Application.objects.filter(pk__in=ids).only("pk", "title", "problem")
    flags = []
    for other in others:
        ratio = max(
            similarity(application.title, other.title),
            similarity(application.problem, other.problem),
        )
        if ratio >= THRESHOLD:
            flags.append(
                DuplicateFlag(application=application, other=other, ratio=ratio)
            )
            flags.append(
                DuplicateFlag(application=other, other=application, ratio=ratio)
            )
    return DuplicateFlag.objects.bulk_create(flags)
