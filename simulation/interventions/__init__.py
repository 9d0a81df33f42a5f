"""Interventions offered in scenarios, by registered `type:` name.

The registry maps a scenario's `type:` to the class that implements it; the interventions issue
fills it (one module per family, each registering itself with `register`). Until then it is empty
and any intervention block is rejected with the list of allowed types.
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
