"""Adding, opening, downloading and withdrawing evidence; who may see it; refusals keep nothing."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from engage.audit.models import AuditRecord
from engage.audit.testing import expect_audit
from engage.evidence import files, services
from engage.evidence.models import Evidence, EvidenceOpening
from engage.evidence.selectors import can_see, evidence_of_incident, may_open
from engage.evidence.tests.helpers import make_incident, screenshot_bytes, upload
from engage.incidents.models import Incident
from tests.personas import _person


def _stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _add(actor, incident, **kwargs):
    kwargs.setdefault("uploaded_file", upload())
    kwargs.setdefault("distressing", True)
    return services.evidence_add(actor=actor, incident=incident, **kwargs)


# Adding ------------------------------------------------------------------------------------------


def test_ffion_adds_a_distressing_screenshot_which_is_stored_under_a_random_name(
    flintshire, incident, settings
):
    with expect_audit("evidence.add") as records:
        evidence = _add(flintshire.ffion, incident, description="Post naming Ffion")
    assert records[0].object_id == str(evidence.pk)
    assert records[0].detail["distressing"] is True
    assert records[0].object_label == "INC-2026-00042 evidence 1"
    assert evidence.number == 1
    assert evidence.organisation == flintshire.organisation
    assert evidence.uploaded_by == flintshire.ffion
    assert (evidence.kind, evidence.content_type) == ("image", "image/png")
    assert evidence.original_name == "Screenshot.png"
    assert evidence.stored_name.startswith(f"evidence/{flintshire.organisation.pk}/")
    assert "Screenshot" not in evidence.stored_name
    assert _stored_files(settings) == [evidence.stored_name]
    assert evidence.download_name == "INC-2026-00042-evidence-1.png"


def test_each_item_of_an_incident_gets_the_next_number(flintshire, incident):
    with expect_audit("evidence.add", "evidence.add"):
        first = _add(flintshire.ffion, incident)
        second = _add(flintshire.ffion, incident, distressing=False)
    assert (first.number, second.number) == (1, 2)


def test_gps_is_stripped_before_the_image_is_stored_and_the_hash_is_of_what_is_kept(flintshire, incident):
    original = screenshot_bytes(gps=True)
    assert b"PhoneMakerCo" in original
    with expect_audit("evidence.add") as records:
        evidence = _add(flintshire.ffion, incident, uploaded_file=upload(data=original))
    with default_storage.open(evidence.stored_name, "rb") as handle:
        kept = handle.read()
    assert b"PhoneMakerCo" not in kept
    assert dict(Image.open(io.BytesIO(kept)).getexif()) == {}
    assert evidence.sha256 == hashlib.sha256(kept).hexdigest()
    assert evidence.size == len(kept)
    assert records[0].detail["received_sha256"] == hashlib.sha256(original).hexdigest()


@pytest.mark.parametrize(
    ("name", "data", "rule"),
    [
        ("Screenshot.png", b"<html><script>alert(1)</script></html>", "content is a web page"),
        ("invoice.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "PDF is incomplete"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 50, "could not be read"),
        ("macro.docm", b"PK\x03\x04" + b"\x00" * 50, "cannot be added"),
    ],
)
def test_a_disguised_or_damaged_file_is_refused_naming_the_rule_and_nothing_is_kept(
    flintshire, incident, settings, name, data, rule
):
    with expect_audit("evidence.add") as records, pytest.raises(ValidationError) as refused:
        _add(flintshire.ffion, incident, uploaded_file=upload(name=name, data=data))
    assert rule in refused.value.message_dict["file"][0]
    assert records[0].outcome == AuditRecord.Outcome.REFUSED
    assert records[0].object_id == str(incident.pk)
    assert not Evidence.objects.exists()
    assert _stored_files(settings) == []


class _CountingFile(io.BytesIO):
    name = "huge.pdf"

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.largest_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.largest_read = max(self.largest_read, len(chunk))
        return chunk


def test_an_oversized_file_is_refused_after_reading_no_more_than_one_byte_past_the_limit(
    flintshire, incident, settings
):
    big = _CountingFile(b"%PDF-1.4\n" + b"0" * (files.MAX_BYTES * 2))
    with expect_audit("evidence.add"), pytest.raises(ValidationError, match="smaller than 20 MB"):
        _add(flintshire.ffion, incident, uploaded_file=big)
    assert big.largest_read == files.MAX_BYTES + 1
    assert _stored_files(settings) == []


def test_when_recording_fails_the_stored_file_is_removed(flintshire, incident, settings, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        _add(flintshire.ffion, incident)
    assert not Evidence.objects.exists()
    assert _stored_files(settings) == []


def test_someone_of_another_organisation_cannot_add_evidence_to_an_incident(
    flintshire, highland, incident, settings
):
    with expect_audit(), pytest.raises(ValidationError, match="cannot add evidence"):
        _add(highland.eilidh, incident)
    assert _stored_files(settings) == []


# Opening and downloading -------------------------------------------------------------------------


def test_dafydd_opens_a_distressing_item_giving_his_reason_and_it_is_recorded(flintshire, incident):
    evidence = _add(flintshire.ffion, incident)
    with expect_audit(("evidence.open", evidence)) as records:
        opening = services.evidence_open(
            actor=flintshire.dafydd, evidence=evidence, reason="  Reviewing the incident  "
        )
    assert opening.reason == "Reviewing the incident"
    assert opening.opened_by == flintshire.dafydd
    assert records[0].detail == {"reason": "Reviewing the incident", "distressing": True}
    assert list(evidence.openings.all()) == [opening]


def test_a_distressing_item_is_not_opened_without_a_reason(flintshire, incident):
    evidence = _add(flintshire.ffion, incident)
    with expect_audit(), pytest.raises(ValidationError, match="Enter why you are opening this item"):
        services.evidence_open(actor=flintshire.dafydd, evidence=evidence, reason="   ")
    assert not EvidenceOpening.objects.exists()


def test_downloading_an_item_that_is_not_distressing_is_recorded(flintshire, incident):
    evidence = _add(flintshire.ffion, incident, distressing=False)
    with expect_audit(("evidence.download", evidence)):
        services.evidence_download(actor=flintshire.sian, evidence=evidence)


def test_a_distressing_item_cannot_be_downloaded_without_being_opened(flintshire, incident):
    evidence = _add(flintshire.ffion, incident)
    with expect_audit(), pytest.raises(ValidationError, match="open it, saying why"):
        services.evidence_download(actor=flintshire.sian, evidence=evidence)


def test_morag_of_another_organisation_cannot_open_flintshire_evidence(flintshire, highland, incident):
    evidence = _add(flintshire.ffion, incident)
    with expect_audit(), pytest.raises(ValidationError, match="cannot open"):
        services.evidence_open(actor=highland.morag, evidence=evidence, reason="Curious")
    with expect_audit(), pytest.raises(ValidationError):
        services.evidence_download(actor=highland.morag, evidence=evidence)


# Withdrawing -------------------------------------------------------------------------------------


def test_ffion_withdraws_an_item_she_added_in_error_and_the_file_is_kept(flintshire, incident, settings):
    evidence = _add(flintshire.ffion, incident)
    with expect_audit(("evidence.withdraw", evidence)):
        services.evidence_withdraw(actor=flintshire.ffion, evidence=evidence, reason="Wrong incident")
    evidence.refresh_from_db()
    assert evidence.is_withdrawn
    assert evidence.withdrawn_by == flintshire.ffion
    assert evidence.withdrawn_reason == "Wrong incident"
    assert _stored_files(settings) == [evidence.stored_name]


def test_after_withdrawal_only_information_governance_can_open_the_item(flintshire, incident):
    evidence = _add(flintshire.ffion, incident)
    services.evidence_withdraw(actor=flintshire.dafydd, evidence=evidence, reason="Duplicate")
    with expect_audit(), pytest.raises(ValidationError, match="only information governance"):
        services.evidence_open(actor=flintshire.dafydd, evidence=evidence, reason="Checking")
    with expect_audit("evidence.open"):
        services.evidence_open(actor=flintshire.rhodri, evidence=evidence, reason="Subject access request")


def test_withdrawing_needs_a_reason(flintshire, incident):
    evidence = _add(flintshire.ffion, incident)
    with expect_audit(), pytest.raises(ValidationError, match="Enter why this item is being withdrawn"):
        services.evidence_withdraw(actor=flintshire.ffion, evidence=evidence, reason="")


def test_an_appeal_officer_can_see_but_not_withdraw_evidence(flintshire, incident):
    evidence = _add(flintshire.ffion, incident)
    assert can_see(flintshire.gwen, evidence)
    with expect_audit(), pytest.raises(ValidationError, match="Only the person who added this item"):
        services.evidence_withdraw(actor=flintshire.gwen, evidence=evidence, reason="Not needed")


def test_an_item_is_withdrawn_only_once(flintshire, incident):
    evidence = _add(flintshire.ffion, incident)
    services.evidence_withdraw(actor=flintshire.ffion, evidence=evidence, reason="Wrong incident")
    with expect_audit(), pytest.raises(ValidationError, match="already been withdrawn"):
        services.evidence_withdraw(actor=flintshire.rhodri, evidence=evidence, reason="Again")


# Who may see ---------------------------------------------------------------------------------------


def test_the_reporter_her_managers_and_the_deciding_roles_see_the_evidence(flintshire, highland, incident):
    evidence = _add(flintshire.ffion, incident)
    seen = {
        name: can_see(getattr(flintshire, name), evidence)
        for name in ("ffion", "dafydd", "sian", "gwen", "rhodri")
    }
    assert seen == dict.fromkeys(seen, True)
    assert not can_see(highland.eilidh, evidence)
    assert not can_see(highland.morag, evidence)


def test_frontline_staff_see_evidence_only_of_incidents_they_reported_or_were_affected_by_or_manage(
    flintshire,
):
    org = flintshire.organisation
    bethan = _person(org, "bethan", "Bethan Lloyd", "frontline", flintshire.ffion)  # Ffion manages her
    carys = _person(org, "carys", "Carys Morgan", "frontline")
    owain = _person(org, "owain", "Owain Price", "frontline")
    incident = make_incident(flintshire, bethan, affected=[owain])
    evidence = _add(bethan, incident)
    assert can_see(bethan, evidence)
    assert can_see(owain, evidence)  # affected
    assert can_see(flintshire.ffion, evidence)  # line manager
    assert can_see(flintshire.dafydd, evidence)  # line manager's line manager
    assert not can_see(carys, evidence)
    assert list(evidence_of_incident(carys, incident)) == []
    assert list(evidence_of_incident(owain, incident)) == [evidence]


def test_evidence_on_a_draft_is_the_reporters_alone(flintshire):
    draft = make_incident(flintshire, flintshire.ffion, status=Incident.Status.DRAFT)
    evidence = _add(flintshire.ffion, draft)
    assert can_see(flintshire.ffion, evidence)
    assert not can_see(flintshire.dafydd, evidence)
    assert not can_see(flintshire.rhodri, evidence)


def test_someone_whose_access_has_ended_sees_nothing(flintshire, incident):
    evidence = _add(flintshire.ffion, incident)
    flintshire.dafydd.is_active = False
    assert not can_see(flintshire.dafydd, evidence)
    assert not may_open(flintshire.dafydd, evidence)


def test_an_uploaded_name_with_folders_is_kept_only_as_its_last_part(flintshire, incident, settings):
    named = SimpleUploadedFile("../../../etc/cron.d/evil.png", screenshot_bytes(), content_type="text/html")
    evidence = _add(flintshire.ffion, incident, uploaded_file=named)
    assert evidence.original_name == "evil.png"
    assert evidence.content_type == "image/png"  # from the content, never from the upload
    assert _stored_files(settings) == [evidence.stored_name]
