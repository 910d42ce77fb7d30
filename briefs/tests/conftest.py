import pytest

from indicators.tests.conftest import World, city_staff_of_world, reported, reported_world, world  # noqa: F401


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Generated PDFs go to a temporary MEDIA_ROOT, not the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path
