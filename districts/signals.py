"""Signals other apps listen to (indicators recomputes dashboards on them); districts only sends.

Each is sent with `unit` and `period` inside the transaction that makes the change, so what a receiver records
(a requested dashboard run) commits with it or not at all; receivers leave slow work to after the commit.
Together they are every change to the set of approved quarters or to what they contain.
"""
from django.dispatch import Signal

# A unit's quarter was approved by municipal staff.
quarter_approved = Signal()
# Figures of an already approved quarter changed (after the bureau reopened it, or through the admin).
approved_figures_changed = Signal()
# An approved quarter was reopened: it leaves the approved set until it is approved again.
quarter_reopened = Signal()
