"""Loading reference data shipped as JSON beside each app's `reference` package.

Every app that ships reference data has `<app>/reference/__init__.py` with `load(log)`; the
`load_reference` command calls them in INSTALLED_APPS order. Loaders create what is missing and
never change an existing row, so running them twice changes nothing and staff edits are kept.
"""
import json
from importlib import import_module
from pathlib import Path

from django.apps import apps


def read_json(package_file: str, name: str):
    return json.loads((Path(package_file).parent / name).read_text(encoding="utf-8"))


def reference_loaders():
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.reference")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.reference":
                raise
            continue
        if hasattr(module, "load"):
            yield config.label, module.load
