"""Possible duplicates, found once when an application is submitted.

Comparing an application's texts with every other application of its call with
difflib on every view of the screening page cost seconds at 500 applications a call
with ~1,900-character problem texts. Now the work is done at submission and stays
small whatever the texts:

- titles are short: difflib compares them with the call's other titles directly;
- problem texts carry a MinHash signature (:data:`SIGNATURE_SIZE` minimum hashes of
  their three-word shingles, 256 bytes, stored on the row). Signatures estimate how
  many shingles two texts share; only the applications whose estimate reaches
  :data:`CANDIDATE_JACCARD` (at most :data:`MAX_CANDIDATES`) are compared with
  difflib.

The final test is the one the page always used: difflib ratio ≥ :data:`THRESHOLD` of
the title or of the problem text. Flags are stored as :class:`DuplicateFlag` rows in
both directions. The same code runs on PostgreSQL and SQLite.
"""

import hashlib
import re
import struct
from difflib import SequenceMatcher

from django.db import transaction
from django.db.models import Q

from projects.content import similarity
from projects.models import Application, DuplicateFlag

THRESHOLD = 0.9
# A copy with difflib ratio ≥ 0.9 keeps well over half of its three-word shingles;
# each candidate costs difflib ~50 ms on 1,900 characters.
CANDIDATE_JACCARD = 0.5
MAX_CANDIDATES = 5
SIGNATURE_SIZE = 32
_PRIME = (1 << 61) - 1
# Fixed coefficients: signatures stored years apart must stay comparable.
_COEFFICIENTS = [
    (
        int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest()) | 1,
        int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest()),
    )
    for i in range(SIGNATURE_SIZE)
]
_IGNORED = (Application.Status.DRAFT, Application.Status.WITHDRAWN)
_WORD = re.compile(r"\w+")


def problem_signature(text: str) -> bytes:
    """The MinHash signature of ``text`` (empty for an empty text)."""
    words = _WORD.findall((text or "").casefold())
    if not words:
        return b""
    shingles = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
    hashes = [
        int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest())
        for s in shingles
    ]
    return struct.pack(
        f">{SIGNATURE_SIZE}Q",
        *(min((a * h + b) % _PRIME for h in hashes) for a, b in _COEFFICIENTS),
    )


def _estimated_jaccard(first: bytes, second: bytes) -> float:
    if not first or not second:
        return 0.0
    a = struct.unpack(f">{SIGNATURE_SIZE}Q", first)
    b = struct.unpack(f">{SIGNATURE_SIZE}Q", second)
    return sum(x == y for x, y in zip(a, b, strict=True)) / SIGNATURE_SIZE


def _title_ratio(a: str, b: str) -> float:
    a, b = (a or "").strip().casefold(), (b or "").strip().casefold()
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # Cheap upper bounds first: most titles are nothing alike.
    if matcher.real_quick_ratio() < THRESHOLD or matcher.quick_ratio() < THRESHOLD:
        return 0.0
    return matcher.ratio()


@transaction.atomic
def application_flag_duplicates(*, application: Application) -> list[DuplicateFlag]:
    """Replace the stored duplicate flags of ``application`` (both directions) with
    the applications of its call whose title or problem text is near-identical
    (difflib ratio ≥ :data:`THRESHOLD`). Called by :func:`application_submit`."""
    application.problem_signature = problem_signature(application.problem)
    Application.objects.filter(pk=application.pk).update(
        problem_signature=application.problem_signature
    )
    DuplicateFlag.objects.filter(
        Q(application=application) | Q(other=application)
    ).delete()
    others = (
        Application.objects.filter(call_id=application.call_id)
        .exclude(pk=application.pk)
        .exclude(status__in=_IGNORED)
    )
    # Applications submitted before signatures existed get theirs once.
    unsigned = list(others.filter(problem_signature=b"").only("pk", "problem"))
    for other in unsigned:
        other.problem_signature = problem_signature(other.problem)
    Application.objects.bulk_update(unsigned, ["problem_signature"], batch_size=500)

    ratios: dict[int, float] = {}
    estimates = []
    for pk, title, signature in others.values_list("pk", "title", "problem_signature"):
        title_ratio = _title_ratio(application.title, title)
        if title_ratio >= THRESHOLD:
            ratios[pk] = title_ratio
        estimate = _estimated_jaccard(application.problem_signature, bytes(signature))
        if estimate >= CANDIDATE_JACCARD:
            estimates.append((estimate, pk))
    candidates = [pk for _e, pk in sorted(estimates, reverse=True)[:MAX_CANDIDATES]]
    for pk, problem in Application.objects.filter(pk__in=candidates).values_list(
        "pk", "problem"
    ):
        ratios[pk] = max(ratios.get(pk, 0.0), similarity(application.problem, problem))
    flags = []
    for pk, ratio in ratios.items():
        if ratio >= THRESHOLD:
            flags.append(
                DuplicateFlag(application=application, other_id=pk, ratio=ratio)
            )
            flags.append(
                DuplicateFlag(application_id=pk, other=application, ratio=ratio)
            )
    return DuplicateFlag.objects.bulk_create(flags)
