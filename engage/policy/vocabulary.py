"""The fixed words Engage uses for every policy: capabilities, decisions, measures, channels.

Each organisation's preset maps its own role names and categories onto these; the engine,
the screens and the contact check only ever speak this vocabulary.
"""

from __future__ import annotations

from enum import StrEnum


class Capability(StrEnum):
    """What a role may do, generically (DESIGN.md "Who uses it")."""

    FRONTLINE = "frontline"
    MANAGER = "manager"
    SENIOR_DECISION_MAKER = "senior_decision_maker"
    APPEAL_OFFICER = "appeal_officer"
    EXECUTIVE = "executive"
    INFORMATION_GOVERNANCE = "information_governance"
    HR_COMMUNICATIONS = "hr_communications"
    ELECTED_MEMBER = "elected_member"


class DecisionType(StrEnum):
    END_CONTACT = "end_contact"  # end a call or meeting at the time (immediate action)
    NO_FURTHER_ACTION = "no_further_action"
    INFORMAL_APPROACH = "informal_approach"
    WARNING = "warning"
    RESTORATIVE_APPROACH = "restorative_approach"
    SHORT_RESTRICTION = "short_restriction"
    ACTIVE_MANAGEMENT = "active_management"
    REFERRAL = "referral"
    STOP_ALL_CONTACT = "stop_all_contact"
    RESTRICT_COMPLAINTS_PROCESS = "restrict_complaints_process"
    REVIEW = "review"
    LIFT = "lift"
    APPEAL_DECISION = "appeal_decision"


class MeasureType(StrEnum):
    ALLOWED_CHANNELS = "allowed_channels"
    SINGLE_POINT_OF_CONTACT = "single_point_of_contact"
    CALL_TIMES = "call_times"
    VOLUME_LIMIT = "volume_limit"
    THIRD_PARTY_ONLY = "third_party_only"
    AUTOMATED_LINE = "automated_line"
    WITNESS_REQUIRED = "witness_required"
    PREMISES_BAN = "premises_ban"
    TOPICS_LIMITED = "topics_limited"
    MATTER_CLOSED = "matter_closed"
    READ_AND_FILE = "read_and_file"
    MONITORED_MAILBOX = "monitored_mailbox"
    NO_STAFF_DETAILS = "no_staff_details"
    BEHAVIOUR_CONTRACT = "behaviour_contract"


class WarningExemption(StrEnum):
    """Why a warning need not come first (003 §10.6 a-d; 000/001 and 002 have the same idea)."""

    IMMEDIATE_THREAT = "immediate_threat"
    STAFF_HARM = "staff_harm"
    MEDICAL_ADVICE = "medical_advice"
    PROFESSIONAL_ADVICE = "professional_advice"


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    IN_PERSON = "in_person"
    SOCIAL_MEDIA = "social_media"
    ONLINE_FORM = "online_form"
    EVENT = "event"


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class LetterContent(StrEnum):
    """Items a decision letter may be required to contain (003 §11.2; 004 "notify the customer")."""

    REASONS = "reasons"
    ACTIONS = "actions"
    DURATION = "duration"
    REVIEW_DATE = "review_date"
    APPEAL_RIGHTS = "appeal_rights"
    APPEAL_DEADLINE = "appeal_deadline"
    SHARING = "sharing"
    OMBUDSMAN = "ombudsman"
    POLICY_COPY = "policy_copy"
    BEHAVIOUR_CONCERN = "behaviour_concern"
    CHANGE_REQUESTED = "change_requested"
    CONSEQUENCES = "consequences"


class PoliceReporting(StrEnum):
    ALWAYS = "always"
    NORMALLY = "normally"
    CONSIDER = "consider"


class CustomerTold(StrEnum):
    """Whether the customer is told the outcome of a review."""

    ALWAYS = "always"
    IF_CHANGED = "if_changed"
    IF_IN_ACTIVE_CONTACT = "if_in_active_contact"
    IF_CHANGED_AND_IN_ACTIVE_CONTACT = "if_changed_and_in_active_contact"


class PeriodicReview(StrEnum):
    FINANCIAL_YEAR_END = "financial_year_end"
    ANNUAL = "annual"
    REGULAR = "regular"
    NONE = "none"
