"""Staff care in the browser: Ffion asks not to deal with a customer, Dafydd agrees; she reports
being named on social media and says what she wants done (001 §68, §70, §78–86 and 002 10.4,
10.6, 12.6–12.10 give the same rights; Flintshire is where our personas work)."""

from __future__ import annotations

import io
import re

from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from engage.customers.tests.factories import CustomerFactory
from engage.staffcare.models import NamedOnlineReport, StaffRequest
from engage.staffcare.selectors import active_no_contact
from tests.personas import PASSWORD


def _screenshot(path):
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 60, 160)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_ffion_asks_for_no_further_contact_and_dafydd_agrees(visit, flintshire):
    customer = CustomerFactory(
        organisation=flintshire.organisation, full_name="Gareth Price", phone="01352 702345"
    )

    ffion = visit("ffion")
    ffion.sign_in("ffion", PASSWORD)
    page = ffion.page
    ffion.goto("/staff-care/")
    expect(page.get_by_role("heading", name="Staff care", exact=True)).to_be_visible()
    ffion.check("staff care")
    page.get_by_role("link", name="Ask not to deal with a customer").click()
    ffion.check("find the customer")
    page.get_by_label("Find the customer").fill("01352 702345")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name=re.compile("Gareth Price")).click()
    expect(page.get_by_role("heading", name="Ask for a change")).to_be_visible()
    ffion.check("ask for a change")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what you would like")
    ffion.check("ask for a change with an error")
    page.get_by_label("No further contact with this customer").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Dafydd Roberts will decide. You will see the decision here.")).to_be_visible()
    ffion.check("request sent")

    dafydd = visit("dafydd")
    dafydd.sign_in("dafydd", PASSWORD)
    dafydd.goto("/staff-care/")
    dafydd.check("staff care for a team leader")
    dafydd.page.get_by_role("link", name="Ffion Hughes").click()
    dafydd.page.get_by_role("link", name="Decide").click()
    dafydd.check("decide a request")
    dafydd.page.get_by_label("No, do not agree").check()
    dafydd.page.get_by_role("button", name="Save decision").click()
    expect(dafydd.page.locator(".govuk-error-summary")).to_contain_text("Enter why you are not agreeing")
    dafydd.check("decide a request with an error")
    dafydd.page.get_by_label("Yes, agree").check()
    dafydd.page.get_by_role("button", name="Save decision").click()
    expect(
        dafydd.page.get_by_text("Your decision has been recorded. Ffion Hughes can see it.")
    ).to_be_visible()
    dafydd.check("request agreed")

    # They talk it through; Dafydd notes the debrief and what they agreed (004 gives no clause;
    # 001 §68 and 002 10.4 do).
    dafydd.goto("/staff-care/")
    dafydd.page.get_by_role("link", name="Note a debrief for someone you manage").click()
    expect(dafydd.page.get_by_role("heading", name="Note a debrief")).to_be_visible()
    dafydd.check("note a debrief")
    dafydd.page.get_by_label("Who was the debrief for?").select_option(label="Ffion Hughes")
    dafydd.page.get_by_label("Day").first.fill("31")
    dafydd.page.get_by_label("Month").first.fill("2")
    dafydd.page.get_by_role("checkbox", name="Dafydd Roberts").check()
    dafydd.page.get_by_label("What did you agree?").fill("Ffion takes the afternoon away from the phones.")
    dafydd.page.get_by_role("button", name="Save").click()
    expect(dafydd.page.locator(".govuk-error-summary")).to_contain_text("Enter a real date")
    dafydd.check("note a debrief with an error")
    dafydd.page.get_by_label("Day").first.fill("1")
    dafydd.page.get_by_label("Year").first.fill(str(timezone.localdate().year - 1))
    dafydd.page.get_by_role("button", name="Save").click()
    expect(dafydd.page.get_by_text("The debrief has been noted.")).to_be_visible()
    dafydd.check("debrief noted")

    page.reload()
    expect(page.locator(".govuk-tag", has_text="Agreed")).to_be_visible()
    expect(page.get_by_text("They are not told why.")).to_be_visible()
    ffion.check("request agreed, as Ffion sees it")
    request = StaffRequest.objects.get()
    assert active_no_contact(flintshire.organisation.pk, customer.pk) == [
        (flintshire.ffion.pk, "no_further_contact")
    ]
    assert request.decided_by == flintshire.dafydd


def test_ffion_reports_being_named_online_and_says_what_she_wants_done(visit, flintshire, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    screenshot = _screenshot(tmp_path / "Screenshot 2026-11-23 at 09.14.png")

    ffion = visit("ffion")
    ffion.sign_in("ffion", PASSWORD)
    page = ffion.page
    ffion.goto("/staff-care/")
    page.get_by_role("link", name="Tell us you have been named online").click()
    expect(page.get_by_role("heading", name="Tell us you have been named online")).to_be_visible()
    ffion.check("report being named online")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter where it was posted")
    ffion.check("report being named online with an error")
    page.get_by_label("Where was it posted?").fill("Facebook")
    page.get_by_label("Links to it (optional)").fill(
        "https://social.example.org/groups/mold-news/posts/20417"
    )
    page.get_by_label("Screenshots (optional)").set_input_files(str(screenshot))
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Named online")).to_be_visible()
    expect(page.get_by_text("You have not said yet. There is no rush.")).to_be_visible()
    ffion.check("named online report")
    page.get_by_role("link", name="Say what you would like to happen").click()
    ffion.check("say what you would like to happen")
    page.get_by_label("What would you like to happen?").fill(
        "Please report the post to Facebook and ask for it to be taken down. No police."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Please report the post to Facebook")).to_be_visible()
    ffion.check("named online report with her say")

    dafydd = visit("dafydd")
    dafydd.sign_in("dafydd", PASSWORD)
    dafydd.goto("/staff-care/")
    dafydd.page.get_by_role("link", name="Ffion Hughes, on Facebook").click()
    expect(dafydd.page.get_by_text("Screenshots may be upsetting")).to_be_visible()
    dafydd.check("named online report for her line manager")
    dafydd.page.get_by_role("link", name="Record who has been told").click()
    dafydd.check("record who has been told")
    dafydd.page.get_by_label("Line manager").check()
    dafydd.page.get_by_role("button", name="Save").click()
    expect(dafydd.page.get_by_text("Who has been told is recorded.")).to_be_visible()
    dafydd.check("told recorded")
    report = NamedOnlineReport.objects.get()
    assert report.told_keys == {"line_manager"}
    assert report.staff_view.startswith("Please report the post")
