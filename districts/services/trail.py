"""How the services write: a save with its actor in the history, a submission's event, the locked submission row."""


from districts.models import Submission, SubmissionEvent


def record_event(submission, action, user, comment="") -> SubmissionEvent:
    return SubmissionEvent.objects.create(submission=submission, action=action, actor=user, comment=comment)


def save_tracked(obj, user) -> None:
    obj._history_user = user
    obj.full_clean()
    obj.save()


def locked_submission(submission) -> Submission:
    return Submission.objects.select_for_update().select_related("unit", "period").get(pk=submission.pk)
