"""Policy presets in plain English: words for decisions and measures, a preset read aloud, two compared.

Pure text over a `Preset`, shared by the engine's refusals, the `policy` management command and any
page that shows a policy. It never imports the engine, so the engine can import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from engage.policy.schema import DecisionRule, Preset
from engage.policy.vocabulary import (
    Capability,
    CustomerTold,
    DecisionType,
    MeasureType,
    Nation,
    PeriodicReview,
    WarningExemption,
)

if TYPE_CHECKING:
    from engage.policy.engine import Verdict

__all__ = [
    "decision_label",
    "describe",
    "differences",
    "exemption_label",
    "explain",
    "listing",
    "long_date",
    "measure_label",
    "sentence",
    "who",
]

# Generic words, not each policy's own: sentences that compare two councils need one name per thing.
_DECISIONS = {
    DecisionType.END_CONTACT: "ending a call or meeting",
    DecisionType.NO_FURTHER_ACTION: "no further action",
    DecisionType.INFORMAL_APPROACH: "an informal approach",
    DecisionType.WARNING: "a warning",
    DecisionType.RESTORATIVE_APPROACH: "a restorative approach",
    DecisionType.SHORT_RESTRICTION: "a short restriction",
    DecisionType.ACTIVE_MANAGEMENT: "active management",
    DecisionType.REFERRAL: "a referral upwards",
    DecisionType.STOP_ALL_CONTACT: "stopping all contact on a matter",
    DecisionType.RESTRICT_COMPLAINTS_PROCESS: "restricting use of the complaints process",
    DecisionType.REVIEW: "a review of a restriction",
    DecisionType.LIFT: "lifting a restriction",
    DecisionType.APPEAL_DECISION: "the outcome of an appeal",
}

_MEASURES = {
    MeasureType.ALLOWED_CHANNELS: "limiting contact to certain channels",
    MeasureType.SINGLE_POINT_OF_CONTACT: "a single point of contact",
    MeasureType.CALL_TIMES: "limiting calls to set days and times",
    MeasureType.VOLUME_LIMIT: "a limit on the amount of contact",
    MeasureType.THIRD_PARTY_ONLY: "contact only through a third party",
    MeasureType.AUTOMATED_LINE: "directing calls to an automated line",
    MeasureType.WITNESS_REQUIRED: "a witness at any meeting",
    MeasureType.PREMISES_BAN: "a ban from premises",
    MeasureType.TOPICS_LIMITED: "limiting the topics we will correspond on",
    MeasureType.MATTER_CLOSED: "closing the matter with no further reply",
    MeasureType.READ_AND_FILE: "reading and filing correspondence without reply",
    MeasureType.MONITORED_MAILBOX: "a separate monitored mailbox",
    MeasureType.NO_STAFF_DETAILS: "withholding staff names and contact details",
    MeasureType.BEHAVIOUR_CONTRACT: "a behaviour contract",
}

_EXEMPTIONS = {
    WarningExemption.IMMEDIATE_THREAT: "there is an immediate threat to staff safety or wellbeing",
    WarningExemption.STAFF_HARM: "giving the warning would put staff in harm's way",
    WarningExemption.MEDICAL_ADVICE: "medical advice is that a warning would harm the customer",
    WarningExemption.PROFESSIONAL_ADVICE: "our professional staff advise against it",
}

_NATIONS = {
    Nation.ENGLAND: "England",
    Nation.WALES: "Wales",
    Nation.SCOTLAND: "Scotland",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
}

_CUSTOMER_TOLD = {
    CustomerTold.ALWAYS: "the customer is always told the outcome of a review",
    CustomerTold.IF_CHANGED: "the customer is told the outcome of a review only if the restriction changes",
    CustomerTold.IF_IN_ACTIVE_CONTACT: (
        "the customer is told the outcome of a review only if they are still in active contact"
    ),
    CustomerTold.IF_CHANGED_AND_IN_ACTIVE_CONTACT: (
        "the customer is told the outcome of a review only if the restriction changes "
        "and they are still in active contact"
    ),
}

_PERIODIC = {
    PeriodicReview.FINANCIAL_YEAR_END: (
        "all restrictions are reviewed together at the end of each financial year"
    ),
    PeriodicReview.ANNUAL: "all restrictions are reviewed together once a year",
    PeriodicReview.REGULAR: "all restrictions are reviewed together regularly",
    PeriodicReview.NONE: "there is no organisation-wide review of restrictions",
}

_LANGUAGES = {"en": "English", "cy": "Welsh"}

# Names such as "All employees" carry their own determiner; everything else reads better with "the".
_DETERMINERS = {"all", "any", "every", "each", "the", "a", "an"}


def decision_label(decision: DecisionType | str) -> str:
    return _DECISIONS[DecisionType(decision)]


def measure_label(measure: MeasureType | str) -> str:
    return _MEASURES[MeasureType(measure)]


def exemption_label(exemption: WarningExemption | str) -> str:
    return _EXEMPTIONS[WarningExemption(exemption)]


def sentence(text: str) -> str:
    """`text` with its first letter capitalised, leaving the rest (role names, acronyms) alone."""
    return text[:1].upper() + text[1:]


def long_date(d: dt.date) -> str:
    """A date as a letter writes it: 1 March 2026."""
    return f"{d.day} {d:%B %Y}"


def who(preset: Preset, keys: Iterable[str]) -> str:
    """Role or group keys as a phrase: "the Team Leader or the Complaints Review Group"."""
    names = []
    for key in keys:
        name = preset.decider_name(key)
        first = name.split(maxsplit=1)[0].lower() if name else ""
        names.append(name if first in _DETERMINERS else f"the {name}")
    return listing(names, "or") if names else "no one"


def listing(items: Sequence[str], word: str) -> str:
    """["a", "b", "c"] as "a, b or c" (with `word` "or")."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _clauses(*clauses: str) -> str:
    unique = list(dict.fromkeys(c for c in clauses if c))
    return f" ({'; '.join(unique)})" if unique else ""


