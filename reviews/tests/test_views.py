import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance_portal.models import DocumentJob
from members.models import Affiliation
from projects.models import Application
from reviews import services
from reviews.models import (
    Assignment,
    CouncilDecision,
    CouncilSession,
    Criterion,
    Review,
)
from reviews.services import AttendanceInput, DecisionInput, ScoreInput
from reviews.tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CallFactory,
    CallReviewSettingsFactory,
    CriterionFactory,
    ExpertProfileFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "leader_owner",
    "leader_stranger",
    "expert",
    "expert_other",
    "staff",
    "fund_officer",
    "official",
    "admin",
]


@pytest.fixture
def world(make_user):
    """A decided call: 4 applications, 3 experts each (via the services), one
    submitted review by ``expert`` and a decided council session."""
    staff = make_user("staff")
    leader = make_user("ngo_leader")
    call = CallFactory(envelope=Decimal("20000000"))
    CallReviewSettingsFactory(
        call=call, review_deadline=timezone.now() + datetime.timedelta(days=5)
    )
    services.criteria_copy_template(call=call, actor=staff)
    apps = [ApplicationFactory(call=call, admitted=True, created_by=leader)]
    apps += [ApplicationFactory(call=call, admitted=True) for _ in range(3)]
    experts = [ExpertProfileFactory(panel=[call]) for _ in range(4)]
    for e in experts:
        services.conflicts_declare(expert=e, call=call, conflicts=[])
    services.assignments_auto(call=call, actor=staff)
    mine = Assignment.objects.filter(expert=experts[0]).first()
    theirs = (
        Assignment.objects.exclude(expert=experts[0])
        .exclude(application=mine.application)
        .first()
    )
    criteria = list(Criterion.objects.filter(call=call))
    scores = {c.pk: ScoreInput(Decimal(7), comment="Жарайды") for c in criteria}
    review = services.review_save(
        assignment=mine, scores=scores, recommendation="fund", submit=True
    )
    other_review = services.review_save(
        assignment=theirs, scores=scores, recommendation="fund", submit=True
    )
    session = services.council_session_create(
        call=call,
        held_on=datetime.date(2026, 12, 1),
        attendance=[AttendanceInput(e) for e in experts],
        actor=staff,
    )
    services.council_decisions_record(
        session=session,
        decisions=[DecisionInput(apps[0], "recommend", Decimal("1000000"))],
        actor=staff,
    )
    undecided_call = CallFactory()
    users = {
        "anonymous": None,
        "leader_owner": leader,
        "leader_stranger": make_user("ngo_leader"),
        "expert": experts[0].user,
        "expert_other": experts[1].user
        if theirs.expert != experts[1]
        else experts[2].user,
        "staff": staff,
        "fund_officer": make_user("fund_officer"),
        "official": make_user("official"),
        "admin": make_user("admin"),
    }
    # expert_other must not hold ``mine`` nor be the owner of ``review``
    return {
        "call": call,
        "undecided_call": undecided_call,
        "apps": apps,
        "experts": experts,
        "mine": mine,
        "theirs": theirs,
        "review": review,
        "other_review": other_review,
        "session": session,
        "criterion": criteria[0],
        "users": users,
        "staff": staff,
    }


STAFF_ONLY = dict.fromkeys(ROLES, 403) | {"anonymous": 302, "staff": 200, "admin": 200}


def _matrix(**overrides):
    return dict.fromkeys(ROLES, 403) | {"anonymous": 302} | overrides


