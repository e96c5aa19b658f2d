"""The staff pages: queue, intake at the desk, the case page and its forms, files, the dashboard, follow-ups."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shubbak.helpdesk import services
from shubbak.helpdesk.models import Attachment, Case, CaseEvent, FollowUp, Session
from shubbak.registry import services as registry_services
from shubbak.testing.access import check_three_actors
from shubbak.testing.factories import ServiceCategoryFactory, ServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Case.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def client(client):
    """Pages in English, so that the messages compared below do not depend on the Arabic translation."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def catalogue(actors):
    category = ServiceCategoryFactory(network=actors.organisation.network, name_ar="الاستشارات", name_en="Consulting")
    return {
        "registration": ServiceFactory(category=category, name_ar="تسجيل منشأة", name_en="Business registration"),
        "plan": ServiceFactory(category=category, name_ar="خطة عمل", name_en="Business plan"),
    }


def new_case(actors, catalogue, *, subject="تسجيل محل خياطة", **data) -> Case:
    data = {"subject": subject, "channel": Case.Channel.WALK_IN, "contact_name": "سناء عودة", "contact_phone": "0599111222", **data}
    return services.case_create(actor=actors.officer, organisation=actors.organisation, data=data, services=list(catalogue.values()))


@pytest.fixture
def case(actors, catalogue) -> Case:
    return new_case(actors, catalogue)


@pytest.fixture
def assigned(actors, case) -> Case:
    return services.case_assign(actor=actors.officer, case=case, assignee=actors.officer)


@pytest.fixture
def fatima(actors):
    return registry_services.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"first_name": "فاطمة", "father_name": "عبد الله", "family_name": "التميمي", "gender": "female", "phone": "0599123456"},
    )


