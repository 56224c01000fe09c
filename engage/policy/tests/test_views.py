"""The policy pages: 'Our policy' for everyone, loading versions for information governance only."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from engage.policy import presets
from engage.policy.models import PolicyVersion
from tests.personas import PASSWORD


def test_a_call_handler_reads_who_decides_what(client, flintshire):
    client.login(username="ffion", password=PASSWORD)
    page = client.get("/policy/").content.decode()
    assert "Who decides what" in page
    assert "Chief Officer Governance" in page
    assert "004: Decision matrix" in page


def test_only_information_governance_may_load_a_version(client, flintshire):
    client.login(username="ffion", password=PASSWORD)
    assert client.get("/policy/versions/").status_code == 403


def test_a_broken_upload_lists_each_problem_and_loads_nothing(client, flintshire):
    client.login(username="rhodri", password=PASSWORD)
    text = (
        (presets.PRESETS_DIR / "flintshire.toml")
        .read_text(encoding="utf-8")
        .replace("[[roles]]", "[[rolez]]", 1)
    )
    upload = SimpleUploadedFile("flintshire.toml", text.encode(), content_type="application/toml")
    response = client.post("/policy/versions/", {"preset_file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file is not a valid policy preset" in page
    assert "rolez: is not a key this schema knows" in page
    assert PolicyVersion.objects.filter(organisation=flintshire.organisation).count() == 1


def test_a_file_that_is_not_toml_is_refused_by_name(client, flintshire):
    client.login(username="rhodri", password=PASSWORD)
    upload = SimpleUploadedFile("policy.pdf", b"%PDF-1.4", content_type="application/pdf")
    page = client.post("/policy/versions/", {"preset_file": upload}).content.decode()
    assert "must be a .toml file" in page
