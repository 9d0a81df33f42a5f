"""How interventions received together interact, declared in one table.

By default effects compose through the named quantities (`effects.py`): relief fractions combine
as independent reliefs, scales multiply, log-hazard shifts add. The pairs below go beyond that:
for a person receiving both, the target's dose is multiplied by 1 + boost x (the partner's level,
capped at 1), so the synergy grows as the partner's treatment takes hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Interaction:
    """A declared interaction: the presence of `partner` multiplies `target`'s dose by 1 + `boost`."""

    partner: str  # type whose presence boosts
    target: str  # type whose dose is boosted
    boost: float
    source: str


INTERACTIONS: tuple[Interaction, ...] = (
    Interaction("acupuncture", "snri", 0.3, "seed 003 (acupuncture potentiates dual antidepressants); size assumed"),
    Interaction("acupuncture", "cbt", 0.2, "seed 003 (acupuncture and CBT are synergistic); size assumed"),
    Interaction("cbt", "acupuncture", 0.2, "seed 003 (acupuncture and CBT are synergistic); size assumed"),
)


def adjust_doses(programmes, doses: dict[str, np.ndarray]) -> None:
    """Apply the declared interactions to today's doses, in place (keyed by programme name)."""
    by_type: dict[str, list] = {}
    for prog in programmes:
        if prog.spec.name in doses:
            by_type.setdefault(prog.spec.type, []).append(prog)
    for rule in INTERACTIONS:
        for target in by_type.get(rule.target, []):
            for partner in by_type.get(rule.partner, []):
                partner_level = np.minimum(partner.level[target.index], 1.0)
                doses[target.spec.name] = doses[target.spec.name] * (1.0 + rule.boost * partner_level)