# ---------------------------------------------------------------------------------------------
# A preset read aloud (`policy show`)
# ---------------------------------------------------------------------------------------------


def _decision_line(preset: Preset, rule: DecisionRule) -> str:
    parts = [f"decided by {_whom(preset, rule.decided_by)}"]
    if rule.approved_by:
        parts.append(f"approved by {who(preset, rule.approved_by)}")
    if rule.type in preset.executive_only:
        parts.append("reserved to the executive")
    if rule.requires_warning_first:
        unless = [exemption_label(e) for e in rule.warning_exemptions]
        parts.append("a warning must come first" + (f" unless {listing(unless, 'or')}" if unless else ""))
    if rule.requires_prior:
        prior = listing([decision_label(p) for p in rule.requires_prior], "or")
        parts.append(f"needs {prior} on the case first")
    if rule.letter_required:
        checked = f", checked by {who(preset, rule.letter_checked_by)}" if rule.letter_checked_by else ""
        parts.append(f"a letter is required{checked}")
    elif rule.letter_checked_by:
        parts.append(f"any letter is checked by {who(preset, rule.letter_checked_by)}")
    if rule.max_duration_days is not None:
        parts.append(f"lasts at most {_days(rule.max_duration_days)}")
    if rule.review_required:
        parts.append("must be reviewed")
    if rule.advocacy_to_be_considered:
        parts.append("independent advocacy to be considered")
    note = f" Note: {rule.note}" if rule.note else ""
    return f'{sentence(decision_label(rule.type))} ("{rule.name}"): {"; ".join(parts)} ({rule.clause}).{note}'


def _days(n: int) -> str:
    return "one day" if n == 1 else f"{n} days"


