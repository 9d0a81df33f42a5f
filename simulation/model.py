"""`PainCycleModel`: a mesa model whose population lives in numpy columns, advanced a day a step."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np
import pandas as pd

from simulation.agents import RENAMED_COLUMNS, Person
from simulation.demography import Demography
from simulation.interventions.base import InterventionSpec, Programme, apply_programmes
from simulation.interventions.effects import Modifiers
from simulation.noise import allocate_noise
from simulation.outcomes import distributions, panel_rows
from simulation.parameters import ModelParams
from simulation.population import synthesise
from simulation.rng import stream
from simulation.rules import advance_day
from simulation.scenario import Scenario
from simulation.settle import accelerated
from simulation.status import ClinicalStatus
from simulation.tally import population_metrics_fast

# The scenario fields that decide a population up to day 0: everything else (interventions,
# duration, outputs, name) only acts from day 0 on.
BURN_IN_FIELDS = ("population", "seed", "burn_in_days", "settle_days", "parameters")


def burn_in_key(scenario: Scenario, replicate: int) -> str:
    """A digest of what decides replicate `replicate`'s settled, burned-in population: two
    scenarios with the same key reach day 0 with bit-identical states."""
    data = {name: scenario.resolved()[name] for name in BURN_IN_FIELDS}
    text = json.dumps({**data, "replicate": replicate}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class BurnIn:
    """A population settled and burned in up to day 0: everything the days before day 0 changed
    (the state, the clinical windows, the daily random stream and its buffers). A model started
    from it (`PainCycleModel(scenario, start=...)`) is bit-identical to one that recomputed it."""

    key: str
    day: int
    state: Any
    status: Any
    daily: np.random.Generator
    noise: Any

    def restore(self) -> tuple[Any, Any, np.random.Generator, Any]:
        """Fresh copies of the parts, so one snapshot can start any number of models."""
        return copy.deepcopy((self.state, self.status, self.daily, self.noise))


def burn_in(scenario: Scenario, replicate: int = 0) -> BurnIn:
    """Settle and burn in replicate `replicate` of `scenario` and keep the result (no interventions,
    no outputs: those start at day 0)."""
    bare = scenario.model_copy(update={"interventions": []})
    return PainCycleModel(bare, replicate=replicate, agent_views=False, keep_burn_in=True).burned_in


class PainCycleModel(mesa.Model):
    """The pain - depression - sleep cycle in a synthetic adult population; one step is one day.

    The population is synthesised, settled (see `simulation.settle`), then simulated for
    `burn_in_days` so that the 12-month windows fill; `model.day` is 0 when construction returns.

    Args:
        scenario: a `Scenario` (e.g. from `load_scenario`); the default scenario if omitted.
        seed: the run seed; the scenario's seed if omitted.
        population: overrides the scenario's population size.
        replicate: which replicate of the run this is (selects the random streams).
        burn_in_days: overrides the scenario's burn-in.
        agent_views: create one mesa `Person` per individual in `model.agents`. They cost about
            10 microseconds and 0.5 kB each, so batch runs of large populations switch them off.
        start: a `BurnIn` of this scenario's population (see `burn_in`): start from it instead
            of settling and burning in again; the run is bit-identical.
        keep_burn_in: keep a `BurnIn` snapshot of day 0 in `model.burned_in`.
        **keywords: mesa-style parameters applied to the scenario, so `mesa.batch_run` and mesa's
            visualisation can set them: `pain__from_poor_sleep=0.6`, `parameters={...}`,
            `cbt__coverage=0.5`, `years=2` (see `simulation.experiments`).

    Seeds: a `Scenario` is a reproducible recipe, so its seed is used when `seed` is None; built
    from keywords alone (as `mesa.batch_run` does), `seed=None` draws a fresh seed, as mesa models
    do. Either way `model.seed` records the seed used, and `model.datacollector` records the key
    outcomes (and the seed) every day, so `mesa.batch_run` works.

    Examples:
        >>> from simulation import PainCycleModel, Scenario
        >>> model = PainCycleModel(Scenario(population=500, burn_in_days=30), seed=1)
        >>> model.step()
        >>> model.day, len(model.agents)
        (1, 500)
    """

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        seed: int | None = None,
        population: int | None = None,
        replicate: int = 0,
        burn_in_days: int | None = None,
        agent_views: bool = True,
        start: BurnIn | None = None,
        keep_burn_in: bool = False,
        **keywords: object,
    ) -> None:
        from simulation.experiments import fresh_seed, make_datacollector, scenario_with

        if seed is None:
            seed = scenario.seed if scenario is not None else fresh_seed()
        scenario = scenario_with(scenario, keywords)
        seed = int(seed)
        super().__init__(rng=stream(seed, replicate, "mesa"))
        # `spec`, not `scenario`: mesa 3.5 reserves `Model.scenario` for its own experiment object.
        self.spec = scenario
        self.params = scenario.parameters
        self.seed = seed
        self.replicate = replicate
        size = int(population if population is not None else scenario.population)
        burn_in = scenario.burn_in_days if burn_in_days is None else int(burn_in_days)

        self.modifiers = Modifiers()
        self.programmes: list[Programme] = []  # filled after the burn-in: treatment starts on day 0 or later
        self.demography: Demography | None = None  # set after the burn-in: demography starts on day 0
        key = None
        if start is not None or keep_burn_in:  # what this model's day 0 depends on, as given here
            own = scenario.model_copy(update={"population": size, "burn_in_days": burn_in, "seed": seed})
            key = burn_in_key(own, replicate)
        if start is not None:
            if start.key != key:
                raise ValueError("the burn-in snapshot belongs to another population, seed, burn-in or parameters")
            self.state, self.status, self._daily, self._noise = start.restore()
            self.day = start.day
        else:
            self.state = synthesise(size, self.params, stream(seed, replicate, "population"))
            self.status = ClinicalStatus(size, self.params.status)
            self._daily = stream(seed, replicate, "daily")
            self.day = -burn_in - scenario.settle_days
            self._noise = allocate_noise(scenario.engine, size, seed, replicate, self.day)
            settling = accelerated(self.params)
            for _ in range(scenario.settle_days):
                self._advance(settling)
            for _ in range(burn_in):
                self._advance()
        self.today: dict[str, float] | None = None  # the last pass's key outcomes (None: not current)
        self.burned_in: BurnIn | None = None
        if keep_burn_in:
            self.burned_in = BurnIn(key, self.day, *copy.deepcopy((self.state, self.status, self._daily, self._noise)))

        self.programmes = [Programme(spec, self) for spec in scenario.interventions]
        # Ageing, deaths and new adults, from day 0 on (None: a closed cohort at fixed ages).
        self.demography = Demography(self, scenario.demography, synthesise) if scenario.demography.active else None

        outputs = scenario.outputs
        self.record_every = outputs.record_every_days
        self.panel_every = outputs.panel_every_days
        panel_size = min(outputs.panel_size, size)
        chosen = stream(seed, replicate, "panel").choice(size, size=panel_size, replace=False)
        self.panel_index = np.sort(chosen)
        self._series: list[dict[str, float]] = []
        self._panel: list[dict[str, np.ndarray]] = []
        self._record()
        self.datacollector = make_datacollector()
        self.datacollector.collect(self)

        if agent_views:
            for index in range(size):
                Person(self, index)

    # -- the day -----------------------------------------------------------------------------
    def add_programme(self, spec: InterventionSpec, restrict: np.ndarray | None = None) -> Programme:
        """Offer one more intervention from today on, optionally only to the people `restrict`
        (indices or a mask): how a virtual trial gives each arm its treatment."""
        programme = Programme(spec, self, restrict=restrict)
        self.programmes.append(programme)
        return programme

    def _advance(self, params: ModelParams | None = None) -> None:
        mods = None
        if self.programmes and self.day >= 0:
            apply_programmes(self.programmes, self, self.modifiers)
            mods = self.modifiers
        # the rules and the clinical windows in one compiled pass (simulation.rules.kernel), which
        # also sums the day's key outcomes for the daily reporters
        self.today = advance_day(
            self.state, self.status, params or self.params, self._noise, self._daily, mods, self.day + 1
        )
        self.day += 1
        if self.demography is not None and self.day > 0:
            self.demography.step(self)
            self.today = None  # deaths and new adults changed the population after the pass

    def step(self) -> None:
        """Advance everyone by one day and record the outcomes that fall due."""
        self._advance()
        self._record()
        self.datacollector.collect(self)
        self.running = self.day < self.spec.duration_days

    def _record(self) -> None:
        if self.day % self.record_every == 0:
            self._series.append(self._series_row())
        if self.panel_index.size and self.day % self.panel_every == 0:
            living = self.living()
            index = self.panel_index if living is None else self.panel_index[living[self.panel_index]]
            self._panel.append(panel_rows(self, index))

    def _series_row(self) -> dict[str, float]:
        """Today's population outcomes, and the intervention spending per person so far (USD, for
        discounting costs by when they fall: `simulation.economics.costs`)."""
        spent = sum(p.cost for p in self.programmes) / max(self.state.size, 1)
        row = {"day": self.day, **population_metrics_fast(self), "intervention_cost": spent}
        if self.demography is not None:
            row.update(self.demography.metrics(self))
        return row

    def run(self, days: int | None = None, progress: Callable[[int], None] | None = None) -> PainCycleModel:
        """Step `days` days (the scenario's duration if omitted); `progress(days_done)` is called
        now and then. Returns the model, so `PainCycleModel(s).run().population_series()` reads."""
        days = self.spec.duration_days if days is None else int(days)
        for done in range(1, days + 1):
            self.step()
            if progress is not None and (done % 30 == 0 or done == days):
                progress(done)
        if not self._series or self._series[-1]["day"] != self.day:
            self._series.append(self._series_row())  # the run's last day
        return self

    # -- looking at it -----------------------------------------------------------------------
    def metrics(self) -> dict[str, float]:
        """Today's population outcomes (prevalences, means, conditional prevalences), among the
        living; with demography on, also the share alive, deaths and life-years so far."""
        if self.demography is None:
            return population_metrics_fast(self)
        return {**population_metrics_fast(self), **self.demography.metrics(self)}

    def living(self) -> np.ndarray | None:
        """Who is alive (a mask), or None when everyone is (no demography, or deaths replaced)."""
        if self.demography is None or self.demography.alive.all():
            return None
        return self.demography.alive

    def population_series(self) -> pd.DataFrame:
        """The population outcomes recorded so far, one row per recorded day."""
        return pd.DataFrame(self._series)

    def panel(self) -> pd.DataFrame:
        """Daily trajectories of the panel members recorded so far (long format)."""
        if not self._panel:
            return pd.DataFrame()
        return pd.DataFrame({k: np.concatenate([p[k] for p in self._panel]) for k in self._panel[0]})

    def distributions(self) -> pd.DataFrame:
        """Today's distribution of pain, PHQ-9 and ISI (share of the population per bin)."""
        return pd.DataFrame(distributions(self))

    def treatment_report(self) -> pd.DataFrame:
        """Per intervention: enrolled, stopped early (for side effects), sessions, costs so far."""
        return pd.DataFrame([p.report(self.day) for p in self.programmes])

    def to_dataframe(self) -> pd.DataFrame:
        """Everyone's state today, one row per person (traits, states, instruments, statuses)."""
        frame = pd.DataFrame(self.state.as_dict()).rename(columns=RENAMED_COLUMNS)
        frame["phq9"] = self.state.phq9
        frame["isi"] = self.state.isi
        frame["chronic_pain"] = self.status.chronic_pain()
        frame["depression"] = self.status.mde_12m(self.day)
        frame["insomnia"] = self.status.insomnia_disorder()
        frame.index.name = "person"
        return frame
