"""Signals other apps listen to; indicators only sends.

`dashboards_computed` is sent with `run` after the transaction that stored a succeeded run commits
(the quarterly brief is generated on it when a quarter has just become complete).
"""
from django.dispatch import Signal

dashboards_computed = Signal()
