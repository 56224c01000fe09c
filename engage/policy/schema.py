"""The shape of a policy preset: what a preset file may say, validated with clear messages.

A preset is a TOML file, one per policy. Every rule carries `clause`, the paragraph of the
policy it comes from (e.g. "004: Decision matrix", "003: 12.3"). Where a policy is silent or
contradicts itself the preset records the choice in `[[choices]]` with its reason.

Role keys and group keys share one namespace ("deciders"): a rule's `decided_by`,
`approved_by`, `checked_by`, `heard_by` name roles or groups of the same preset.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from engage.policy.vocabulary import (
    Capability,
    Channel,
    CustomerTold,
    DecisionType,
    LetterContent,
    MeasureType,
    Nation,
    PeriodicReview,
    PoliceReporting,
    WarningExemption,
)

SCHEMA_VERSION = 1

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Clause = Annotated[str, StringConstraints(min_length=3, strip_whitespace=True)]
Language = Literal["en", "cy"]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
# Stored in PolicyVersion.version and .title: the limits match the columns, so a preset that is
# too long is refused by validation (naming the key), not by the database.
VersionText = Annotated[str, StringConstraints(min_length=1, max_length=120, strip_whitespace=True)]
TitleText = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]


def _english_only() -> list[Language]:
    return ["en"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Role(_Strict):
    key: Key
    name: TitleText
    capabilities: list[Capability] = Field(min_length=1)
    description: str = ""
    clause: Clause


class Group(_Strict):
    """A body that decides together, e.g. 003's Complaints Review Group."""

    key: Key
    name: Text
    members: list[Text] = Field(min_length=1, description="who sits on it, in the policy's words")
    member_roles: list[Key] = Field(default_factory=list, description="roles that may sit on it")
    quorum: int = Field(default=1, ge=1)
    clause: Clause


class Category(_Strict):
    key: Key
    name: Text
    definition: Text
    examples: list[Text] = Field(default_factory=list)
    zero_tolerance: bool = False
    clause: Clause


class DecisionRule(_Strict):
    type: DecisionType
    name: Text = Field(description="what the policy calls it")
    decided_by: list[Key] = Field(min_length=1)
    approved_by: list[Key] = Field(default_factory=list)
    requires_warning_first: bool = False
    warning_exemptions: list[WarningExemption] = Field(default_factory=list)
    requires_prior: list[DecisionType] = Field(
        default_factory=list, description="decisions one of which must already be on the case"
    )
    letter_required: bool = False
    letter_checked_by: list[Key] = Field(default_factory=list)
    max_duration_days: int | None = Field(default=None, ge=1)
    review_required: bool = False
    advocacy_to_be_considered: bool = False
    clause: Clause
    note: str = ""

    @model_validator(mode="after")
    def _exemptions_need_a_warning(self) -> DecisionRule:
        if self.warning_exemptions and not self.requires_warning_first:
            raise ValueError("warning_exemptions given but requires_warning_first is false")
        return self


class MeasureRule(_Strict):
    type: MeasureType
    name: Text
    decided_by: list[Key] = Field(min_length=1)
    approved_by: list[Key] = Field(default_factory=list)
    clause: Clause
    note: str = ""


class Exemption(_Strict):
    key: Key
    description: Text
    clause: Clause


class Ombudsman(_Strict):
    name: Text
    short_name: Text
    url: Text


class Letters(_Strict):
    required_contents: list[LetterContent] = Field(min_length=1)
    warning_contents: list[LetterContent] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=_english_only, min_length=1)
    enclose_policy: bool = False
    notification_exemptions: list[Exemption] = Field(default_factory=list)
    clause: Clause


class AppealRoute(_Strict):
    decided_at: list[Key] = Field(min_length=1, description="roles/groups whose decisions this covers")
    heard_by: list[Key] = Field(min_length=1)
    description: Text
    clause: Clause


class NoAppeal(_Strict):
    key: Key
    description: Text
    capabilities: list[Capability] = Field(default_factory=list, description="decisions by these")
    categories: list[Key] = Field(default_factory=list, description="engagement in these")
    clause: Clause


class Appeals(_Strict):
    window_working_days: int | None = Field(default=None, ge=1)
    window_from: Literal["receipt", "decision"] = "receipt"
    deemed_receipt_working_days: int = Field(default=2, ge=0, le=10)
    routes: list[AppealRoute] = Field(min_length=1)
    no_appeal: list[NoAppeal] = Field(default_factory=list)
    no_internal_appeal: list[Exemption] = Field(default_factory=list)
    decided_by_someone_else: bool = True
    clause: Clause


class Periodic(_Strict):
    kind: PeriodicReview
    by: list[Key] = Field(default_factory=list)
    clause: Clause


class Reviews(_Strict):
    max_interval_months: int | None = Field(default=None, ge=1, le=60)
    reviewed_by: list[Key] = Field(min_length=1)
    customer_told: CustomerTold
    no_review_allowed_for: list[Key] = Field(
        default_factory=list, description="categories for which a restriction may have no review"
    )
    periodic: Periodic
    clause: Clause


class SharingRule(_Strict):
    when: Channel | Literal["physical_threat", "any"]
    tell: list[Text] = Field(min_length=1)
    clause: Clause


