"""Each installed app's module of a given name, in INSTALLED_APPS order: how the project finds every app's
reference data (`reference`), demo data (`demo`) and API router (`api`) without importing any app by name."""
from importlib import import_module

from django.apps import apps


def app_modules(name: str):
    """(app label, module) for every installed app that has a module `<app>.<name>`. An app without one is
    skipped; an import error inside an existing module is raised."""
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
            continue
        yield config.label, module
