"""`manage.py policy`: list, show, check, compare and question the policy presets."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from engage.policy import describe, engine, presets
from engage.policy.schema import Preset
from engage.policy.vocabulary import DecisionType, WarningExemption


class Command(BaseCommand):
    help = "Read, check and compare policy presets, and ask what a role may decide."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        sub.add_parser("list", help="each shipped preset: key, organisation, version, nation")

        show = sub.add_parser("show", help="a policy in full, every rule with its clause")
        show.add_argument("name", help="a shipped preset's name, or a path to a preset TOML file")
        show.add_argument("--format", choices=["text", "json"], default="text")

        check = sub.add_parser("check", help="validate a preset file")
        check.add_argument("file")

        diff = sub.add_parser("diff", help="how two policies differ, in plain sentences")
        diff.add_argument("a", help="preset name or file")
        diff.add_argument("b", help="preset name or file")

        explain = sub.add_parser("explain", help="may this role take this decision, and what comes first")
        explain.add_argument("name", help="preset name or file")
        explain.add_argument("decision", choices=[d.value for d in DecisionType])
        explain.add_argument(
            "--role", action="append", required=True, help="a role or group key (repeatable)"
        )
        explain.add_argument("--warned", action="store_true", help="a warning has been given on the case")
        explain.add_argument(
            "--exemption",
            choices=[e.value for e in WarningExemption],
            help="the recorded reason a warning need not come first",
        )
        explain.add_argument(
            "--prior",
            action="append",
            default=[],
            choices=[d.value for d in DecisionType],
            help="a decision already on the case (repeatable)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['subcommand']}")(options)

    def _list(self, options: dict[str, Any]) -> None:
        broken = []
        for name in presets.available():
            try:
                p = presets.get(name)
            except presets.PresetError as exc:
                broken.append(name)
                self.stderr.write(f"{name}: not valid: {'; '.join(exc.problems)}")
                continue
            self.stdout.write(f"{p.key}\t{p.organisation}\t{p.version}\t{p.nation.value}")
        if broken:
            raise CommandError(f"{len(broken)} preset(s) not valid: {', '.join(broken)}")

    def _show(self, options: dict[str, Any]) -> None:
        preset = _load(options["name"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(preset.model_dump(mode="json"), indent=2, ensure_ascii=False))
        else:
            self.stdout.write("\n".join(describe.describe(preset)))

    def _check(self, options: dict[str, Any]) -> None:
        file = options["file"]
        try:
            preset = presets.load_file(file)
        except presets.PresetError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(f"{file}: not valid ({len(exc.problems)} problem(s))") from exc
        self.stdout.write(f"{file}: valid ({preset.organisation}, {preset.version})")

    def _diff(self, options: dict[str, Any]) -> None:
        a, b = _load(options["a"]), _load(options["b"])
        self.stdout.write("\n".join(describe.differences(a, b)))

    def _explain(self, options: dict[str, Any]) -> None:
        preset = _load(options["name"])
        known = [r.key for r in preset.roles] + [g.key for g in preset.groups]
        unknown = [r for r in options["role"] if r not in known]
        if unknown:
            raise CommandError(
                f"{preset.key} has no role or group {', '.join(unknown)} (known: {', '.join(known)})"
            )
        case = engine.CaseFacts(
            # The engine only asks whether a warning was given, not when; today stands in.
            warnings_given=(timezone.localdate(),) if options["warned"] else (),
            prior_decisions=frozenset(DecisionType(d) for d in options["prior"]),
            exemption=WarningExemption(options["exemption"]) if options["exemption"] else None,
        )
        verdict = engine.may_decide(preset, options["role"], options["decision"], case)
        as_whom = describe.who(preset, options["role"])
        label = describe.decision_label(options["decision"])
        self.stdout.write(f"{preset.organisation}: may {as_whom} decide on {label}?")
        self.stdout.write("\n".join(describe.explain(verdict)))


def _load(name: str) -> Preset:
    """A shipped preset by name, or a preset file by path (to read a draft before it ships)."""
    try:
        if name in presets.available():
            return presets.get(name)
        if name.endswith(".toml") or Path(name).exists():
            return presets.load_file(name)
    except presets.PresetError as exc:
        raise CommandError(str(exc)) from exc
    raise CommandError(f"no preset called '{name}' (available: {', '.join(presets.available())})")
