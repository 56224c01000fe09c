"""Test helper: assert that a block of code wrote exactly the expected audit records."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from engage.audit.models import AuditRecord


@contextlib.contextmanager
def expect_audit(*expected: str | tuple[str, object]) -> Iterator[list[AuditRecord]]:
    """`with expect_audit("staff.create", ("staff.roles_change", alice)):` ...

    Each expected item is an action name, or (action, object) to check the object too. The
    records written inside the block must match exactly, in order: no more, no fewer.
    """
    before = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    written: list[AuditRecord] = []
    yield written
    written.extend(AuditRecord.objects.filter(id__gt=before).order_by("id"))
    got = [r.action for r in written]
    want = [e if isinstance(e, str) else e[0] for e in expected]
    assert got == want, f"audit records written {got}, expected {want}"
    for record, item in zip(written, expected, strict=True):
        if isinstance(item, tuple):
            obj = item[1]
            assert record.object_id == str(obj.pk), (  # type: ignore[attr-defined]
                f"{record.action} recorded object {record.object_label!r}, expected {obj!r}"
            )
