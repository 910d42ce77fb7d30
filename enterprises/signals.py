"""Signals of the enterprise registry."""
from django.dispatch import Signal

# A status record or a registration was written, however (saved, deleted, a list imported, a registry loaded): what
# is computed from the registry may have changed. Sent inside the writing transaction; `raw` for a fixture's load.
registry_changed = Signal()