class PoliceRule(_Strict):
    categories: list[Key] = Field(default_factory=list)
    description: Text
    reporting: PoliceReporting
    clause: Clause


class Police(_Strict):
    rules: list[PoliceRule] = Field(min_length=1)
    may_decide_not_to_report: list[Key] = Field(min_length=1)
    staff_view_recorded: bool = True
    clause: Clause


class ContactLine(_Strict):
    """At least one line of contact remains unless someone with this authority decides otherwise."""

    must_remain: bool = True
    override_by: list[Key] = Field(default_factory=list)
    clause: Clause


class Exclusion(_Strict):
    description: Text
    clause: Clause


class Choice(_Strict):
    """Where the policy is silent or contradicts itself: what Engage does, and why."""

    topic: Text
    choice: Text
    reason: Text
    clause: Clause


class Preset(_Strict):
    schema_version: Literal[1] = 1
    key: Key
    organisation: TitleText
    title: TitleText
    version: VersionText
    review_date: dt.date | None = None
    source: Text = Field(description="the policy file in shared/policies")
    nation: Nation
    health_and_safety_portal: str = ""
    ombudsman: Ombudsman
    roles: list[Role] = Field(min_length=1)
    groups: list[Group] = Field(default_factory=list)
    categories: list[Category] = Field(min_length=1)
    decisions: list[DecisionRule] = Field(min_length=1)
    measures: list[MeasureRule] = Field(default_factory=list)
    executive_only: list[DecisionType] = Field(default_factory=list)
    contact_line: ContactLine
    letters: Letters
    appeals: Appeals
    reviews: Reviews
    sharing: list[SharingRule] = Field(default_factory=list)
    police: Police
    exclusions: list[Exclusion] = Field(default_factory=list)
    choices: list[Choice] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> Preset:
        roles = [r.key for r in self.roles]
        groups = [g.key for g in self.groups]
        _unique("roles", roles)
        _unique("groups", groups)
        deciders = set(roles) | set(groups)
        if set(roles) & set(groups):
            raise ValueError(f"a role and a group share a key: {sorted(set(roles) & set(groups))}")
        categories = [c.key for c in self.categories]
        _unique("categories", categories)
        _unique("decisions", [d.type.value for d in self.decisions])
        _unique("measures", [m.type.value for m in self.measures])

        def check(path: str, keys: list[str], known: set[str], what: str) -> None:
            for k in keys:
                if k not in known:
                    raise ValueError(f"{path}: unknown {what} '{k}' (known: {', '.join(sorted(known))})")

        for g_i, g in enumerate(self.groups):
            check(f"groups[{g_i}].member_roles", g.member_roles, set(roles), "role")
        for i, d in enumerate(self.decisions):
            for field in ("decided_by", "approved_by", "letter_checked_by"):
                check(f"decisions[{i}] ({d.type}).{field}", getattr(d, field), deciders, "role or group")
        for i, m in enumerate(self.measures):
            for field in ("decided_by", "approved_by"):
                check(f"measures[{i}] ({m.type}).{field}", getattr(m, field), deciders, "role or group")
        for i, r in enumerate(self.appeals.routes):
            check(f"appeals.routes[{i}].decided_at", r.decided_at, deciders, "role or group")
            check(f"appeals.routes[{i}].heard_by", r.heard_by, deciders, "role or group")
        for i, n in enumerate(self.appeals.no_appeal):
            check(f"appeals.no_appeal[{i}].categories", n.categories, set(categories), "category")
        check("reviews.reviewed_by", self.reviews.reviewed_by, deciders, "role or group")
        check("reviews.periodic.by", self.reviews.periodic.by, deciders, "role or group")
        check(
            "reviews.no_review_allowed_for", self.reviews.no_review_allowed_for, set(categories), "category"
        )
        check(
            "police.may_decide_not_to_report", self.police.may_decide_not_to_report, deciders, "role or group"
        )
        for i, p in enumerate(self.police.rules):
            check(f"police.rules[{i}].categories", p.categories, set(categories), "category")
        check("contact_line.override_by", self.contact_line.override_by, deciders, "role or group")
        return self

    # Lookups used by the engine and the pages.
    def role(self, key: str) -> Role:
        return next(r for r in self.roles if r.key == key)

    def decision(self, type_: DecisionType | str) -> DecisionRule | None:
        return next((d for d in self.decisions if d.type == type_), None)

    def measure(self, type_: MeasureType | str) -> MeasureRule | None:
        return next((m for m in self.measures if m.type == type_), None)

    def group(self, key: str) -> Group | None:
        return next((g for g in self.groups if g.key == key), None)

    def category(self, key: str) -> Category | None:
        return next((c for c in self.categories if c.key == key), None)

    def decider_name(self, key: str) -> str:
        group = self.group(key)
        if group is not None:
            return group.name
        return next((r.name for r in self.roles if r.key == key), key)


def _unique(what: str, keys: list[str]) -> None:
    seen: set[str] = set()
    for k in keys:
        if k in seen:
            raise ValueError(f"{what}: '{k}' appears twice")
        seen.add(k)
