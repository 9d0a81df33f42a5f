"""Interventions offered in scenarios, by registered `type:` name.

One module per family registers its types with `register`; the scenario schema is the union of
the registered specs, so a scenario's `type: cbt` validates into the CBT spec and any other name
is rejected with the list of allowed types.
"""

from __future__ import annotations

from collections.abc import Callable

REGISTRY: dict[str, type] = {}


def register(name: str) -> Callable[[type], type]:
    """Class decorator: make an intervention usable from scenario files as `type: name`."""

    def add(cls: type) -> type:
        if name in REGISTRY:
            raise ValueError(f"intervention type {name!r} is registered twice")
        REGISTRY[name] = cls
        return cls

    return add


# The families register themselves on import; the order is the order `painsim schema` lists them.
from simulation.interventions import (  # noqa: E402, F401
    acupuncture,
    care,
    drugs,
    exercise,
    opioids,
    psychological,
)
