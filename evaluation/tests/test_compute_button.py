""""按当前数据计算" says what it started and does not start a second computation while one runs."""
from evaluation.choices import RunStatus
from evaluation.models import Evaluation, EvaluationRun


def compute(client, scheme):
    return client.post(f"/evaluation/schemes/{scheme.pk}/compute/", follow=True).content.decode()


def test_the_button_says_what_it_started_and_a_second_click_while_it_runs_starts_nothing(
    scheme, city_staff, client_for
):
    client = client_for(city_staff)

    first = compute(client, scheme)  # the run stays queued: its task is sent only on commit
    second = compute(client, scheme)

    evaluation = Evaluation.objects.get(scheme=scheme)
    assert f"已开始计算“{scheme.name}”的新版本：{evaluation}" in first
    assert f"“{scheme.name}”已有一次计算正在进行（{evaluation}，排队中），未重复开始" in second
    assert EvaluationRun.objects.filter(evaluation__scheme=scheme).count() == 1


def test_once_the_computation_has_finished_the_button_starts_a_new_version(scheme, city_staff, client_for):
    client = client_for(city_staff)
    compute(client, scheme)
    EvaluationRun.objects.update(status=RunStatus.SUCCEEDED)

    compute(client, scheme)

    assert sorted(Evaluation.objects.filter(scheme=scheme).values_list("version", flat=True)) == [1, 2]


def test_a_city_viewer_cannot_start_a_computation(scheme, city_viewer, client_for):
    response = client_for(city_viewer).post(f"/evaluation/schemes/{scheme.pk}/compute/")

    assert response.status_code == 403
    assert not Evaluation.objects.filter(scheme=scheme).exists()
