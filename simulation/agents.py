"""Mesa agents as thin views onto a row of the model's state arrays.

A `Person` owns no state: reading `person.pain` reads the model's `pain` column at the person's
row, so the agents and the vectorised rules can never disagree, and mesa tools (AgentSet,
DataCollector agent reporters) work on them as on any mesa agents.
"""

from __future__ import annotations

import mesa

from simulation.instruments import PHQ9_MAX
from simulation.state import isi_reading


class Person(mesa.Agent):
    """One simulated adult.

    Examples:
        >>> from simulation import PainCycleModel, Scenario
        >>> model = PainCycleModel(Scenario(population=50, burn_in_days=0), seed=1)
        >>> person = model.agents[0]
        >>> 0 <= person.pain <= 10 and 0 <= person.mood <= 27 and 0 <= person.sleep <= 28
        True
    """

    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = index

    def _get(self, column: str) -> float:
        return self.model.state.column(column)[self.index].item()

    @property
    def pain(self) -> float:
        """Today's pain, NRS 0-10."""
        return self._get("pain")

    @property
    def mood(self) -> float:
        """Today's depressive symptoms as a PHQ-9 equivalent, 0-27 (higher is worse)."""
        return self._get("mood") * PHQ9_MAX

    @property
    def sleep(self) -> float:
        """Sleep over the last fortnight as an ISI equivalent, 0-28 (higher is worse)."""
        s = self.model.state
        return float(
            isi_reading(s.sleep_recent[self.index : self.index + 1], s.isi_offset[self.index : self.index + 1])[0]
        )

    @property
    def age(self) -> float:
        """Age in years (fixed during a run: a closed cohort)."""
        return self._get("age")

    @property
    def female(self) -> bool:
        """Whether the person is female."""
        return bool(self._get("female"))

    @property
    def in_episode(self) -> bool:
        """In a depressive episode (the latent state, not the diagnosis)."""
        return bool(self._get("in_episode"))

    @property
    def chronic_pain(self) -> bool:
        """Whether the person has chronic pain today (pain on most days of the last 3 months)."""
        return bool(self.model.status.chronic_pain(self.index))

    @property
    def depression(self) -> bool:
        """A major depressive episode in the last 12 months."""
        return bool(self.model.status.mde_12m(self.model.day, self.index))

    @property
    def insomnia(self) -> bool:
        """Whether the person has insomnia disorder today (3 bad nights a week for 3 months)."""
        return bool(self.model.status.insomnia_disorder(self.index))

    def state(self) -> dict[str, float]:
        """Every state column for this person (traits, fast states, slow mechanisms)."""
        return {name: col[self.index].item() for name, col in self.model.state.as_dict().items()}

    def __repr__(self) -> str:
        return f"Person({self.index}: pain={self.pain:.1f}, PHQ-9={self.mood:.1f}, ISI={self.sleep:.1f})"
