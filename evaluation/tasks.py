from celery import shared_task

from evaluation.services import evaluation_run


@shared_task
def compute_evaluation(run_id: int) -> None:
    evaluation_run(run_id=run_id)