def describe(preset: Preset) -> list[str]:
    """The whole policy as lines of text, every rule with its clause."""
    p = preset
    out: list[str] = [f"{p.organisation}: {p.title} ({p.version})"]
    if p.review_date:
        out.append(f"Policy review date: {long_date(p.review_date)}")
    out.append(f"Source: {p.source}")
    out.append(f"Working days follow the bank holidays of {_NATIONS[p.nation]}.")
    if p.health_and_safety_portal:
        out.append(f"Health and safety portal: {p.health_and_safety_portal}")
    out.append(f"Ombudsman: {p.ombudsman.name} ({p.ombudsman.short_name}), {p.ombudsman.url}")

    def section(title: str, lines: Iterable[str]) -> None:
        items = list(lines)
        if items:
            out.extend(["", title, *(f"- {line}" for line in items)])

    section(
        "Roles",
        (
            f"{r.name} [{r.key}]: {', '.join(c.value for c in r.capabilities)}"
            f"{'. ' + r.description if r.description else ''} ({r.clause})"
            for r in p.roles
        ),
    )
    section(
        "Groups",
        (f"{g.name} [{g.key}]: {', '.join(g.members)}; quorum {g.quorum} ({g.clause})" for g in p.groups),
    )
    section(
        "Behaviour categories",
        (
            f"{c.name} [{c.key}]{' (zero tolerance)' if c.zero_tolerance else ''}: "
            f"{c.definition} ({c.clause})"
            for c in p.categories
        ),
    )
    section("Decisions", (_decision_line(p, d) for d in p.decisions))
    section(
        "Measures",
        (
            f'{sentence(measure_label(m.type))} ("{m.name}"): decided by {who(p, m.decided_by)}'
            f"{'; approved by ' + who(p, m.approved_by) if m.approved_by else ''} ({m.clause})"
            f"{'. Note: ' + m.note if m.note else ''}"
            for m in p.measures
        ),
    )
    cl = p.contact_line
    section(
        "Line of contact",
        [
            (
                "At least one line of contact must remain"
                + (f" unless {who(p, cl.override_by)} decides otherwise" if cl.override_by else "")
                if cl.must_remain
                else "The policy does not require a line of contact to remain"
            )
            + f" ({cl.clause})."
        ],
    )
    lt = p.letters
    letter_lines = [
        f"A decision letter says: {', '.join(c.value for c in lt.required_contents)} ({lt.clause}).",
        f"Letters are written in {listing([_LANGUAGES[x] for x in lt.languages], 'and')}"
        f"{'; a copy of the policy is enclosed' if lt.enclose_policy else ''} ({lt.clause}).",
    ]
    if lt.warning_contents:
        letter_lines.insert(1, f"A warning letter says: {', '.join(c.value for c in lt.warning_contents)}.")
    letter_lines += [
        f"No letter need be sent when {e.description} ({e.clause})." for e in lt.notification_exemptions
    ]
    section("Letters", letter_lines)
    ap = p.appeals
    section(
        "Appeals",
        [
            sentence(_appeal_window(p)) + f" ({ap.clause}).",
            *(
                f"Against decisions by {who(p, r.decided_at)}: heard by {who(p, r.heard_by)}. "
                f"{r.description} ({r.clause})"
                for r in ap.routes
            ),
            *(f"No appeal: {n.description} ({n.clause})" for n in ap.no_appeal),
            *(f"No internal appeal when {e.description} ({e.clause})" for e in ap.no_internal_appeal),
            *(
                ["The appeal is decided by someone other than the person who made the decision."]
                if ap.decided_by_someone_else
                else []
            ),
        ],
    )
    rv = p.reviews
    review_lines = [
        sentence(_review_maximum(p)) + f"; reviewed by {who(p, rv.reviewed_by)} ({rv.clause}).",
        sentence(_CUSTOMER_TOLD[rv.customer_told]) + f" ({rv.clause}).",
        sentence(_periodic(p)) + f" ({rv.periodic.clause}).",
    ]
    if rv.no_review_allowed_for:
        names = [_category_name(p, k) for k in rv.no_review_allowed_for]
        review_lines.append(f"A restriction may have no review for: {', '.join(names)} ({rv.clause}).")
    section("Reviews", review_lines)
    section(
        "Who is told about a decision",
        (f"{_sharing_when(s.when)}: {', '.join(s.tell)} ({s.clause})" for s in p.sharing),
    )
    pol = p.police
    section(
        "Police",
        [
            *(
                f"{sentence(r.reporting.value)} report ({', '.join(r.categories) or 'any incident'}): "
                f"{r.description} ({r.clause})"
                for r in pol.rules
            ),
            f"A decision not to report is made by {who(p, pol.may_decide_not_to_report)}"
            f"{', recording the views of the staff involved' if pol.staff_view_recorded else ''} "
            f"({pol.clause}).",
        ],
    )
    section("The policy does not apply to", (f"{e.description} ({e.clause})" for e in p.exclusions))
    section(
        "Choices Engage makes where the policy is silent",
        (f"{c.topic}: {c.choice} Why: {c.reason} ({c.clause})" for c in p.choices),
    )
    return out


def _category_name(p: Preset, key: str) -> str:
    category = p.category(key)
    return category.name if category is not None else key


def _sharing_when(when: str) -> str:
    if when == "any":
        return "Every decision"
    if when == "physical_threat":
        return "A physical threat"
    return f"Contact by {when.replace('_', ' ')}"


