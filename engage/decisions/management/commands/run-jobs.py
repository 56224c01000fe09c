"""`engage run-jobs`, the spelling the operators' guide uses: the same command as `run_jobs`."""

from engage.decisions.management.commands.run_jobs import Command

__all__ = ["Command"]