GET_CASES = [
    (
        "reviews:my_assignments",
        lambda w: [],
        _matrix(expert=200, expert_other=200),
    ),
    (
        "reviews:declare_conflicts",
        lambda w: [w["call"].pk],
        _matrix(expert=200, expert_other=200),
    ),
    (
        "reviews:assignment_review",
        lambda w: [w["mine"].pk],
        _matrix(expert=200, expert_other=404),
    ),
    (
        "reviews:review_detail",
        lambda w: [w["review"].pk],
        _matrix(expert=200, expert_other=404, staff=200, admin=200),
    ),
    ("reviews:calls", lambda w: [], STAFF_ONLY),
    ("reviews:call_manage", lambda w: [w["call"].pk], STAFF_ONLY),
    ("reviews:call_settings", lambda w: [w["call"].pk], STAFF_ONLY),
    ("reviews:criterion_add", lambda w: [w["call"].pk], STAFF_ONLY),
    ("reviews:criterion_edit", lambda w: [w["criterion"].pk], STAFF_ONLY),
    ("reviews:review_reopen", lambda w: [w["review"].pk], STAFF_ONLY),
    ("reviews:session_create", lambda w: [w["call"].pk], STAFF_ONLY),
    ("reviews:session_detail", lambda w: [w["session"].pk], STAFF_ONLY),
    ("reviews:results", lambda w: [], _matrix(staff=200, admin=200, official=200)),
    (
        "reviews:ranking",
        lambda w: [w["call"].pk],
        _matrix(staff=200, admin=200, official=200),
    ),
    (
        "reviews:ranking",
        lambda w: [w["undecided_call"].pk],
        _matrix(staff=200, admin=200, official=404),
    ),
    (
        "reviews:feedback",
        lambda w: [w["apps"][0].pk],
        _matrix(leader_owner=200, leader_stranger=404, staff=200, admin=200),
    ),
]


@pytest.mark.parametrize(("name", "args", "expected"), GET_CASES)
def test_every_page_answers_each_role_with_the_exact_status(
    client, world, name, args, expected
):
    url = reverse(name, args=args(world))
    for role in ROLES:
        client.logout()
        user = world["users"][role]
        if user is not None:
            client.force_login(user)
        # when
        response = client.get(url)
        # then
        assert response.status_code == expected[role], (role, url)


def _state():
    return (
        Assignment.objects.filter(status="assigned").count(),
        Assignment.objects.count(),
        Criterion.objects.count(),
        DocumentJob.objects.count(),
        Review.objects.filter(submitted_at__isnull=False).count(),
    )


POST_CASES = [
    ("reviews:criteria_copy", lambda w: [w["call"].pk], {}),
    ("reviews:criterion_delete", lambda w: [w["criterion"].pk], {}),
    ("reviews:assign_auto", lambda w: [w["call"].pk], {}),
    (
        "reviews:assign_manual",
        lambda w: [w["call"].pk],
        lambda w: {"expert": w["experts"][3].pk, "application": w["apps"][3].pk},
    ),
    (
        "reviews:reassign",
        lambda w: [w["mine"].pk],
        lambda w: {"expert": w["experts"][3].pk},
    ),
    ("reviews:session_minutes", lambda w: [w["session"].pk], {"language": "kk"}),
    (
        "reviews:review_reopen",
        lambda w: [w["review"].pk],
        {"reason": "Қайта қарау"},
    ),
]


@pytest.mark.parametrize(("name", "args", "data"), POST_CASES)
@pytest.mark.parametrize(
    "role",
    ["anonymous", "leader_owner", "expert", "fund_officer", "official"],
)
def test_staff_actions_are_denied_to_others_and_change_nothing(
    client, world, name, args, data, role
):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    before = _state()
    payload = data(world) if callable(data) else data
    response = client.post(reverse(name, args=args(world)), payload)
    assert response.status_code == (302 if role == "anonymous" else 403)
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    assert _state() == before


