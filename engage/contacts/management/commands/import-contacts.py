"""`engage import-contacts`, the spelling the issue and operators use: the same command as `import_contacts`."""

from engage.contacts.management.commands.import_contacts import Command

__all__ = ["Command"]
