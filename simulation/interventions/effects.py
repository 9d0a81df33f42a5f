"""The named quantities interventions may change, and how several changes compose.

The daily rules (`simulation/rules/kernel.py`; "read in" below names the mechanism's module)
read these quantities; an intervention never edits a shared parameter. Each quantity is `None`
while nobody is affected (the rules then skip it, so a scenario without interventions runs
exactly the baseline arithmetic) or a per-person array.

| quantity | identity | composes by | read in |
|---|---|---|---|
| nociception_scale | 1 | product | rules/pain.py: tissue nociception x scale |
| pain_relief | 0 | 1 - prod(1 - r) | rules/pain.py: pain target x (1 - relief); negative = flare |
| catastrophising_scale | 1 | product | rules/mechanisms.py: catastrophising target x scale |
| withdrawal_scale | 1 | product | rules/mechanisms.py: withdrawal target x scale |
| hpa_scale | 1 | product | rules/mechanisms.py: HPA-load target x scale |
| inflammation_scale | 1 | product | rules/mechanisms.py: inflammation target x scale |
| mood_drive | 0 | sum | rules/mood.py: added to the episode log-hazard drive |
| mood_relief | 0 | 1 - prod(1 - r) | rules/mood.py: symptom target x (1 - relief) |
| sleep_relief | 0 | sum, then clipped | rules/sleep.py: subtracted from the night's poor sleep |
| opioid_exposure | 0 | sum, clipped to 0-1 | rules/mechanisms.py: sets the opioid exposure column |
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

PRODUCT = ("nociception_scale", "catastrophising_scale", "withdrawal_scale", "hpa_scale", "inflammation_scale")
RELIEF = ("pain_relief", "mood_relief")
SUM = ("mood_drive", "sleep_relief", "opioid_exposure")
QUANTITIES = PRODUCT + RELIEF + SUM


MAX_SHARE = 0.95  # no single treatment removes more than this share of a quantity


def share(amount: ArrayLike) -> np.ndarray:
    """A relief fraction (pain_relief, mood_relief), kept in 0 to MAX_SHARE."""
    return np.clip(amount, 0.0, MAX_SHARE).astype(np.float32)


def remaining(amount: ArrayLike) -> np.ndarray:
    """A scale (nociception_scale, hpa_scale, ...) after removing the share `amount`."""
    return np.float32(1.0) - share(amount)


class Modifiers:
    """Today's changes to the named quantities, per person; rebuilt every day."""

    __slots__ = QUANTITIES

    def __init__(self) -> None:
        for name in QUANTITIES:
            setattr(self, name, None)

    def clear(self) -> None:
        """Forget every change: nobody is affected until `apply` is called again."""
        for name in QUANTITIES:
            setattr(self, name, None)

    def apply(self, name: str, amount: ArrayLike, size: int) -> None:
        """Compose `amount` (one value per person) into quantity `name`."""
        if name not in QUANTITIES:
            raise KeyError(f"unknown modifier {name!r}; known: {', '.join(QUANTITIES)}")
        current = getattr(self, name)
        amount = np.asarray(amount, dtype=np.float32)
        if name in PRODUCT:
            setattr(self, name, amount.copy() if current is None else current * amount)
        elif name in RELIEF:
            kept = np.float32(1.0) - amount
            setattr(self, name, 1.0 - (kept if current is None else (1.0 - current) * kept))
        else:
            setattr(self, name, amount.copy() if current is None else current + amount)

    def active(self) -> bool:
        """Whether any quantity is changed for anyone today."""
        return any(getattr(self, name) is not None for name in QUANTITIES)