def url(name, *args):
    return reverse(name, args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the queue -------------------------------------------------------------------------------------------------


def test_the_queue_lists_the_organisations_cases_to_its_staff_and_nothing_to_an_outsider(actors, case, client):
    for reader in (actors.officer, actors.viewer, actors.coordinator, actors.manager):
        client.force_login(reader)
        response = client.get(url("case_queue"))
        assert response.status_code == 200
        assert list(response.context["page"]) == [case]
    client.force_login(actors.outsider)
    assert list(client.get(url("case_queue")).context["page"]) == []


def test_the_queue_shows_each_row_with_its_services_flags_and_tabs(actors, catalogue, client):
    late = new_case(actors, catalogue, subject="طلب متأخر")
    Case.objects.filter(pk=late.pk).update(resolution_due=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(actors.officer)
    response = client.get(url("case_queue"))
    html = response.content.decode()
    assert late.tracking_code in html and "طلب متأخر" in html
    assert "Business registration، Business plan" in html
    assert ">Overdue</span>" in html  # in words, not only in red
    assert {t["name"]: t["count"] for t in response.context["tabs"] if t["count"] is not None} == {"new": "1", "mine": "0", "overdue": "1"}


def test_the_queue_filters(actors, catalogue, client):
    mine = new_case(actors, catalogue, subject="طلب أحمد")
    services.case_assign(actor=actors.officer, case=mine, assignee=actors.officer)
    other = new_case(actors, catalogue, subject="طلب ليس لأحد", priority="urgent", channel="phone")
    client.force_login(actors.coordinator)
    queue = url("case_queue")

    def listed(**params):
        return list(client.get(queue, params).context["page"])

    assert listed() == [other, mine]
    assert listed(assigned_to="none") == [other]
    assert listed(assigned_to=str(actors.officer.pk)) == [mine]
    assert listed(priority="urgent") == [other]
    assert listed(channel="phone") == [other]
    assert listed(status="assigned") == [mine]
    assert listed(q=mine.tracking_code.lower()) == [mine]
    assert listed(q="ليس لأحد") == [other]
    assert listed(view="new") == [other]
    assert listed(view="closed") == []
    assert listed(service=str(catalogue["plan"].pk)) == [other, mine]
    client.force_login(actors.officer)
    assert listed(view="mine") == [mine]


def test_htmx_gets_only_the_results_with_the_tabs_out_of_band(actors, case, client):
    client.force_login(actors.officer)
    response = client.get(url("case_queue"), {"q": "خياطة"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and case.subject in html
    assert 'id="queue-tabs" hx-swap-oob="true"' in html
    assert "q=%D8%AE%D9%8A%D8%A7%D8%B7%D8%A9" in html  # the tabs keep the search


def test_the_queue_runs_the_same_queries_for_one_case_or_a_page_of_them(actors, catalogue, client, django_assert_num_queries):
    new_case(actors, catalogue)
    client.force_login(actors.coordinator)
    queue = url("case_queue")
    client.get(queue)
    with django_assert_num_queries(
        15
    ) as few:  # session, user, access (2), organisations, count, page, services, 3 tab counts, follow-ups, bell, desks, services
        client.get(queue)
    for i in range(30):
        case = new_case(actors, catalogue, subject=f"طلب رقم {i}")
        services.case_assign(actor=actors.coordinator, case=case, assignee=actors.officer)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(queue)
    assert len(response.context["page"]) == 25


def test_overdue_cases_come_soonest_due_first_page_by_page_with_the_same_queries(actors, catalogue, client, django_assert_num_queries):
    now = timezone.now()
    late = []
    for hours in (5, 1, 30, 2):  # not in the order of creation
        case = new_case(actors, catalogue, subject=f"متأخر {hours} ساعات")
        Case.objects.filter(pk=case.pk).update(resolution_due=now - datetime.timedelta(hours=hours))
        late.append((hours, case.pk))
    client.force_login(actors.coordinator)
    overdue = url("case_queue") + "?view=overdue"
    client.get(overdue)
    with django_assert_num_queries(16) as few:  # the queue's 15, and the page's ids before its rows
        response = client.get(overdue)
    assert [c.pk for c in response.context["page"]] == [pk for _hours, pk in sorted(late, reverse=True)]
    for i in range(30):
        case = new_case(actors, catalogue, subject=f"طلب رقم {i}")
        Case.objects.filter(pk=case.pk).update(resolution_due=now - datetime.timedelta(days=2, minutes=i))
    with django_assert_num_queries(len(few.captured_queries)):
        first = client.get(overdue)
    second = client.get(overdue + "&page=2")
    rows = [*first.context["page"], *second.context["page"]]
    assert len(first.context["page"]) == 25 and len(rows) == 34
    assert [c.resolution_due for c in rows] == sorted(c.resolution_due for c in rows)
    assert rows[-4:][0].pk == late[2][1]  # 30 hours late, after the 2 days late
    assert all(hasattr(c, "due") and c.due.state == "overdue" for c in rows)
    assert "Business registration" in first.content.decode()  # the services, prefetched for the page's rows


def test_the_home_page_block_lists_my_open_cases(actors, assigned, catalogue, client):
    new_case(actors, catalogue, subject="ليس لي")
    client.force_login(actors.officer)
    assert "my-queue" in client.get(url("home")).content.decode()
    response = client.get(url("case_queue"), {"block": "home"}, headers={"HX-Request": "true"})
    assert response.context["rows"] == [assigned]
    client.force_login(actors.viewer)
    assert "my-queue" not in client.get(url("home")).content.decode()


def test_coordinators_reassign_selected_cases_in_bulk(actors, catalogue, client):
    first, second = new_case(actors, catalogue), new_case(actors, catalogue)
    data = {"cases": [first.pk, second.pk], "assignee": actors.officer.pk, "next": url("case_queue") + "?view=open"}
    response = check_three_actors(actors=actors, url=url("cases_reassign"), method="post", data=data, write=True, member=actors.coordinator)
    assert response.url == "/cases/?view=open"
    assert set(Case.objects.values_list("assigned_to", flat=True)) == {actors.officer.pk}
    client.force_login(actors.officer)  # officers take cases, they do not hand them out
    assert client.post(url("cases_reassign"), data).status_code == 403


def test_reassigning_without_an_officer_says_so(actors, case, client):
    client.force_login(actors.coordinator)
    response = client.post(url("cases_reassign"), {"cases": [case.pk]}, follow=True)
    assert messages_of(response) == ["Select the cases and the officer to give them to."]


def test_follow_ups_due_show_above_the_queue_and_are_recorded(actors, assigned, client):
    services.case_resolve(actor=actors.officer, case=assigned, outcome={"outcome": "served"})
    services.case_close(actor=actors.officer, case=assigned)
    FollowUp.objects.filter(case=assigned).update(due_on=timezone.localdate())
    follow_up = FollowUp.objects.filter(case=assigned).first()
    client.force_login(actors.officer)
    assert follow_up in client.get(url("case_queue")).context["follow_ups"]
    done = url("follow_up_done", follow_up.pk)
    check_three_actors(actors=actors, url=done, method="post", data={"note": "فتحت المحل وتوظف عاملتين"}, write=True, member=actors.officer)
    follow_up.refresh_from_db()
    assert (follow_up.note, follow_up.done_at is not None) == ("فتحت المحل وتوظف عاملتين", True)
    response = client.post(done, {"note": "مرة ثانية"}, follow=True)
    assert messages_of(response) == ["This follow-up is already done."]


# --- a case taken at the desk --------------------------------------------------------------------------------


def case_form_data(catalogue, **extra):
    return {
        "organisation": "",
        "channel": "phone",
        "services": [catalogue["registration"].pk],
        "subject": "تسجيل مخبز",
        "description": "تريد تسجيل المخبز في الغرفة",
        "priority": "normal",
        "heard_from": "friend",
        "contact_name": "هدى سليم",
        "contact_phone": "0599 765 432",
        **extra,
    }


def test_a_case_is_taken_at_the_desk(actors, catalogue, client):
    client.force_login(actors.viewer)
    data = case_form_data(catalogue, organisation=actors.organisation.pk)
    assert (client.get(url("case_create")).status_code, client.post(url("case_create"), data).status_code) == (403, 403)
    client.force_login(actors.outsider)  # takes cases for the outsider's own organisation, never for ours
    assert list(client.get(url("case_create")).context["form"].fields["organisation"].queryset) == [actors.other_organisation]
    assert set(client.post(url("case_create"), data).context["form"].errors) == {"organisation", "services"}  # nor its services
    client.force_login(actors.officer)
    response = client.post(url("case_create"), data)
    case = Case.objects.get()
    assert response.url == url("case_detail", case.pk)
    assert (case.channel, case.contact_phone, case.heard_from, case.created_by) == ("phone", "+970599765432", "friend", actors.officer)
    assert list(case.services.values_list("service", flat=True)) == [catalogue["registration"].pk]


def test_the_services_are_grouped_by_category(actors, catalogue, client):
    ServiceFactory(category=ServiceCategoryFactory(network=actors.organisation.network, name_en="Legal services"), name_en="Legal advice")
    client.force_login(actors.officer)
    groups = client.get(url("case_create")).context["form"].service_groups()
    assert [(str(c.name_en), [o.choice_label for o in options]) for c, options in groups] == [
        ("Consulting", ["Business registration", "Business plan"]),
        ("Legal services", ["Legal advice"]),
    ]


def test_a_case_form_with_errors_keeps_what_was_typed(actors, catalogue, fatima, client):
    client.force_login(actors.officer)
    data = case_form_data(catalogue, organisation=actors.organisation.pk, services=[], contact_phone="hello", person=fatima.pk)
    response = client.post(url("case_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"services"}
    assert form["subject"].value() == "تسجيل مخبز" and form["contact_phone"].value() == "hello"
    assert f'value="{fatima.pk}" id="person-{fatima.pk}" checked' in response.content.decode()  # the chosen person too
    response = client.post(url("case_create"), case_form_data(catalogue, organisation=actors.organisation.pk, contact_phone="hello"))
    assert set(response.context["form"].errors) == {"contact_phone"}  # the service's check of the phone, on its field
    assert Case.objects.count() == 0


def test_a_case_needs_a_client_to_reach(actors, catalogue, client):
    client.force_login(actors.officer)
    data = case_form_data(catalogue, organisation=actors.organisation.pk, contact_name="", contact_phone="")
    assert set(client.post(url("case_create"), data).context["form"].errors) == {"contact_name", "contact_phone"}


def test_the_desk_finds_the_client_in_the_registry_and_links_the_new_case(actors, catalogue, fatima, client):
    client.force_login(actors.officer)
    response = client.get(url("case_create"), {"q": "فاطمه", "organisation": actors.organisation.pk}, headers={"HX-Request": "true"})
    assert response.context["people"] == [fatima]
    assert f'name="person" value="{fatima.pk}"' in response.content.decode()
    data = case_form_data(catalogue, organisation=actors.organisation.pk, contact_name="", contact_phone="", person=fatima.pk)
    client.post(url("case_create"), data)
    assert Case.objects.get().person == fatima


def test_an_outsiders_record_cannot_be_chosen(actors, catalogue, client):
    stranger = registry_services.person_create(
        actor=actors.outsider, organisation=actors.other_organisation, data={"first_name": "غريب", "family_name": "بعيد", "gender": "male"}
    )
    client.force_login(actors.officer)
    response = client.post(url("case_create"), case_form_data(catalogue, organisation=actors.organisation.pk, person=stranger.pk))
    assert response.context["form"].errors == {"person": ["Choose a record from the search results."]}
    response = client.get(url("case_create"), {"q": "غريب"}, headers={"HX-Request": "true"})
    assert response.context["people"] == []


# --- the case page ---------------------------------------------------------------------------------------------


def test_the_case_page_three_actors(actors, case):
    response = check_three_actors(actors=actors, url=url("case_detail", case.pk), member=actors.officer)
    assert response.context["case"] == case
    assert [e.kind for e in response.context["entries"]] == [CaseEvent.Kind.CREATED]


def test_a_read_only_viewer_sees_the_case_without_any_write_form(actors, assigned, client):
    client.force_login(actors.viewer)
    response = client.get(url("case_detail", assigned.pk))
    html = response.content.decode()
    assert response.context["allowed"] == [] and "note_form" not in response.context
    for name in ("case_note_add", "case_message_send", "case_session_add", "case_attachment_add", "case_resolve", "case_assign"):
        assert url(name, assigned.pk) not in html
    assert url("case_edit", assigned.pk) not in html


def test_the_case_page_shows_only_the_steps_the_workflow_allows(actors, case, assigned, client):
    client.force_login(actors.officer)
    html = client.get(url("case_detail", case.pk)).content.decode()
    assert url("case_move", case.pk, "start") in html and url("case_resolve", case.pk) in html
    assert url("case_move", case.pk, "resume") not in html and url("case_close", case.pk) not in html


def test_the_case_page_shows_the_clocks_in_working_time(actors, case, client):
    client.force_login(actors.officer)
    clocks = client.get(url("case_detail", case.pk)).context["clocks"]
    assert [(c.label, c.state) for c in clocks] == [("First response", "soon"), ("Resolution", "running")]
    assert clocks[1].text.startswith("9 working days and 23 hours") or clocks[1].text.startswith("10 working days")
    services.case_assign(actor=actors.officer, case=case, assignee=actors.officer)
    services.case_transition(actor=actors.officer, case=case, action="wait")
    clocks = client.get(url("case_detail", case.pk)).context["clocks"]
    assert clocks[1].state == "paused" and clocks[1].text.startswith("Clock paused while waiting for the client")
    Case.objects.filter(pk=case.pk).update(
        status=Status.IN_PROGRESS, paused_at=None, resolution_due=timezone.now() - datetime.timedelta(days=3)
    )
    clocks = client.get(url("case_detail", case.pk)).context["clocks"]
    assert clocks[1].state == "overdue" and clocks[1].text.startswith("Overdue by")


def test_the_case_page_runs_the_same_queries_whatever_the_timeline(actors, assigned, catalogue, client, django_assert_num_queries):
    page = url("case_detail", assigned.pk)
    client.force_login(actors.coordinator)
    client.get(page)
    # session, user, case, access, catalogue, services, sessions, timeline, files, follow-ups, officers, bell, referrals (2)
    with django_assert_num_queries(14) as few:
        client.get(page)
    for i in range(30):
        services.note_add(actor=actors.officer, case=assigned, text=f"ملاحظة {i}")
        services.message_send(actor=actors.coordinator, case=assigned, text=f"رسالة {i}")
    services.session_add(actor=actors.officer, case=assigned, session=Session(minutes=45, topic="خطة العمل"))
    services.attachment_add(actor=actors.officer, case=assigned, upload=SimpleUploadedFile("عقد.pdf", PDF))
    services.case_update(actor=actors.officer, case=assigned, subject="جديد", description="", priority="high", services=[catalogue["plan"]])
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(page)
    assert len(response.context["entries"]) == 50 and response.context["more"] == 50


def test_the_timeline_shows_notes_and_messages_apart_and_pages_back(actors, assigned, client):
    services.note_add(actor=actors.officer, case=assigned, text="العميلة تحتاج ترجمة")
    services.message_send(actor=actors.officer, case=assigned, text="أرسلي صورة الهوية")
    client.force_login(actors.viewer)
    html = client.get(url("case_detail", assigned.pk)).content.decode()
    assert "Internal note · staff only" in html and "Message to the client · the client sees it" in html
    assert "Assigned to أحمد قاسم" in html
    for i in range(55):
        services.note_add(actor=actors.officer, case=assigned, text=f"ملاحظة {i}")
    more = url("case_timeline", assigned.pk)
    response = check_three_actors(actors=actors, url=more + "?offset=50", member=actors.officer)
    assert [e.text for e in response.context["entries"]][-4:] == ["أرسلي صورة الهوية", "العميلة تحتاج ترجمة", "", ""]
    assert response.context["more"] is None


def test_scripts_typed_in_text_fields_are_shown_as_text(actors, catalogue, client):
    case = new_case(actors, catalogue, subject="<script>alert(1)</script>", contact_name="<b>سناء</b>")
    services.note_add(actor=actors.officer, case=case, text="<img src=x onerror=alert(2)>")
    client.force_login(actors.officer)
    for page in (url("case_detail", case.pk), url("case_queue")):
        html = client.get(page).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>سناء" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in client.get(url("case_detail", case.pk)).content.decode()


@pytest.mark.parametrize(
    ("name", "data", "kind", "text"),
    [
        ("case_note_add", {"text": "اتصلت بالبلدية"}, CaseEvent.Kind.NOTE, "اتصلت بالبلدية"),
        ("case_message_send", {"text": "موعدك يوم الأحد"}, CaseEvent.Kind.MESSAGE_OUT, "موعدك يوم الأحد"),
    ],
)
def test_notes_and_messages_three_actors(actors, assigned, name, data, kind, text):
    response = check_three_actors(actors=actors, url=url(name, assigned.pk), method="post", data=data, write=True, member=actors.officer)
    assert response.url == url("case_detail", assigned.pk)
    assert list(assigned.events.filter(kind=kind).values_list("text", flat=True)) == [text]


def test_an_empty_message_is_refused_and_the_page_says_where(actors, assigned, client):
    client.force_login(actors.officer)
    response = client.post(url("case_message_send", assigned.pk), {"text": "  "})
    assert response.status_code == 200
    assert response.context["open_form"] == "message"
    assert response.context["message_form"].errors == {"text": ["This field is required."]}
    assert 'id="form-message" open>' in response.content.decode()  # the form is open, not folded away


def test_a_session_three_actors_and_its_errors_keep_the_input(actors, assigned, catalogue, client):
    session_url = url("case_session_add", assigned.pk)
    today = timezone.localdate().isoformat()
    data = {"date": today, "minutes": 90, "mode": "phone", "service": catalogue["plan"].pk, "topic": "دراسة السوق", "notes": "مفيدة"}
    check_three_actors(actors=actors, url=session_url, method="post", data=data, write=True, member=actors.officer)
    session = Session.objects.get()
    assert (session.minutes, session.staff, session.service, session.mode) == (90, actors.officer, catalogue["plan"], "phone")
    client.force_login(actors.officer)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(session_url, data | {"date": tomorrow, "topic": "جلسة ثانية"})
    form = response.context["session_form"]
    assert form.errors == {"date": ["A session cannot be in the future."]}
    assert (form["topic"].value(), form["minutes"].value()) == ("جلسة ثانية", "90")
    response = client.post(session_url, data | {"minutes": 2})
    assert list(response.context["session_form"].errors) == ["minutes"]
    assert Session.objects.count() == 1
    assert client.get(url("case_detail", assigned.pk)).context["total_time"] == "1 h 30 min"


def test_assigning_three_actors_and_taking_a_case(actors, case, client):
    assign = url("case_assign", case.pk)
    check_three_actors(
        actors=actors, url=assign, method="post", data={"assignee": actors.officer.pk}, write=True, member=actors.coordinator
    )
    case.refresh_from_db()
    assert (case.assigned_to, case.status) == (actors.officer, Status.ASSIGNED)
    client.force_login(actors.officer)
    response = client.post(assign, {"assignee": actors.coordinator.pk})
    assert response.status_code == 403  # an officer takes cases, only coordinators give them
    client.force_login(actors.coordinator)
    assert messages_of(client.post(assign, {"assignee": actors.coordinator.pk}, follow=True)) == ["The case is yours."]
    case.refresh_from_db()
    assert case.assigned_to == actors.coordinator
    response = client.post(assign, {"assignee": actors.viewer.pk}, follow=True)
    assert messages_of(response) == ["Choose an officer of this organisation who works on cases."]


def test_the_workflow_steps_three_actors(actors, assigned, client):
    start = url("case_move", assigned.pk, "start")
    check_three_actors(actors=actors, url=start, method="post", write=True, member=actors.officer)
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_PROGRESS
    client.force_login(actors.officer)
    client.post(url("case_move", assigned.pk, "wait"))
    assigned.refresh_from_db()
    assert (assigned.status, assigned.paused_at is not None) == (Status.WAITING, True)
    client.post(url("case_move", assigned.pk, "resume"))
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_PROGRESS


def test_a_step_the_workflow_forbids_gets_a_clear_message_not_an_error(actors, case, client):
    client.force_login(actors.officer)
    response = client.post(url("case_move", case.pk, "resume"), follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["A case that is «New» cannot be moved this way."]
    response = client.post(url("case_close", case.pk), follow=True)
    assert messages_of(response) == [] and response.context["close_form"].non_field_errors() == [
        "A case that is «New» cannot be moved this way."
    ]
    response = client.post(url("case_move", case.pk, "start"), follow=True)
    assert messages_of(response) == ["Assign the case before starting work on it."]
    assert client.post(url("case_move", case.pk, "explode")).status_code == 404
    case.refresh_from_db()
    assert case.status == Status.NEW


def test_triage_from_the_case_page(actors, case, client):
    check_three_actors(actors=actors, url=url("case_move", case.pk, "triage"), method="post", write=True, member=actors.officer)
    case.refresh_from_db()
    assert case.status == Status.TRIAGED


def test_resolving_with_an_outcome_three_actors_then_close_and_reopen(actors, assigned, client):
    resolve = url("case_resolve", assigned.pk)
    data = {
        "outcome": "served",
        "business_registered": "on",
        "jobs_women": 2,
        "jobs_men": 1,
        "financing_amount": "5000",
        "financing_currency": "USD",
        "new_market": "الأردن",
        "outcome_note": "سجلت المحل",
        "text": "انتهى العمل",
    }
    check_three_actors(actors=actors, url=resolve, method="post", data=data, write=True, member=actors.officer)
    assigned.refresh_from_db()
    assert (assigned.status, assigned.outcome, assigned.business_registered, assigned.jobs_women, str(assigned.financing_amount)) == (
        Status.RESOLVED, "served", True, 2, "5000.00",
    )  # fmt: skip
    check_three_actors(
        actors=actors, url=url("case_close", assigned.pk), method="post", data={"text": ""}, write=True, member=actors.officer
    )
    assigned.refresh_from_db()
    assert assigned.status == Status.CLOSED and assigned.follow_ups.count() == 2
    reopen = url("case_reopen", assigned.pk)
    client.force_login(actors.officer)
    response = client.post(reopen, {"text": ""})
    assert response.context["reopen_form"].errors == {"text": ["This field is required."]}
    check_three_actors(actors=actors, url=reopen, method="post", data={"text": "عادت العميلة"}, write=True, member=actors.officer)
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_PROGRESS


def test_an_outcome_with_errors_keeps_what_was_typed(actors, assigned, client):
    client.force_login(actors.officer)
    response = client.post(url("case_resolve", assigned.pk), {"outcome": "served", "jobs_women": 3, "financing_amount": "1200"})
    form = response.context["outcome_form"]
    assert form.errors == {"financing_currency": ["Say the currency of the financing."]}
    assert (form["jobs_women"].value(), form["financing_amount"].value()) == ("3", "1200")
    assert response.context["open_form"] == "resolve"
    response = client.post(url("case_resolve", assigned.pk), {"jobs_women": 3})
    assert list(response.context["outcome_form"].errors) == ["outcome"]
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED


def test_editing_the_request_three_actors(actors, case, catalogue):
    edit = url("case_edit", case.pk)
    check_three_actors(actors=actors, url=edit, write=True, member=actors.officer)
    data = {"subject": "تسجيل علامة", "description": "تغير الطلب", "priority": "high", "services": [catalogue["plan"].pk]}
    check_three_actors(actors=actors, url=edit, method="post", data=data, write=True, member=actors.officer)
    case.refresh_from_db()
    assert (case.subject, case.description, case.priority) == ("تسجيل علامة", "تغير الطلب", "high")
    assert list(case.services.values_list("service", flat=True)) == [catalogue["plan"].pk]
    assert set(case.events.values_list("kind", flat=True)) == {"created", "priority", "service"}


def test_editing_with_errors_keeps_what_was_typed(actors, case, client):
    client.force_login(actors.officer)
    response = client.post(url("case_edit", case.pk), {"subject": "عنوان جديد", "priority": "high", "services": []})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["services"]
    assert response.context["form"]["subject"].value() == "عنوان جديد"


def test_linking_a_case_to_the_registry_three_actors(actors, case, fatima, client):
    link = url("case_link", case.pk)
    response = check_three_actors(actors=actors, url=link + "?q=فاطمه", write=True, member=actors.officer)
    assert response.context["people"] == [fatima]
    check_three_actors(actors=actors, url=link, method="post", data={"person": fatima.pk}, write=True, member=actors.officer)
    case.refresh_from_db()
    assert case.person == fatima
    client.force_login(actors.officer)
    response = client.post(link, {}, follow=True)
    assert messages_of(response) == ["Choose a person or an enterprise from the search results."]


def test_the_link_page_first_searches_the_name_the_client_gave(actors, catalogue, fatima, client):
    case = new_case(actors, catalogue, contact_name="فاطمه التميمى")
    client.force_login(actors.officer)
    assert client.get(url("case_link", case.pk)).context["people"] == [fatima]


# --- files -----------------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_file_is_attached_three_actors_and_served_only_to_those_who_see_the_case(actors, assigned, media, client):
    attach = url("case_attachment_add", assigned.pk)
    for user, expected in ((actors.outsider, 404), (actors.viewer, 403)):
        client.force_login(user)
        assert client.post(attach, {"file": SimpleUploadedFile("عقد الإيجار.pdf", PDF)}).status_code == expected
    client.force_login(actors.officer)
    assert client.post(attach, {"file": SimpleUploadedFile("عقد الإيجار.pdf", PDF)}).status_code == 302
    attachment = Attachment.objects.get()
    download = url("case_attachment", assigned.pk, attachment.pk)
    response = check_three_actors(actors=actors, url=download, member=actors.officer)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    other = new_case(actors, {"x": assigned.services.first().service})
    client.force_login(actors.officer)
    assert client.get(url("case_attachment", other.pk, attachment.pk)).status_code == 404  # not through another case


def test_a_disguised_file_is_refused_with_a_clear_message(actors, assigned, media, client):
    client.force_login(actors.officer)
    response = client.post(url("case_attachment_add", assigned.pk), {"file": SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a png")})
    assert response.status_code == 200
    assert response.context["attachment_form"].errors == {"file": ["This file is not what its name says: it is not a real PNG file."]}
    response = client.post(url("case_attachment_add", assigned.pk), {"file": SimpleUploadedFile("script.html", b"<script>")})
    assert response.context["attachment_form"].errors == {"file": ["Attach a PDF, a photo (JPG or PNG), or a Word or Excel file."]}
    assert Attachment.objects.count() == 0


# --- the dashboard ---------------------------------------------------------------------------------------------


def test_the_dashboard_is_for_those_who_coordinate(actors, assigned, catalogue, client):
    dashboard = url("case_dashboard") + f"?organisation={actors.organisation.pk}"
    check_three_actors(actors=actors, url=dashboard, write=True, member=actors.coordinator)  # read-only viewers: 403
    new_case(actors, catalogue)
    services.session_add(actor=actors.officer, case=assigned, session=Session(minutes=50, topic="خطة"))
    client.force_login(actors.coordinator)
    response = client.get(url("case_dashboard"))
    numbers = response.context["numbers"]
    assert (numbers.open, numbers.unassigned, numbers.received_this_month) == (2, 1, 2)
    assert numbers.by_status["new"] == 1 and numbers.by_status["in_progress"] == 1
    assert [(r["assigned_to__full_name"], r["open"]) for r in response.context["workload"]] == [("أحمد قاسم", 1)]
    assert [(r["staff__full_name"], r["time"]) for r in response.context["hours"]["staff"]] == [("أحمد قاسم", "50 min")]
    assert f"assigned_to={actors.officer.pk}" in response.content.decode()
    client.force_login(actors.officer)
    assert client.get(url("case_dashboard")).status_code == 403


def test_a_network_manager_chooses_among_the_organisations(actors, assigned, client):
    client.force_login(actors.manager)
    response = client.get(url("case_dashboard"), {"organisation": "all"})
    assert response.context["organisation"] is None and response.context["numbers"].open == 1
    assert len(response.context["organisations"]) == 2
    response = client.get(url("case_dashboard"), {"organisation": actors.organisation.pk})
    assert response.context["organisation"] == actors.organisation
