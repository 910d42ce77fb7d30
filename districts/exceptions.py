"""What the quarter services refuse with; views, admin, import and API turn these into messages and codes."""
from django.core.exceptions import PermissionDenied


class AccessDenied(PermissionDenied):
    """The user may not do this to this unit's quarter (wrong unit, read-only role, locked quarter)."""


class QuarterNotEditable(AccessDenied):
    """The user may not change this unit's quarter: another unit's, or one not open for entry."""


class FiguresRejected(Exception):
    """Validation found problems that block the write; nothing was written. `problems` lists them all."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))


class QuarterConflict(Exception):
    """Someone saved the quarter after the form was loaded; nothing was written."""

    def __init__(self, *, expected_version: int, current_version: int):
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"本季度数据已被他人修改（您打开时为第 {expected_version} 版，现为第 {current_version} 版），"
            "本次保存未写入。请重新打开页面查看最新数据后再修改。"
        )


class TransitionRefused(Exception):
    """A workflow step that is not allowed from the submission's or period's current state."""
