"""Loading reference data shipped as JSON beside each app's `reference` package.

Every app that ships reference data has `<app>/reference/__init__.py` with `load(log)`; the
`load_reference` command calls them in INSTALLED_APPS order. Loaders create what is missing and
never change an existing row, so running them twice changes nothing and staff edits are kept.
"""
import json
from pathlib import Path

from portal.app_modules import app_modules


def read_json(package_file: str, name: str):
    return json.loads((Path(package_file).parent / name).read_text(encoding="utf-8"))


def reference_loaders():
    return ((label, module.load) for label, module in app_modules("reference") if hasattr(module, "load"))
