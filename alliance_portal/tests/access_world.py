"""The world of the access matrix: one object of every kind a URL can name, belonging to
leader A's organisation and to expert A's assignment, and the nine people who try them.
Leader B and expert B are the "someone else": nothing here is theirs."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

ROLES = (
    "anonymous",
    "leader",
    "leader_other",
    "expert",
    "expert_other",
    "staff",
    "fund_officer",
    "official",
    "admin",
)


def _one_page_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


ONE_PAGE_PDF = _one_page_pdf()


def build_world() -> dict:
    from alliance_portal.models import DocumentJob
    from forums.models import EventMaterial
    from forums.tests.factories import (
        EventFactory,
        ForumFactory,
        RegistrationFactory,
        ResolutionFactory,
    )
    from grants import services as grant_services
    from grants.models import Report
    from grants.tests.factories import (
        fund_officer_of,
        leader_of,
        make_grant,
        png_upload,
        recommended_application,
    )
    from members import services as member_services
    from members.models import Affiliation
    from members.tests.factories import OrganisationFactory, UserFactory
    from memoranda.models import CommitmentEvidence
    from memoranda.tests.factories import (
        CommitmentFactory,
        MemorandumPartyFactory,
        memorandum_with_parties,
    )
    from projects import services as project_services
    from projects.tests.factories import CallFactory, complete_draft, pdf_upload
    from reviews.models import CallExpert, CouncilDecision, CouncilSession, Review
    from reviews.tests.factories import (
        ApplicationFactory,
        AssignmentFactory,
        CallReviewSettingsFactory,
        CriterionFactory,
        ExpertProfileFactory,
    )

    today = timezone.localdate()
    staff = UserFactory(role="staff")
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    leader_a, leader_b = leader_of(org_a), leader_of(org_b)

    # projects and reviews
    call = CallFactory()
    CallReviewSettingsFactory(
        call=call, review_deadline=timezone.now() + datetime.timedelta(days=7)
    )
    draft = complete_draft(call=call, organisation=org_a, created_by=leader_a)
    attachment = project_services.attachment_add(
        application=draft, upload=pdf_upload(), actor=leader_a
    )
    expert_a = ExpertProfileFactory(organisation=OrganisationFactory(), panel=[call])
    expert_b = ExpertProfileFactory(organisation=OrganisationFactory(), panel=[call])
    admitted = ApplicationFactory(
        call=call, organisation=org_a, created_by=leader_a, admitted=True
    )
    criterion = CriterionFactory(call=call)
    assignment = AssignmentFactory(expert=expert_a, application=admitted)
    review = Review.objects.create(assignment=assignment)
    panel = CallExpert.objects.get(call=call, expert=expert_a)
    session = CouncilSession.objects.create(call=call, held_on=today)
    CouncilDecision.objects.create(
        session=session, application=admitted, decision="do_not_recommend"
    )

    # grants
    grant = make_grant(actor=staff, signed=True, organisation=org_a)
    tranche = grant.tranches.get(sequence=1)
    grant_services.tranche_approve(tranche=tranche, actor=staff)
    expenditure = grant_services.expenditure_record(
        grant=grant,
        actor=leader_a,
        budget_line_id=grant.budget_lines.first().pk,
        spent_on=grant.starts_on,
        description="Кітаптар",
        amount=Decimal("1000"),
        supplier="ЖК Арал",
        payment_document="1",
        receipt=png_upload(),
    )
    report = grant_services.report_save(
        grant=grant,
        actor=leader_a,
        kind=Report.Kind.INTERIM,
        period_start=grant.starts_on,
        period_end=grant.starts_on + datetime.timedelta(days=20),
        activities="Семинар",
        results="Нәтиже",
        beneficiaries_reached=10,
    )
    photo = grant_services.report_add_photo(
        report=report, actor=leader_a, image=png_upload()
    )
    big, small = grant.budget_lines.order_by("order")
    revision = grant_services.budget_revision_request(
        grant=grant,
        actor=leader_a,
        from_line_id=big.pk,
        to_line_id=small.pk,
        amount=Decimal("100"),
        reason="Баға өсті",
    )
    awaiting = recommended_application(organisation=org_a)
    fund_officer = fund_officer_of(grant.funder)

    # members
    document = member_services.organisation_document_add(
        organisation=org_a, actor=leader_a, title="Жарғы", file=pdf_upload()
    )
    pending = Affiliation.objects.create(
        user=UserFactory(), organisation=org_a, status=Affiliation.Status.PENDING
    )

    # memoranda
    memorandum = memorandum_with_parties(2)
    MemorandumPartyFactory(memorandum=memorandum, organisation=org_a)
    commitment = CommitmentFactory(memorandum=memorandum, responsible=org_a)
    evidence = CommitmentEvidence(
        commitment=commitment,
        original_name="act.pdf",
        content_type="application/pdf",
        size=10,
    )
    evidence.file.save("act.pdf", pdf_upload(), save=True)

    # forums
    forum = ForumFactory()
    resolution = ResolutionFactory(forum=forum, responsible=org_a)
    event = EventFactory()
    material = EventMaterial(event=event, title="Слайдтар", uploaded_by=staff)
    material.file.save("slides.pdf", ContentFile(pdf_upload().read()), save=True)
    registration = RegistrationFactory(
        forum=forum, organisation=org_a, registered_by=leader_a
    )

    from members.models import ErasureRequest

    erasure = ErasureRequest.objects.create(user=leader_a)
    job = DocumentJob.objects.create(
        kind="sample", key=f"matrix:{uuid.uuid4()}", requested_by=leader_a
    )

    # issued documents and electronic signatures: the grant's contract (leader A's),
    # asked to be signed by leader A; a memorandum's PDF (a kind staff may reissue)
    from alliance_portal.models import IssuedDocument
    from esign import services as esign_services
    from esign.tests.factories import issued_document

    def issued(subject, kind):
        # A one-page PDF (the signed copy appends its signature sheet to it), issued
        # by staff like every real one.
        document = issued_document(subject, content=ONE_PAGE_PDF, kind=kind)
        IssuedDocument.objects.filter(pk=document.pk).update(issued_by=staff)
        document.refresh_from_db()
        return document

    contract = issued(grant, "grant_contract")
    signing_request = esign_services.signing_request_create(
        document=contract,
        party="ngo",
        signer=leader_a,
        actor=staff,
        expected_iin="850101300124",
    )
    memorandum_pdf = issued(memorandum, "memorandum_pdf")
    template = grant_services.contract_template_save(
        template=None, actor=staff, title="Жастар конкурсы", call=call
    )
    # an application attachment the assigned expert reads
    from projects.models import Attachment

    admitted_file = Attachment(
        application=admitted,
        original_name="budget.pdf",
        content_type="application/pdf",
        size=len(ONE_PAGE_PDF),
        uploaded_by=leader_a,
    )
    admitted_file.file.save("budget.pdf", ContentFile(ONE_PAGE_PDF), save=True)

    # the resource centre: leader A's organisation is an alliance member; the news
    # and the library material are for members only
    from members.tests.factories import MembershipPeriodFactory
    from resources import services as resource_services
    from resources.models import AkimMeeting, Material, NewsItem
    from resources.tests.factories import (
        BookingFactory,
        ConsultationFactory,
        FaqEntryFactory,
    )

    MembershipPeriodFactory(organisation=org_a)
    news = resource_services.news_save(
        news=NewsItem(
            title_kk="Мүшелерге хабарлама",
            title_ru="Сообщение для членов",
            body_kk="Мәтін",
            body_ru="Текст",
            audience="members",
        ),
        actor=staff,
        image=png_upload(),
        attachments=[pdf_upload()],
        publish=True,
    )
    library = resource_services.material_save_with_file(
        material=Material(
            title_kk="Есеп беру нұсқаулығы",
            title_ru="Руководство по отчётности",
            topic="reporting",
            language="kk",
            audience="members",
        ),
        upload=pdf_upload(),
        actor=staff,
    )
    consultation = ConsultationFactory(organisation=org_a, asked_by=leader_a)
    faq = FaqEntryFactory()
    booking = BookingFactory(organisation=org_a, booked_by=leader_a)
    meeting = resource_services.meeting_save(
        meeting=AkimMeeting(
            year=today.year,
            meets_on=today + datetime.timedelta(days=30),
            accepts_until=today + datetime.timedelta(days=20),
        )
    )
    proposal = resource_services.proposal_submit(
        meeting=meeting,
        user=leader_a,
        organisation=org_a,
        topic="Жастар орталығы",
        problem="Орталық жоқ",
        proposal="Орталық ашу",
        district=org_a.district,
    )

    users = {
        "anonymous": None,
        "leader": leader_a,
        "leader_other": leader_b,
        "expert": expert_a.user,
        "expert_other": expert_b.user,
        "staff": staff,
        "fund_officer": fund_officer,
        "official": UserFactory(role="official"),
        "admin": UserFactory(role="admin"),
    }
    objects = {
        "organisation": org_a,
        "call": call,
        "draft": draft,
        "admitted": admitted,
        "attachment": attachment,
        "criterion": criterion,
        "assignment": assignment,
        "review": review,
        "panel": panel,
        "session": session,
        "grant": grant,
        "tranche": tranche,
        "expenditure": expenditure,
        "report": report,
        "photo": photo,
        "revision": revision,
        "awaiting": awaiting,
        "document": document,
        "pending": pending,
        "memorandum": memorandum,
        "commitment": commitment,
        "evidence": evidence,
        "forum": forum,
        "resolution": resolution,
        "event": event,
        "material": material,
        "registration": registration,
        "job": job,
        "erasure": erasure,
        "contract": contract,
        "signing_request": signing_request,
        "memorandum_pdf": memorandum_pdf,
        "template": template,
        "admitted_file": admitted_file,
        "news": news,
        "library": library,
        "consultation": consultation,
        "faq": faq,
        "booking": booking,
        "meeting": meeting,
        "proposal": proposal,
    }
    return {"users": users, "objects": objects}


# Which object each URL parameter names, by URL name; parameters not listed fall back
# to BY_PARAM, then to a harmless dummy (allauth's keys).
def kwargs_for(name: str, params: tuple[str, ...], objects: dict) -> dict:
    o = objects
    pk_of = {
        "document_status": o["job"].pk,
        "document_download": o["job"].pk,
        "members:decide": o["pending"].pk,
        "members:document_download": o["document"].pk,
        "members:privacy_decide": o["erasure"].pk,
        "memoranda:": o["memorandum"].pk,
        "memoranda:commitment_update": o["commitment"].pk,
        "memoranda:commitment_progress": o["commitment"].pk,
        "memoranda:evidence": o["evidence"].pk,
        "projects:call_detail": o["call"].pk,
        "projects:apply": o["call"].pk,
        "projects:call_edit": o["call"].pk,
        "projects:call_status": o["call"].pk,
        "projects:call_delete": o["call"].pk,
        "projects:attachment_download": o["attachment"].pk,
        "projects:attachment_delete": o["attachment"].pk,
        "projects:": o["draft"].pk,
        "projects:screen": o["admitted"].pk,
        "projects:screen_return": o["admitted"].pk,
        "projects:screen_admit": o["admitted"].pk,
        "projects:screen_reject": o["admitted"].pk,
        "reviews:assignment_review": o["assignment"].pk,
        "reviews:assignment_decline": o["assignment"].pk,
        "reviews:review_detail": o["review"].pk,
        "reviews:review_reopen": o["review"].pk,
        "reviews:reassign": o["assignment"].pk,
        "reviews:criterion_edit": o["criterion"].pk,
        "reviews:criterion_delete": o["criterion"].pk,
        "reviews:panel_set_active": o["panel"].pk,
        "reviews:panel_remove": o["panel"].pk,
        "reviews:session_detail": o["session"].pk,
        "reviews:session_minutes": o["session"].pk,
        "reviews:feedback": o["admitted"].pk,
        "reviews:": o["call"].pk,
        "grants:tranche_confirm": o["tranche"].pk,
        "grants:tranche_action": o["tranche"].pk,
        "grants:receipt": o["expenditure"].pk,
        "grants:overspend_approve": o["expenditure"].pk,
        "grants:revision_decide": o["revision"].pk,
        "grants:report": o["report"].pk,
        "grants:report_edit": o["report"].pk,
        "grants:report_submit": o["report"].pk,
        "grants:report_decide": o["report"].pk,
        "grants:photo": o["photo"].pk,
        "grants:": o["grant"].pk,
        "forums:resolution_detail": o["resolution"].pk,
        "forums:resolution_update": o["resolution"].pk,
        "forums:resolution_note": o["resolution"].pk,
        "forums:event_detail": o["event"].pk,
        "forums:event_update": o["event"].pk,
        "forums:material_add": o["event"].pk,
        "forums:certificates": o["event"].pk,
        "forums:material_download": o["material"].pk,
        "forums:registration_cancel": o["registration"].pk,
        "forums:registration_confirm": o["registration"].pk,
        "forums:registration_attendance": o["registration"].pk,
        "forums:": o["forum"].pk,
        "issued_download": o["contract"].pk,
        "issued_reissue": o["memorandum_pdf"].pk,
        "esign:sign": o["signing_request"].pk,
        "esign:request_pdf": o["signing_request"].pk,
        "esign:submit": o["signing_request"].pk,
        "esign:request_cancel": o["signing_request"].pk,
        "esign:": o["contract"].pk,
        "grants:template_edit": o["template"].pk,
        "reviews:assignment_attachment": o["assignment"].pk,
        "resources:news_detail": o["news"].pk,
        "resources:news_update": o["news"].pk,
        "resources:news_publish": o["news"].pk,
        "resources:news_image": o["news"].pk,
        "resources:news_attachment": o["news"].pk,
        "resources:material_detail": o["library"].pk,
        "resources:material_update": o["library"].pk,
        "resources:material_download": o["library"].pk,
        "resources:material_version_download": o["library"].pk,
        "resources:faq_approve": o["faq"].pk,
        "resources:booking_decide": o["booking"].pk,
        "resources:booking_cancel": o["booking"].pk,
        "resources:proposal_group": o["proposal"].pk,
        "resources:proposal_follow_up": o["proposal"].pk,
        "resources:": o["consultation"].pk,
        "dashboard:district": o["organisation"].district_id,
        "dashboard:project": o["grant"].pk,
    }

    def pk_for(key: str):
        if key in pk_of:
            return pk_of[key]
        return pk_of.get(key.split(":")[0] + ":")

    by_param = {
        "slug": o["organisation"].slug,
        "name": "affiliations",
        "language": "kk",
        "lang": "kk",
        "section": "general",
        "fmt": "csv",
        "action": "approve",
        "kind": "forum",
        "dataset": "projects",
        "call_pk": o["call"].pk,
        "application_pk": o["awaiting"].pk,
        "key": "x",
        "uidb36": "1",
        "number": 1,  # the library material's first version
        "year": o["meeting"].year,  # the akim's meeting; the state report's year
    }
    if name == "reviews:assignment_attachment":
        by_param = {**by_param, "attachment_pk": o["admitted_file"].pk}
    if name == "resources:news_attachment":
        by_param = {**by_param, "attachment_pk": o["news"].attachments.get().pk}
    if name == "dashboard:export":
        by_param = {**by_param, "kind": "xlsx"}
    kwargs = {}
    for param in params:
        if param == "pk":
            kwargs[param] = pk_for(name)
        else:
            kwargs[param] = by_param[param]
    return kwargs
