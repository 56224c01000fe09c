"""The access module: scoped reads, and 'not found' for both missing and not yours."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from engage import access
from engage.staff.models import User


def test_scoped_reads_only_the_users_organisation(flintshire, highland):
    seen = set(access.scoped(User, flintshire.ffion).values_list("username", flat=True))
    assert seen == {"ffion", "dafydd", "sian", "gwen", "rhodri"}
    assert "eilidh" in set(access.scoped(User, highland.morag).values_list("username", flat=True))


def test_another_organisations_object_is_not_found_like_a_missing_one(flintshire, highland):
    with pytest.raises(Http404):
        access.get_for_user(User, highland.morag, pk=flintshire.ffion.pk)
    with pytest.raises(Http404):
        access.get_for_user(User, highland.morag, pk=999_999)
    assert access.get_for_user(User, highland.morag, pk=highland.eilidh.pk) == highland.eilidh


def test_nobody_signed_in_sees_nothing(flintshire):
    assert access.scoped(User, AnonymousUser()).count() == 0


def test_require_refuses_a_capability_the_roles_do_not_carry(flintshire):
    access.require(flintshire.rhodri, "information_governance")
    with pytest.raises(PermissionDenied):
        access.require(flintshire.ffion, "information_governance")