def test_expert_cannot_open_another_experts_assignment_or_decline_it(client, world):
    client.force_login(world["users"]["expert"])
    theirs = world["theirs"]
    assert (
        client.get(reverse("reviews:assignment_review", args=[theirs.pk])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("reviews:review_detail", args=[world["other_review"].pk])
        ).status_code
        == 404
    )
    response = client.post(reverse("reviews:assignment_decline", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "submitted"


def test_expert_sees_no_application_before_declaring_conflicts(client, make_user):
    # given an assignment whose call the expert has not declared for
    a = AssignmentFactory(declared=False)
    client.force_login(a.expert.user)
    # then the list asks for the declaration and the application is hidden
    page = client.get(reverse("reviews:my_assignments"))
    assert reverse("reviews:declare_conflicts", args=[a.application.call_id]) in (
        page.content.decode()
    )
    assert a.application.title not in page.content.decode()
    assert (
        client.get(reverse("reviews:assignment_review", args=[a.pk])).status_code == 404
    )
    # when they declare a conflict with the applicant
    response = client.post(
        reverse("reviews:declare_conflicts", args=[a.application.call_id]),
        {f"org_{a.application.organisation_id}": "employment", "confirm": "on"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Assignment.Status.CONFLICT
    assert (
        client.get(reverse("reviews:assignment_review", args=[a.pk])).status_code == 404
    )


def test_blind_review_hides_organisation_bin_and_team_from_the_expert(client):
    a = AssignmentFactory(
        application__organisation__bin="123456789012",
        application__team="Жоба жетекшісі Әсем Төлегенова",
    )
    CallReviewSettingsFactory(call=a.application.call, blind_review=True)
    CriterionFactory(call=a.application.call)
    client.force_login(a.expert.user)
    html = client.get(
        reverse("reviews:assignment_review", args=[a.pk])
    ).content.decode()
    assert a.application.organisation.name_kk not in html
    assert "123456789012" not in html
    assert "Төлегенова" not in html
    assert a.application.title in html


def test_without_blind_review_the_expert_sees_the_organisation(client):
    a = AssignmentFactory()
    CriterionFactory(call=a.application.call)
    client.force_login(a.expert.user)
    html = client.get(
        reverse("reviews:assignment_review", args=[a.pk]), HTTP_ACCEPT_LANGUAGE="kk"
    ).content.decode()
    assert a.application.organisation.name_kk in html


def test_expert_scores_in_the_form_and_a_bad_score_shows_a_message(client):
    a = AssignmentFactory()
    c = CriterionFactory(call=a.application.call, comment_required=True)
    client.force_login(a.expert.user)
    url = reverse("reviews:assignment_review", args=[a.pk])
    bad = client.post(
        url,
        {
            f"score_{c.pk}": "7",
            f"comment_{c.pk}": "",
            "recommendation": "fund",
            "submit": "1",
        },
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors[f"comment_{c.pk}"]
    assert not Review.objects.exists()
    good = client.post(
        url,
        {
            f"score_{c.pk}": "7",
            f"comment_{c.pk}": "Нақты",
            "recommendation": "fund",
            "submit": "1",
        },
    )
    assert good.status_code == 302
    assert Review.objects.get().total == Decimal("70.00")


def test_leader_feedback_is_anonymous(client, world):
    client.force_login(world["users"]["leader_owner"])
    html = client.get(
        reverse("reviews:feedback", args=[world["apps"][0].pk])
    ).content.decode()
    for e in world["experts"]:
        assert e.user.full_name not in html
        assert e.user.email not in html
    assert "Жарайды" in html


def test_leader_home_links_to_the_decision(client, world):
    client.force_login(world["users"]["leader_owner"])
    html = client.get("/kk/").content.decode()
    assert reverse("reviews:feedback", args=[world["apps"][0].pk]) in html


def test_affiliated_leader_also_sees_the_decision(client, world, make_user):
    colleague = make_user("ngo_leader")
    Affiliation.objects.create(
        user=colleague,
        organisation=world["apps"][0].organisation,
        status=Affiliation.Status.APPROVED,
    )
    client.force_login(colleague)
    assert (
        client.get(reverse("reviews:feedback", args=[world["apps"][0].pk])).status_code
        == 200
    )


def test_kazakh_page_shows_kazakh_text(client, world):
    client.force_login(world["users"]["expert"])
    html = client.get("/kk/reviews/my/").content.decode()
    assert "Менің сараптамаларым" in html


def test_session_without_quorum_shows_message(client, world):
    client.force_login(world["staff"])
    response = client.post(
        reverse("reviews:session_create", args=[world["call"].pk]),
        {"held_on": "2026-12-02", f"expert_{world['experts'][0].pk}": "present"},
    )
    assert response.status_code == 200
    assert "Кворум жоқ: кеңестің 4 мүшесінің 1 қатысуда, 3 қажет." in (
        response.content.decode()
    )
    assert CouncilSession.objects.count() == 1


def test_staff_reassigns_a_declined_assignment(client, world):
    # given expert 0 declines an open assignment
    open_ = Assignment.objects.filter(
        status="assigned", application__status="admitted"
    ).first()
    services.assignment_decline(assignment=open_, reason="Ауырып қалдым")
    taken = set(open_.application.review_assignments.values_list("expert", flat=True))
    free = next(e for e in world["experts"] if e.pk not in taken)
    client.force_login(world["staff"])
    # when
    response = client.post(
        reverse("reviews:reassign", args=[open_.pk]), {"expert": free.pk}
    )
    # then
    assert response.status_code == 302
    assert (
        Assignment.objects.get(expert=free, application=open_.application).status
        == "assigned"
    )


def test_criteria_cannot_be_replaced_once_scored(client, world):
    client.force_login(world["staff"])
    before = list(Criterion.objects.values_list("pk", flat=True))
    client.post(reverse("reviews:criteria_copy", args=[world["call"].pk]))
    assert list(Criterion.objects.values_list("pk", flat=True)) == before


def test_minutes_pdf_is_generated_in_kazakh(
    client, world, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    from alliance_portal.documents import document_render

    # given the session's close queued its minutes; the worker renders them
    job = DocumentJob.objects.get(kind="council_minutes", params__language="kk")
    document_render(job_id=str(job.pk))
    # when staff press the button
    client.force_login(world["staff"])
    response = client.post(
        reverse("reviews:session_minutes", args=[world["session"].pk]),
        {"language": "kk"},
    )
    # then they get the issued PDF, in Kazakh
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE
    assert response.url == reverse("issued_download", args=[job.issued.pk])
    text = "".join(p.extract_text() for p in PdfReader(job.issued.file.path).pages)
    assert "ХАТТАМА" in text
    assert "Қатысқан кеңес мүшелері" in text


@pytest.mark.parametrize("size", [2, 6])
def test_expert_list_query_count_does_not_grow(
    client, size, django_assert_max_num_queries
):
    expert = ExpertProfileFactory()
    for _ in range(size):
        AssignmentFactory(expert=expert)
    client.force_login(expert.user)
    # The first visit after login; the page is cut over ids, then its rows loaded.
    with django_assert_max_num_queries(13):
        assert client.get(reverse("reviews:my_assignments")).status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_ranking_and_manage_query_count_does_not_grow(
    client, make_user, size, django_assert_max_num_queries
):
    staff = make_user("staff")
    call = CallFactory()
    CriterionFactory(call=call)
    for _ in range(size):
        a = AssignmentFactory(application__call=call)
        Review.objects.create(assignment=a, total=Decimal("50"))
        a.status = "submitted"
        a.save()
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("reviews:ranking", args=[call.pk])).status_code == 200
    with django_assert_max_num_queries(22):
        assert (
            client.get(reverse("reviews:call_manage", args=[call.pk])).status_code
            == 200
        )


def test_ranking_running_total_counts_decided_amounts(world):
    from reviews.selectors import call_ranking

    # given apps[0] recommended at 1 000 000 (requested 1 500 000)
    rows = {r.application.pk: r for r in call_ranking(call=world["call"])}
    first = rows[world["apps"][0].pk]
    # then it draws the recommended amount on the envelope
    others = sum(
        (r.application.requested_amount for r in rows.values() if r is not first),
        Decimal(0),
    )
    assert max(r.running_total for r in rows.values()) == others + Decimal("1000000")


def test_staff_save_settings_and_a_bad_criterion_shows_a_message(client, world):
    client.force_login(world["staff"])
    call = world["call"]
    response = client.post(
        reverse("reviews:call_settings", args=[call.pk]),
        {
            "min_reviews": "2",
            "recommend_threshold": "65",
            "disagreement_margin": "15",
            "review_deadline": "2026-12-20T18:00",
            "blind_review": "on",
            "hide_organisation": "on",
            "quorum_numerator": "2",
            "quorum_denominator": "3",
        },
    )
    assert response.status_code == 302
    call.review_settings.refresh_from_db()
    assert call.review_settings.min_reviews == 2
    assert call.review_settings.blind_review is True
    count = Criterion.objects.count()
    bad = client.post(
        reverse("reviews:criterion_add", args=[call.pk]),
        {
            "name_kk": "Жаңа",
            "name_ru": "Новый",
            "weight": "0",
            "scale_max": "10",
            "order": "9",
        },
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors["weight"]
    assert Criterion.objects.count() == count


def test_expert_without_a_profile_sees_an_empty_list(client, make_user):
    client.force_login(make_user("expert"))
    response = client.get(reverse("reviews:my_assignments"))
    assert response.status_code == 200
    assert not response.context["page_obj"].object_list


def _queries(client, url) -> int:
    """Queries of a repeated visit (the first after login also saves the session)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _reviewed_applications(call, experts, n):
    """``n`` admitted applications of ``call``, each reviewed by every expert."""
    for _ in range(n):
        application = ApplicationFactory(call=call, admitted=True)
        for expert in experts:
            a = AssignmentFactory(expert=expert, application=application)
            Review.objects.create(assignment=a, total=Decimal("60"))
            a.status = Assignment.Status.SUBMITTED
            a.save(update_fields=["status"])


def test_expert_assignments_query_count_is_the_same_at_two_sizes(client):
    # given an expert with assignments in a declared call and in an undeclared one
    expert = ExpertProfileFactory()
    AssignmentFactory(expert=expert)
    AssignmentFactory(expert=expert, declared=False)
    client.force_login(expert.user)
    url = reverse("reviews:my_assignments")
    small = _queries(client, url)
    # when the expert gets 30 more, in more calls, and pages through them
    for _ in range(30):
        AssignmentFactory(expert=expert)
    AssignmentFactory(expert=expert, declared=False)
    response = client.get(url, {"page": 2})
    # then the same number of queries, pages of 25, both undeclared calls announced
    assert _queries(client, url) == small
    assert _queries(client, url + "?page=2") == small
    assert len(response.context["page_obj"].object_list) == 6
    assert len(response.context["pending_calls"]) == 2


def _open_session(staff, *, applications: int):
    """A call whose 3 experts reviewed ``applications`` admitted applications, and
    an open council session on it: (call, experts, session)."""
    call = CallFactory(envelope=Decimal("900000000"))
    CriterionFactory(call=call)
    experts = [ExpertProfileFactory() for _ in range(3)]
    _reviewed_applications(call, experts, applications)
    session = services.council_session_create(
        call=call,
        held_on=datetime.date(2026, 12, 1),
        attendance=[AttendanceInput(e) for e in experts],
        actor=staff,
    )
    return call, experts, session


def test_call_manage_ranking_and_session_query_counts_are_the_same_at_two_sizes(
    client, make_user
):
    # given a call with 3 experts who reviewed 2 applications, and a session
    staff = make_user("staff")
    call, experts, session = _open_session(staff, applications=2)
    client.force_login(staff)
    urls = [
        reverse("reviews:call_manage", args=[call.pk]),
        reverse("reviews:ranking", args=[call.pk]),
        reverse("reviews:session_detail", args=[session.pk]),
    ]
    small = [_queries(client, url) for url in urls]
    # when the call grows to 60 applications (180 reviews), and one expert has
    # many assignments in another call
    _reviewed_applications(call, experts, 58)
    _reviewed_applications(CallFactory(), experts[:1], 30)
    # then every page costs the same number of queries
    assert [_queries(client, url) for url in urls] == small
    # and the ranking shows one page of rows
    response = client.get(urls[1])
    assert len(response.context["rows"]) == 25
    assert response.context["page_obj"].paginator.count == 60


def test_open_session_rows_keep_what_was_typed_when_the_decisions_are_refused(
    client, make_user
):
    # given an open session with three applications to decide
    staff = make_user("staff")
    call, _experts, session = _open_session(staff, applications=3)
    apps = list(Application.objects.filter(call=call).order_by("pk"))
    client.force_login(staff)
    url = reverse("reviews:session_detail", args=[session.pk])
    page = client.get(url).content.decode()
    # then every row has its eight labelled controls, the amount prefilled
    for a in apps:
        assert f'name="app_{a.pk}" id="id_app_{a.pk}"' in page
        assert f'for="id_dissent_{a.pk}"' in page
        assert (
            f'name="amount_{a.pk}" id="id_amount_{a.pk}" value="{a.requested_amount}"'
            in page
        )
    # when a decision is posted with an amount that is not a number
    response = client.post(
        url,
        {
            f"app_{apps[0].pk}": "recommend_conditions",
            f"amount_{apps[0].pk}": "12x",
            f"conditions_{apps[0].pk}": "Бюджетті <нақтылау>",
            f"votes_for_{apps[0].pk}": "5",
        },
    )
    # then nothing is recorded and the row shows what was typed, and the error
    assert response.status_code == 200
    assert not CouncilDecision.objects.filter(session=session).exists()
    html = response.content.decode()
    assert '<option value="recommend_conditions" selected>' in html
    assert (
        'value="12x" min="0" step="0.01" class="form-control form-control-sm is-invalid"'
        in html
    )
    assert "Бюджетті &lt;нақтылау&gt;</textarea>" in html
    assert (
        f'name="votes_for_{apps[0].pk}" id="id_votes_for_{apps[0].pk}" value="5"'
        in html
    )
    assert 'class="invalid-feedback"' in html
