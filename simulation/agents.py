"""Mesa agents as thin views onto a row of the model's state arrays.

A `Person` owns no state: reading `person.pain` reads the model's `pain` column at the person's
row, so the agents and the vectorised rules can never disagree, and mesa tools (AgentSet,
DataCollector agent reporters) work on them as on any mesa agents.

One vocabulary for agents and data frames (`model.to_dataframe()`, agent reporters): `phq9` and
`isi` are the instruments (0-27, 0-28); `mood_severity` and `poor_sleep` are the 0-1 internal
states the rules update (the state columns `mood` and `sleep`). The bare names `mood` and `sleep`
are refused on agents, since they were once the instruments and a reader cannot tell which is meant.

The population is a closed cohort held in arrays, so a person cannot leave it: `person.remove()`
raises `PersonRemovalError` instead of quietly dropping the view while the person goes on being
simulated. Build the model with `agent_views=False` to have no agents at all.
"""

from __future__ import annotations

import mesa

from simulation.instruments import PHQ9_MAX
from simulation.state import isi_reading

# state column -> its name in data frames and on agents
RENAMED_COLUMNS = {"mood": "mood_severity", "sleep": "poor_sleep"}


class PersonRemovalError(TypeError):
    """A person's agent view was asked to leave the population, which the arrays cannot do."""


class Person(mesa.Agent):
    """One simulated adult.

    Examples:
        >>> from simulation import PainCycleModel, Scenario
        >>> model = PainCycleModel(Scenario(population=50, burn_in_days=0), seed=1)
        >>> person = model.agents[0]
        >>> 0 <= person.pain <= 10 and 0 <= person.phq9 <= 27 and 0 <= person.isi <= 28
        True
        >>> person.phq9 == person.mood_severity * 27
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
    def phq9(self) -> float:
        """Today's depressive symptoms as a PHQ-9 equivalent, 0-27 (higher is worse)."""
        return self._get("mood") * PHQ9_MAX

    @property
    def isi(self) -> float:
        """Sleep over the last fortnight as an ISI equivalent, 0-28 (higher is worse)."""
        s = self.model.state
        return float(
            isi_reading(s.sleep_recent[self.index : self.index + 1], s.isi_offset[self.index : self.index + 1])[0]
        )

    @property
    def mood_severity(self) -> float:
        """Today's depressive-symptom severity, 0-1 (the `mood` state; x27 = PHQ-9)."""
        return self._get("mood")

    @property
    def poor_sleep(self) -> float:
        """Last night's poor-sleep severity, 0-1 (the `sleep` state; 0 = restorative)."""
        return self._get("sleep")

    @property
    def mood(self):
        """Refused: the name meant PHQ-9 here and 0-1 severity in the data frame."""
        raise AttributeError("Person.mood is ambiguous: use phq9 (0-27) or mood_severity (0-1)")

    @property
    def sleep(self):
        """Refused: the name meant ISI here and 0-1 poor sleep in the data frame."""
        raise AttributeError("Person.sleep is ambiguous: use isi (0-28, fortnight) or poor_sleep (0-1, last night)")

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
        """Every state column for this person (traits, fast states, slow mechanisms), named as in
        `model.to_dataframe()`."""
        columns = self.model.state.as_dict().items()
        return {RENAMED_COLUMNS.get(name, name): col[self.index].item() for name, col in columns}

    def remove(self) -> None:
        """Refused: see the module docstring."""
        raise PersonRemovalError(
            f"person {self.index} cannot be removed: painsim simulates a closed cohort held in arrays, and removing "
            "the agent view would leave the person in the simulation. Select people instead "
            "(model.agents.select(...)), or build the model with agent_views=False for no agents."
        )

    def __repr__(self) -> str:
        return f"Person({self.index}: pain={self.pain:.1f}, PHQ-9={self.phq9:.1f}, ISI={self.isi:.1f})"
