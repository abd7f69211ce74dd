"""The automatic assignment algorithm: property-based tests of its invariants."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.assignment import ApplicationSlot, plan_assignments


@st.composite
def scenarios(draw, with_conflicts=True):
    n_experts = draw(st.integers(min_value=1, max_value=9))
    n_apps = draw(st.integers(min_value=0, max_value=12))
    k = draw(st.integers(min_value=1, max_value=4))
    experts = list(range(1, n_experts + 1))
    apps = list(range(100, 100 + n_apps))
    conflicts = set()
    if with_conflicts and apps:
        conflicts = draw(
            st.sets(st.tuples(st.sampled_from(experts), st.sampled_from(apps)))
        )
    return experts, apps, conflicts, k


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_never_a_conflicted_or_duplicate_assignment_and_need_met_where_possible(s):
    experts, apps, conflicts, k = s
    # when
    plan = plan_assignments(
        applications=[ApplicationSlot(a) for a in apps],
        experts=experts,
        conflicts=conflicts,
        min_reviews=k,
    )
    # then no pair is conflicted or repeated
    assert not set(plan) & conflicts
    assert len(plan) == len(set(plan))
    # and every application gets k experts, or every eligible one if fewer exist
    per_app = Counter(a for _, a in plan)
    for a in apps:
        eligible = sum(1 for e in experts if (e, a) not in conflicts)
        assert per_app[a] == min(k, eligible)


@settings(max_examples=300, deadline=None)
@given(scenarios(with_conflicts=False))
def test_load_is_balanced_within_one_without_conflicts(s):
    experts, apps, _, k = s
    plan = plan_assignments(
        applications=[ApplicationSlot(a) for a in apps],
        experts=experts,
        conflicts=set(),
        min_reviews=k,
    )
    load = Counter(e for e, _ in plan)
    loads = [load[e] for e in experts]
    assert max(loads) - min(loads) <= 1


@settings(max_examples=200, deadline=None)
@given(scenarios(with_conflicts=False), st.data())
def test_existing_assignments_are_counted_and_never_repeated(s, data):
    experts, apps, _, k = s
    slots = [
        ApplicationSlot(a, frozenset(data.draw(st.sets(st.sampled_from(experts)))))
        for a in apps
    ]
    plan = plan_assignments(
        applications=slots, experts=experts, conflicts=set(), min_reviews=k
    )
    for slot in slots:
        new = {e for e, a in plan if a == slot.id}
        assert not new & slot.assigned
        assert len(new) == max(0, min(k, len(experts)) - len(slot.assigned))


def test_one_conflicted_expert_of_four_is_left_out_of_that_application():
    # given 4 experts, 4 applications, 3 reviews each, expert 4 conflicted with app 101
    plan = plan_assignments(
        applications=[ApplicationSlot(a) for a in (100, 101, 102, 103)],
        experts=[1, 2, 3, 4],
        conflicts={(4, 101)},
        min_reviews=3,
    )
    # then app 101 gets experts 1–3 and the load is 3 each
    assert sorted(e for e, a in plan if a == 101) == [1, 2, 3]
    assert sorted(Counter(e for e, _ in plan).values()) == [3, 3, 3, 3]
