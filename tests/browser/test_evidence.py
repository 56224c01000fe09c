"""Evidence in the browser: a distressing screenshot is hidden until opened with a reason, and audited."""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import expect

from engage.evidence.models import Evidence
from engage.evidence.tests.helpers import make_incident
from tests.personas import PASSWORD

REF = "INC-2026-00042"


def _screenshot(path):
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (180, 20, 20)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_a_distressing_screenshot_is_hidden_until_opened_with_a_reason_and_the_opening_is_audited(
    visit, flintshire, highland, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "files"
    make_incident(flintshire, flintshire.ffion, reference=REF)
    screenshot = _screenshot(tmp_path / "Screenshot 2026-11-23 at 09.14.png")
    disguised = tmp_path / "post.png"
    disguised.write_text("<html><script>alert(1)</script></html>", encoding="utf-8")

    # Ffion adds the screenshot, marked distressing; a disguised file is refused first.
    ffion = visit("ffion")
    ffion.sign_in("ffion", PASSWORD)
    ffion.goto(f"/evidence/add/{REF}/")
    page = ffion.page
    expect(page.get_by_role("heading", name="Add evidence")).to_be_visible()
    ffion.check("add evidence")
    page.get_by_label("Upload a file").set_input_files(str(disguised))
    page.get_by_label("Yes").check()
    page.get_by_label("What does it show? (optional)").fill("Facebook post naming Ffion")
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("its content is a web page")
    expect(page.get_by_label("Yes")).to_be_checked()
    expect(page.get_by_label("What does it show? (optional)")).to_have_value("Facebook post naming Ffion")
    ffion.check("add evidence refused")
    page.get_by_label("Upload a file").set_input_files(str(screenshot))
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_text(f"Evidence 1 has been added to {REF}.")).to_be_visible()
    ffion.check("evidence list after adding")
    # A second screenshot, not distressing, is shown on the list through the checked view.
    page.get_by_role("link", name="Add evidence").click()
    page.get_by_label("Upload a file").set_input_files(str(_screenshot(tmp_path / "queue.png")))
    page.get_by_label("No").check()
    page.get_by_role("button", name="Add evidence").click()
    picture = page.locator("#evidence-2 img")
    expect(picture).to_have_attribute("alt", f"Screenshot attached to {REF}")
    page.wait_for_function("img => img.complete && img.naturalWidth === 320", arg=picture.element_handle())
    ffion.check("evidence list with a picture")
    distressing = Evidence.objects.get(number=1)

    # Dafydd, her team leader, sees the warning and not the picture: nothing of it is even fetched.
    dafydd = visit("dafydd")
    fetched: list[str] = []
    dafydd.page.on("request", lambda request: fetched.append(request.url))
    dafydd.sign_in("dafydd", PASSWORD)
    dafydd.goto(f"/evidence/incident/{REF}/")
    page = dafydd.page
    card = page.locator("#evidence-1")
    expect(card).to_contain_text("This item may be distressing. It is not shown here.")
    expect(card).to_contain_text("May be distressing")
    expect(card.locator("img")).to_have_count(0)
    assert not [url for url in fetched if f"/evidence/{distressing.pk}/" in url]
    dafydd.check("evidence list with a distressing item")

    page.get_by_role("button", name="Open this item").click()
    expect(page.get_by_role("heading", name="Open evidence 1")).to_be_visible()
    dafydd.check("open a distressing item")
    page.get_by_role("button", name="Open this item").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you are opening this item")
    dafydd.check("open a distressing item without a reason")
    page.get_by_label("Why are you opening this?").fill("Reviewing the incident Ffion reported")
    with page.expect_download() as download:
        page.get_by_role("button", name="Open this item").click()
    assert download.value.suggested_filename == f"{REF}-evidence-1.png"

    # Rhodri, records manager, finds the opening in the audit log.
    rhodri = visit("rhodri")
    rhodri.sign_in("rhodri", PASSWORD)
    rhodri.goto("/audit/?action=evidence.open")
    row = rhodri.page.locator("tbody tr").filter(has_text="evidence.open")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Dafydd Roberts")
    expect(row).to_contain_text(f"{REF} evidence 1")
    rhodri.check("audit log showing the opening")

    # Mòrag, of another council, is told "not found" on every address of it, the file included.
    morag = visit("morag")
    morag.sign_in("morag", PASSWORD)
    evidence_pk = distressing.pk
    for label, path in [
        ("evidence list", f"/evidence/incident/{REF}/"),
        ("open page", f"/evidence/{evidence_pk}/open/"),
        ("file", f"/evidence/{evidence_pk}/file/"),
    ]:
        response = morag.goto(path)
        assert response.status == 404, f"{path} gave {response.status}"
        morag.check(f"not found: {label}")
