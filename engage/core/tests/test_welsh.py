"""The staff interface speaks Welsh to a browser that asks for it (the catalogue is started, not complete)."""

from __future__ import annotations

from tests.personas import PASSWORD


def test_a_welsh_speaking_member_of_staff_sees_the_interface_in_welsh(client, flintshire):
    client.login(username="ffion", password=PASSWORD)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert '<html lang="cy"' in page
    assert "Eich gwaith" in page
    assert "Neidio i'r prif gynnwys" in page or "Neidio i&#x27;r prif gynnwys" in page
    assert "Allgofnodi" in page


def test_english_stays_the_default(client, flintshire):
    client.login(username="ffion", password=PASSWORD)
    page = client.get("/").content.decode()
    assert '<html lang="en"' in page
    assert "Your work" in page
