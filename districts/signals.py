"""Signals other apps listen to (indicators recomputes dashboards on them); districts only sends.

Both are sent with `unit` and `period` after the transaction that caused them commits.
"""
from django.dispatch import Signal

# A unit's quarter was approved by municipal staff.
quarter_approved = Signal()
# Figures of an already approved quarter changed (after the bureau reopened it, or through the admin).
approved_figures_changed = Signal()
