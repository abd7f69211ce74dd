"""The automatic assignment of experts to applications, as a pure function.

Greedy and deterministic: the applications with the fewest eligible experts are served
first, and each takes the least-loaded eligible experts (ties by id). Without conflicts
this keeps every expert's load within one of every other's (see the property tests);
with conflicts it still never assigns a conflicted or duplicate pair.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ApplicationSlot:
    id: Hashable
    # Experts already holding an active assignment on this application.
    assigned: frozenset = field(default_factory=frozenset)


def plan_assignments(
    *,
    applications: Sequence[ApplicationSlot],
    experts: Sequence[Hashable],
    conflicts: Iterable[tuple[Hashable, Hashable]],
    load: Mapping[Hashable, int] | None = None,
    min_reviews: int,
) -> list[tuple[Hashable, Hashable]]:
    """Return new (expert, application) pairs that bring every application up to
    ``min_reviews`` where enough eligible experts exist.

    ``conflicts`` holds (expert, application) pairs that must never be assigned;
    ``load`` is each expert's current number of active assignments.
    """
    blocked = set(conflicts)
    current = {e: (load or {}).get(e, 0) for e in experts}
    order = sorted(experts, key=lambda e: str(e))

    def eligible(app: ApplicationSlot) -> list:
        return [
            e for e in order if e not in app.assigned and (e, app.id) not in blocked
        ]

    queue = sorted(applications, key=lambda a: (len(eligible(a)), str(a.id)))
    plan: list[tuple[Hashable, Hashable]] = []
    for app in queue:
        need = min_reviews - len(app.assigned)
        if need <= 0:
            continue
        candidates = sorted(eligible(app), key=lambda e: (current[e], str(e)))
        for expert in candidates[:need]:
            current[expert] += 1
            plan.append((expert, app.id))
    return plan
