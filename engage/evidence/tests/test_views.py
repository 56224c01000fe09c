"""Evidence pages: distressing items never inline, files only as attachments, 404 for everyone else."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engage.audit.models import AuditRecord
from engage.audit.testing import expect_audit
from engage.evidence import services
from engage.evidence.models import Evidence
from engage.evidence.tests.helpers import make_incident, screenshot_bytes, upload
from engage.incidents.models import Incident
from tests.personas import PASSWORD, _person


def _signed_in(client, username):
    client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def distressing(flintshire, incident):
    return services.evidence_add(
        actor=flintshire.ffion,
        incident=incident,
        uploaded_file=upload(data=screenshot_bytes((10, 200, 10))),
        distressing=True,
        description="Post naming Ffion",
    )


@pytest.fixture
def plain(flintshire, incident):
    return services.evidence_add(
        actor=flintshire.ffion,
        incident=incident,
        uploaded_file=upload(name="queue.png", data=screenshot_bytes((10, 10, 200))),
        distressing=False,
    )


def _stored(evidence):
    with default_storage.open(evidence.stored_name, "rb") as handle:
        return handle.read()


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# The list ----------------------------------------------------------------------------------------


def test_the_list_warns_of_a_distressing_item_and_shows_nothing_of_it(client, flintshire, distressing, plain):
    page = _signed_in(client, "dafydd").get("/evidence/incident/INC-2026-00042/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "This item may be distressing. It is not shown here." in html
    assert f"/evidence/{distressing.pk}/open/" in html
    # Neither the file nor any address that would serve it appears for the distressing item.
    assert f"/evidence/{distressing.pk}/preview/" not in html
    assert f"/evidence/{distressing.pk}/file/" not in html
    assert _stored(distressing) not in page.content
    assert "data:" not in html
    # The item that is not distressing is shown, through the permission-checked view.
    assert f'<img src="/evidence/{plain.pk}/preview/"' in html
    assert 'alt="Screenshot attached to INC-2026-00042"' in html


def test_the_list_asks_the_same_number_of_queries_however_many_items_there_are(client, flintshire, incident):
    org = flintshire.organisation
    bethan = _person(org, "bethan", "Bethan Lloyd", "frontline", flintshire.ffion)
    theirs = make_incident(flintshire, bethan, reference="INC-2026-00050")
    Incident.objects.filter(pk=theirs.pk).update(routed_to=None)
    _signed_in(client, "ffion")  # sees it only as Bethan's line manager: the slowest rule to answer

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/evidence/incident/INC-2026-00050/").status_code == 200
        return len(captured)

    services.evidence_add(actor=bethan, incident=theirs, uploaded_file=upload(), distressing=True)
    one = queries()
    for _ in range(3):
        services.evidence_add(actor=bethan, incident=theirs, uploaded_file=upload(), distressing=False)
    assert queries() == one


def test_the_list_can_be_found_by_incident_id_as_well_as_reference(client, flintshire, incident, distressing):
    page = _signed_in(client, "ffion").get(f"/evidence/incident/{incident.pk}/")
    assert "Evidence 1: Image or screenshot" in page.content.decode()


def test_the_preview_of_a_distressing_item_is_not_found(client, flintshire, distressing):
    assert _signed_in(client, "dafydd").get(f"/evidence/{distressing.pk}/preview/").status_code == 404


def test_the_distressing_file_address_sends_people_to_the_warning_first(client, flintshire, distressing):
    with expect_audit():
        response = _signed_in(client, "dafydd").get(f"/evidence/{distressing.pk}/file/")
    assert response.status_code == 302
    assert response.url == f"/evidence/{distressing.pk}/open/"


# Opening -----------------------------------------------------------------------------------------


def test_the_open_page_asks_why_and_shows_nothing_of_the_item(client, flintshire, distressing):
    page = _signed_in(client, "dafydd").get(f"/evidence/{distressing.pk}/open/")
    html = page.content.decode()
    assert "Why are you opening this?" in html
    assert "This item may be distressing" in html
    assert "<img" not in html


def test_opening_without_a_reason_is_refused_with_the_rule_and_records_nothing(
    client, flintshire, distressing
):
    with expect_audit():
        page = _signed_in(client, "dafydd").post(f"/evidence/{distressing.pk}/open/", {"reason": ""})
    assert page.status_code == 200
    assert "Enter why you are opening this item" in page.content.decode()
    assert "govuk-error-summary" in page.content.decode()


def test_opening_with_a_reason_records_it_and_sends_the_file_as_an_attachment(
    client, flintshire, distressing
):
    with expect_audit(("evidence.open", distressing)):
        response = _signed_in(client, "dafydd").post(
            f"/evidence/{distressing.pk}/open/", {"reason": "Reviewing the incident"}
        )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="INC-2026-00042-evidence-1.png"'
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert _body(response) == _stored(distressing)
    assert distressing.openings.get().reason == "Reviewing the incident"


def test_downloading_an_item_that_is_not_distressing_is_recorded_and_sent_as_an_attachment(
    client, flintshire, plain
):
    with expect_audit(("evidence.download", plain)):
        response = _signed_in(client, "sian").get(f"/evidence/{plain.pk}/file/")
    assert response["Content-Disposition"] == 'attachment; filename="INC-2026-00042-evidence-1.png"'
    assert response["Cache-Control"] == "private, no-store"
    assert _body(response) == _stored(plain)


def test_the_type_served_is_the_one_found_by_inspection_not_the_one_uploaded(client, flintshire, incident):
    evidence = services.evidence_add(
        actor=flintshire.ffion,
        incident=incident,
        uploaded_file=upload(name="x.png", content_type="text/html"),
        distressing=False,
    )
    response = _signed_in(client, "ffion").get(f"/evidence/{evidence.pk}/file/")
    assert response["Content-Type"] == "image/png"


# Adding through the page -------------------------------------------------------------------------


def test_ffion_adds_evidence_through_the_page(client, flintshire, incident):
    with expect_audit("evidence.add"):
        response = _signed_in(client, "ffion").post(
            "/evidence/add/INC-2026-00042/",
            {"file": upload(), "distressing": "yes", "description": "Post naming Ffion"},
        )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.distressing
    assert evidence.description == "Post naming Ffion"
    page = client.get(response.url).content.decode()
    assert "Evidence 1 has been added to INC-2026-00042." in page


def test_a_disguised_file_is_refused_on_the_page_keeping_the_other_answers(
    client, flintshire, incident, settings
):
    disguised = upload(name="Screenshot.png", data=b"<html><script>alert(1)</script></html>")
    with expect_audit("evidence.add") as records:
        page = _signed_in(client, "ffion").post(
            "/evidence/add/INC-2026-00042/",
            {"file": disguised, "distressing": "yes", "description": "Post naming Ffion"},
        )
    html = page.content.decode()
    assert records[0].outcome == AuditRecord.Outcome.REFUSED
    assert page.status_code == 200
    assert "The file&#x27;s name says it is a PNG image, but its content is a web page" in html
    assert 'href="#id_file"' in html  # the error summary links to the field
    assert 'value="yes" checked' in html
    assert "Post naming Ffion</textarea>" in html
    assert not Evidence.objects.exists()
    assert not (settings.MEDIA_ROOT / "evidence").exists()


def test_leaving_out_whether_it_is_distressing_asks_for_it_and_to_choose_the_file_again(
    client, flintshire, incident
):
    page = _signed_in(client, "ffion").post(
        "/evidence/add/INC-2026-00042/", {"file": upload(), "description": "x"}
    )
    html = page.content.decode()
    assert "Select yes if this item may be distressing" in html
    assert "Select the file again" in html
    assert not Evidence.objects.exists()


# Withdrawing -------------------------------------------------------------------------------------


def test_dafydd_withdraws_an_item_and_it_shows_as_withdrawn_without_a_way_to_open_it(
    client, flintshire, distressing
):
    with expect_audit(("evidence.withdraw", distressing)):
        response = _signed_in(client, "dafydd").post(
            f"/evidence/{distressing.pk}/withdraw/", {"reason": "Added to the wrong incident"}
        )
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "Withdrawn" in html
    assert "Added to the wrong incident" in html
    assert f"/evidence/{distressing.pk}/open/" not in html


def test_an_appeal_officer_is_refused_the_withdraw_page(client, flintshire, distressing):
    assert _signed_in(client, "gwen").get(f"/evidence/{distressing.pk}/withdraw/").status_code == 403


# Nobody else -------------------------------------------------------------------------------------


def _every_url(evidence):
    pk = evidence.pk
    ref = evidence.incident.reference
    return [
        ("get", f"/evidence/incident/{ref}/"),
        ("get", f"/evidence/incident/{evidence.incident.pk}/"),
        ("get", f"/evidence/add/{ref}/"),
        ("post", f"/evidence/add/{ref}/"),
        ("get", f"/evidence/{pk}/open/"),
        ("post", f"/evidence/{pk}/open/"),
        ("get", f"/evidence/{pk}/file/"),
        ("get", f"/evidence/{pk}/preview/"),
        ("get", f"/evidence/{pk}/withdraw/"),
        ("post", f"/evidence/{pk}/withdraw/"),
    ]


def test_morag_of_another_organisation_gets_not_found_on_every_url_the_file_included(
    client, flintshire, highland, distressing, plain
):
    _signed_in(client, "morag")
    with expect_audit():
        for evidence in (distressing, plain):
            for method, url in _every_url(evidence):
                data = (
                    {"reason": "Curious", "file": upload(), "distressing": "no"} if method == "post" else {}
                )
                response = getattr(client, method)(url, data)
                assert response.status_code == 404, f"{method} {url} gave {response.status_code}"


def test_a_manager_gets_not_found_on_the_evidence_of_a_draft_that_is_not_his(client, flintshire):
    draft = make_incident(
        flintshire, flintshire.ffion, reference="INC-2026-00043", status=Incident.Status.DRAFT
    )
    evidence = services.evidence_add(
        actor=flintshire.ffion, incident=draft, uploaded_file=upload(), distressing=False
    )
    _signed_in(client, "dafydd")
    for method, url in _every_url(evidence):
        response = getattr(client, method)(url, {"reason": "Reviewing"} if method == "post" else {})
        assert response.status_code == 404, f"{method} {url} gave {response.status_code}"


@pytest.mark.parametrize(
    "url", ["/evidence/incident/INC-2026-99999/", "/evidence/999999/file/", "/evidence/999999/open/"]
)
def test_what_does_not_exist_is_not_found_too(client, flintshire, url):
    assert _signed_in(client, "rhodri").get(url).status_code == 404


def test_the_files_are_never_served_without_signing_in(client, flintshire, distressing, plain):
    for url in (
        f"/evidence/{plain.pk}/file/",
        f"/evidence/{plain.pk}/preview/",
        f"/evidence/{distressing.pk}/open/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/sign-in/")


def test_after_adding_evidence_the_reporter_returns_to_her_answers_but_never_off_site(client, flintshire):
    from engage.evidence.tests.helpers import make_incident, upload
    from tests.personas import PASSWORD

    incident = make_incident(flintshire, flintshire.ffion)
    client.login(username="ffion", password=PASSWORD)
    back = f"/incidents/{incident.pk}/check/"
    response = client.post(
        f"/evidence/add/{incident.reference}/", {"file": upload(), "distressing": "no", "next": back}
    )
    assert response.url == back
    response = client.post(
        f"/evidence/add/{incident.reference}/",
        {"file": upload(), "distressing": "no", "next": "https://evil.example/"},
    )
    assert response.url.startswith("/evidence/")