def _appeal_window(p: Preset) -> str:
    ap = p.appeals
    if ap.window_working_days is None:
        return "the policy sets no time limit for an appeal"
    start = "receiving the decision" if ap.window_from == "receipt" else "the date of the decision"
    return f"the customer has {ap.window_working_days} working days from {start} to appeal"


def _review_maximum(p: Preset) -> str:
    months = p.reviews.max_interval_months
    if months is None:
        return "the policy sets no maximum time before a restriction is reviewed"
    return f"a restriction must be reviewed within {months} month{'s' if months != 1 else ''} of the decision"


def _periodic(p: Preset) -> str:
    return _PERIODIC[p.reviews.periodic.kind]


# ---------------------------------------------------------------------------------------------
# Two presets compared (`policy diff`)
# ---------------------------------------------------------------------------------------------


def differences(a: Preset, b: Preset) -> list[str]:
    """How two policies differ, one sentence per difference, in the order an officer would ask.

    Who decides is compared by level, not by name: two councils call their senior managers
    different things, and "Head of Service of the relevant Council service" against "Head of
    Service of the relevant service" is not a difference in who decides. A level is the set of
    capabilities a role carries, or being a group; "any member of staff" when every role may.
    The sentences still use each organisation's own names.
    """
    out: list[str] = []

    def say(phrase_a: str, phrase_b: str, *clauses: str) -> None:
        out.append(f"In {a.organisation}, {phrase_a}; in {b.organisation}, {phrase_b}{_clauses(*clauses)}.")

    def contrast(phrase_a: str, phrase_b: str, *clauses: str) -> None:
        if phrase_a != phrase_b:
            say(phrase_a, phrase_b, *clauses)

    if a.nation != b.nation:
        say(
            f"working days follow the bank holidays of {_NATIONS[a.nation]}", f"those of {_NATIONS[b.nation]}"
        )

    for dtype in DecisionType:
        ra, rb = a.decision(dtype), b.decision(dtype)
        if ra is None and rb is None:
            continue
        label = decision_label(dtype)
        if ra is None or rb is None:
            has, lacks, rule = (a, b, ra) if ra is not None else (b, a, rb)
            assert rule is not None
            out.append(
                f"{has.organisation} provides for {label} (decided by {_whom(has, rule.decided_by)}); "
                f"{lacks.organisation} does not{_clauses(rule.clause)}."
            )
            continue
        checks = (
            (_rule_levels(a, ra) == _rule_levels(b, rb), _deciders),
            (_warning_key(ra) == _warning_key(rb), _warning_first),
            (set(ra.requires_prior) == set(rb.requires_prior), _prior),
        )
        for same, phrase in checks:
            if not same:
                say(phrase(a, ra, label), phrase(b, rb, "it"), ra.clause, rb.clause)

    contrast(_executive(a), _executive(b))
    contrast(_appeal_window(a), _appeal_window(b), a.appeals.clause, b.appeals.clause)
    if _route_levels(a) != _route_levels(b):
        say(
            _appeal_routes(a),
            _appeal_routes(b),
            *(r.clause for r in a.appeals.routes),
            *(r.clause for r in b.appeals.routes),
        )
    if _no_appeal_key(a) != _no_appeal_key(b):
        say(
            _no_appeal(a),
            _no_appeal(b),
            *(n.clause for n in a.appeals.no_appeal),
            *(n.clause for n in b.appeals.no_appeal),
        )
    contrast(_review_maximum(a), _review_maximum(b), a.reviews.clause, b.reviews.clause)
    contrast(
        _CUSTOMER_TOLD[a.reviews.customer_told],
        _CUSTOMER_TOLD[b.reviews.customer_told],
        a.reviews.clause,
        b.reviews.clause,
    )
    contrast(_periodic(a), _periodic(b), a.reviews.periodic.clause, b.reviews.periodic.clause)
    contrast(_languages(a), _languages(b), a.letters.clause, b.letters.clause)
    contrast(_enclose(a), _enclose(b), a.letters.clause, b.letters.clause)
    if {_bare(e.description).lower() for e in a.exclusions} != {
        _bare(e.description).lower() for e in b.exclusions
    }:
        say(
            _exclusions(a),
            _exclusions(b),
            *(e.clause for e in a.exclusions),
            *(e.clause for e in b.exclusions),
        )
    if not out:
        out.append(f"{a.organisation} and {b.organisation} say the same on every point compared.")
    return out


