"""The organisation settings page as the way in to information governance's contact pages: Rhodri
finds them there; Ffion, at the phones, sees no way to them anywhere she goes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from engage.audit.testing import expect_audit
from engage.contacts.retention import checks_kept_months, events_kept_months

CONTACT_PAGES = (
    "contacts:imports",
    "contacts:levels_settings",
    "contacts:checks_retention",
    "contacts:events_retention",
)


def test_rhodri_finds_the_contact_pages_on_the_settings_page_from_the_menu(client, flintshire):
    client.force_login(flintshire.rhodri)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("organisations:settings")}"' in home
    page = client.get(reverse("organisations:settings")).content.decode()
    for name in CONTACT_PAGES:
        assert f'href="{reverse(name)}"' in page, name
    assert "24 months" in page


def test_ffion_sees_no_way_to_the_contact_settings_and_is_refused_them(client, flintshire):
    client.force_login(flintshire.ffion)
    for page_name in ("home", "contacts:check", "incidents:index", "customers:search", "policy:ours"):
        page = client.get(reverse(page_name))
        assert page.status_code == 200, page_name
        html = page.content.decode()
        for name in (*CONTACT_PAGES, "organisations:settings"):
            assert f'href="{reverse(name)}"' not in html, (page_name, name)
    for name in (*CONTACT_PAGES, "organisations:settings"):
        assert client.get(reverse(name)).status_code == 403, name


def test_rhodri_keeps_flintshires_checks_for_three_years(client, flintshire):
    client.force_login(flintshire.rhodri)
    url = reverse("contacts:checks_retention")
    assert 'value="24"' in client.get(url).content.decode()
    with expect_audit(("contact_checks.retention_update", flintshire.organisation)):
        response = client.post(url, {"months": "36"}, follow=True)
    assert response.redirect_chain == [(reverse("organisations:settings"), 302)]
    assert "36 months" in response.content.decode()
    assert checks_kept_months(flintshire.organisation) == 36


def test_rhodri_keeps_flintshires_contact_events_for_a_year_and_checks_keep_theirs(client, flintshire):
    client.force_login(flintshire.rhodri)
    url = reverse("contacts:events_retention")
    page = client.get(url).content.decode()
    assert "How long contact events are kept" in page
    assert 'value="24"' in page
    with expect_audit(("contact_events.retention_update", flintshire.organisation)):
        response = client.post(url, {"months": "12"}, follow=True)
    assert response.redirect_chain == [(reverse("organisations:settings"), 302)]
    assert "12 months" in response.content.decode()
    assert (events_kept_months(flintshire.organisation), checks_kept_months(flintshire.organisation)) == (
        12,
        24,
    )


@pytest.mark.parametrize("name", ["contacts:checks_retention", "contacts:events_retention"])
def test_no_period_is_refused_with_the_field_named_and_nothing_saved(client, flintshire, name):
    client.force_login(flintshire.rhodri)
    with expect_audit():
        page = client.post(reverse(name), {"months": "121"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="#id_months"' in html
    assert "Enter a whole number of months from 1 to 120" in html
    assert 'value="121"' in html  # what was typed is still there to correct
    assert (events_kept_months(flintshire.organisation), checks_kept_months(flintshire.organisation)) == (
        24,
        24,
    )


def test_no_period_is_refused_with_the_field_named(client, flintshire):
    client.force_login(flintshire.rhodri)
    with expect_audit():
        page = client.post(reverse("contacts:checks_retention"), {"months": "0"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_months"' in html
    assert "Enter a whole number of months from 1 to 120" in html
    assert checks_kept_months(flintshire.organisation) == 24


def test_on_a_contact_page_the_menu_still_says_rhodri_is_in_settings(client, flintshire):
    client.force_login(flintshire.rhodri)
    settings_link = f'href="{reverse("organisations:settings")}" aria-current="page"'
    for name in CONTACT_PAGES:
        assert settings_link in client.get(reverse(name)).content.decode(), name
    assert settings_link not in client.get(reverse("contacts:check")).content.decode()
