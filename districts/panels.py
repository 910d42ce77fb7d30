"""Facts about units that other apps contribute, for pages of apps that may not import them.

The ledger's leader page shows each guided unit's indicator statuses, which indicators computes;
ledger depends on districts only, so indicators registers a provider here from its
`AppConfig.ready()`, the way figures apps register their sections.
"""
from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class UnitFact:
    label: str
    value: str
    css: str = ""


_providers = []


def register_unit_facts(provider):
    """`provider(*, units, user)` returns {unit id: [UnitFact, ...]} as far as `user` may see."""
    _providers.append(provider)
    return provider


def unit_facts(*, units, user) -> dict[int, list[UnitFact]]:
    merged = defaultdict(list)
    for provider in _providers:
        for unit_id, facts in provider(units=units, user=user).items():
            merged[unit_id].extend(facts)
    return merged