_ANYONE = "any member of staff"


def _whom(p: Preset, keys: Iterable[str]) -> str:
    """`who`, but "any member of staff" when every role of the policy is named."""
    keys = list(keys)
    if {r.key for r in p.roles} <= set(keys):
        return _ANYONE
    # Sorted so that the same people listed in another order read the same.
    return who(p, sorted(keys, key=p.decider_name))


def _levels(p: Preset, keys: Iterable[str]) -> frozenset[object] | str:
    keys = list(keys)
    if keys and {r.key for r in p.roles} <= set(keys):
        return _ANYONE
    roles = {r.key: r for r in p.roles}
    return frozenset(frozenset(roles[k].capabilities) if k in roles else "group" for k in keys)


def _rule_levels(p: Preset, rule: DecisionRule) -> tuple[object, object]:
    return _levels(p, rule.decided_by), _levels(p, rule.approved_by)


def _route_levels(p: Preset) -> frozenset[tuple[object, object]]:
    return frozenset((_levels(p, r.decided_at), _levels(p, r.heard_by)) for r in p.appeals.routes)


def _deciders(p: Preset, rule: DecisionRule, subject: str) -> str:
    approval = f" with the approval of {_whom(p, rule.approved_by)}" if rule.approved_by else ""
    return f"{subject} is decided by {_whom(p, rule.decided_by)}{approval}"


def _warning_key(rule: DecisionRule) -> tuple[bool, frozenset[WarningExemption]]:
    return rule.requires_warning_first, frozenset(rule.warning_exemptions)


def _warning_first(p: Preset, rule: DecisionRule, subject: str) -> str:
    if not rule.requires_warning_first:
        return f"no warning need come before {subject}"
    unless = sorted(exemption_label(e) for e in rule.warning_exemptions)
    return f"a warning must come before {subject}" + (f" unless {listing(unless, 'or')}" if unless else "")


def _prior(p: Preset, rule: DecisionRule, subject: str) -> str:
    if not rule.requires_prior:
        return f"{subject} needs no earlier decision on the case"
    prior = listing(sorted(decision_label(d) for d in rule.requires_prior), "or")
    return f"{subject} needs {prior} on the case first"


def _executive(p: Preset) -> str:
    if not p.executive_only:
        return "no decision is reserved to the executive"
    reserved = listing(sorted(decision_label(d) for d in p.executive_only), "or")
    return f"only the executive may decide on {reserved}"


def _appeal_routes(p: Preset) -> str:
    routes = sorted(
        f"appeals against decisions by {_whom(p, r.decided_at)} are heard by {_whom(p, r.heard_by)}"
        for r in p.appeals.routes
    )
    return listing(routes, "and")


def _no_appeal_key(p: Preset) -> frozenset[tuple[frozenset[Capability], bool]]:
    # Category keys differ between policies; whether an entry turns on categories at all does not.
    return frozenset((frozenset(n.capabilities), bool(n.categories)) for n in p.appeals.no_appeal)


def _no_appeal(p: Preset) -> str:
    if not p.appeals.no_appeal:
        return "every decision under the policy can be appealed"
    return "some decisions cannot be appealed: " + "; ".join(
        _bare(n.description) for n in p.appeals.no_appeal
    )


def _languages(p: Preset) -> str:
    return f"letters are written in {listing([_LANGUAGES[x] for x in p.letters.languages], 'and')}"


def _enclose(p: Preset) -> str:
    if p.letters.enclose_policy:
        return "a copy of the policy goes with a decision letter"
    return "no copy of the policy is enclosed"


def _exclusions(p: Preset) -> str:
    if not p.exclusions:
        return "the policy names no one it does not apply to"
    return "the policy does not apply to: " + "; ".join(_bare(e.description) for e in p.exclusions)


def _bare(text: str) -> str:
    """A sentence from a preset, without its full stop, to sit inside another sentence."""
    return text.strip().rstrip(".")


# ---------------------------------------------------------------------------------------------
# A verdict read aloud (`policy explain`)
# ---------------------------------------------------------------------------------------------


def explain(verdict: Verdict) -> list[str]:
    """A verdict as lines: the answer and why, then what must come first or alongside."""
    out = [f"{'Allowed' if verdict.allowed else 'Not allowed'}: {verdict.reason}"]
    if verdict.steps:
        out.append("What must come first or alongside:")
        out.extend(f"- {s.description}" for s in verdict.steps)
    return out
