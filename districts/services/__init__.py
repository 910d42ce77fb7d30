"""Writes with rules for periods, submissions and a quarter's figures. Views, admin, import, API and tasks call these.

Every function takes keyword arguments, checks who may do it (`access`: before its input is read), refuses with an
exception from districts/exceptions.py (Chinese message) and writes nothing when it refuses. One module per concern:

- access.py: who may act on a quarter (a clerk edits only their own unit's open, unapproved quarter);
- figures.py: a quarter's figures, one write path for form, admin, import and API;
- periods.py: open and close reporting periods;
- submissions.py: the workflow (submit, approve, return, reopen, entry access);
- figure_queries.py: the bureau's follow-up questions on a figure and the district's answers;
- trail.py: how they all write (history with its actor, submission events, the locked row).
"""
from districts.services.access import editable_quarters, permission_first, quarter_editable, require_figure_entry
from districts.services.figure_queries import figure_query_answer, figure_query_raise
from districts.services.figures import ExplanationsMissing, QuarterSaved, QuarterWrite, figures_save, figures_save_many
from districts.services.periods import period_close, period_open, periods_close_overdue
from districts.services.submissions import (
    submission_approve,
    submission_reopen,
    submission_return,
    submission_set_access,
    submission_submit,
)
from districts.services.trail import hold_periods

__all__ = [
    "ExplanationsMissing", "QuarterSaved", "QuarterWrite",
    "editable_quarters", "figure_query_answer", "figure_query_raise", "figures_save", "figures_save_many",
    "hold_periods", "period_close", "period_open", "periods_close_overdue", "permission_first", "quarter_editable",
    "require_figure_entry", "submission_approve", "submission_reopen", "submission_return", "submission_set_access",
    "submission_submit",
]
