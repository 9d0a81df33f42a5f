"""What the dashboard drives: a scenario and its reference stepped side by side, changed while it runs.

`Exploration` is a `mesa.Model` holding two `PainCycleModel`s built from the same seed, so they
share every random number: the *reference* (the scenario without interventions) and the
*explored* one (the reference with the couplings and interventions set in the controls). Each step
advances both by a day, so any difference is the change's doing, not noise.

Changes made while it runs (`set_coupling`, `set_intervention`) take effect from today; `reset`
builds both anew from day 0 with the current settings, which is exactly what `scenario()` and
`scenario_yaml()` write for `painsim run`. Its own `datacollector` records the three prevalences
of both models, so mesa's `SolaraViz` and plot components can show it too.

This module needs no web framework; `simulation.dashboard` draws it with Solara.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import mesa
import numpy as np
import pandas as pd
import yaml

from simulation.declare import bounds_of, provenance_of
from simulation.edges import all_edges, node_label
from simulation.experiments import scenario_with
from simulation.model import PainCycleModel
from simulation.outcomes import distributions
from simulation.parameters import ModelParams
from simulation.scenario import Scenario

LOOP_NODES = ("pain", "mood", "in_episode", "sleep", "sleep_recent")
OUTCOMES = ("chronic_pain", "depression", "insomnia")
TRAJECTORY_PEOPLE = 4

# Intervention blocks as the shipped scenarios offer them: who is eligible, enrolled as they become so.
PRESETS: dict[str, dict[str, Any]] = {
    "cbt": {"eligibility": {"conditions": ["chronic_pain"]}},
    "exercise": {"eligibility": {"conditions": ["chronic_pain"]}},
    "mindfulness": {"eligibility": {"conditions": ["chronic_pain"]}},
    "acupuncture": {"eligibility": {"conditions": ["chronic_pain"]}, "stimulation": "manual"},
    "snri": {"eligibility": {"conditions": ["chronic_pain"], "min_pain": 4.0}},
    "opioids": {"eligibility": {"conditions": ["chronic_pain"], "min_pain": 4.0}},
    "ssri": {"eligibility": {"conditions": ["depression"]}, "duration_weeks": 26},
    "cbti": {"eligibility": {"conditions": ["insomnia"]}},
    "sleep_medication": {"eligibility": {"conditions": ["insomnia"]}, "duration_weeks": 8},
    "integrated_care": {"eligibility": {"conditions": ["chronic_pain", "depression"], "require": "any"}},
}
DEFAULT_COVERAGE = 0.3


@dataclass(frozen=True)
class Coupling:
    """One edge of the pain - mood - sleep loop as a control: its parameter, bounds and provenance."""

    parameter: str
    label: str
    default: float
    lower: float
    upper: float
    unit: str
    source: str
    doc: str

    @property
    def hover(self) -> str:
        """What the slider means, its unit, its allowed range and its source."""
        return f"{self.doc} Unit: {self.unit}. Allowed {self.lower:g} to {self.upper:g}. Source: {self.source}."


def _field(parameter: str):
    group, _, name = parameter.partition(".")
    return ModelParams.model_fields[group].annotation.model_fields[name]


@lru_cache(maxsize=1)
def main_couplings() -> tuple[Coupling, ...]:
    """The edges among pain, mood and sleep, with their declared bounds, unit and source."""
    out = []
    for e in all_edges():
        if e.source in LOOP_NODES and e.target in LOOP_NODES:
            info = _field(e.parameter)
            lower, upper = bounds_of(info)
            extra = provenance_of(info)
            label = f"{node_label(e.source)} -> {node_label(e.target)}"
            out.append(
                Coupling(
                    e.parameter,
                    label,
                    float(info.default),
                    float(lower),
                    float(upper),
                    extra.get("unit", ""),
                    extra.get("source", ""),
                    info.description or "",
                )  # fmt: skip
            )
    return tuple(out)


def intervention_block(kind: str, coverage: float = DEFAULT_COVERAGE, start_day: int = 0) -> dict[str, Any]:
    """A scenario's intervention block for `kind`, as the shipped scenario of that kind offers it."""
    return {"type": kind, **copy.deepcopy(PRESETS.get(kind, {})), "coverage": float(coverage),
            "start_day": int(start_day), "enrolment": "continuous"}  # fmt: skip


@dataclass
class Settings:
    """What the controls set. `interventions`: label -> its scenario block (type, coverage, start day...)."""

    population: int = 5_000
    years: float = 5.0
    seed: int = 20261126
    couplings: dict[str, float] = field(default_factory=dict)
    interventions: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, scenario: Scenario, population: int | None = None) -> Settings:
        """The settings that show `scenario`: its interventions switched on, its couplings as set."""
        defaults = ModelParams()
        couplings = {}
        for c in main_couplings():
            group, _, name = c.parameter.partition(".")
            value = getattr(getattr(scenario.parameters, group), name)
            if value != getattr(getattr(defaults, group), name):
                couplings[c.parameter] = value
        blocks = {(b.label or b.type): b.model_dump(mode="json", exclude_defaults=True) | {"type": b.type}
                  for b in scenario.interventions}  # fmt: skip
        return cls(population=population or min(scenario.population, 5_000), years=scenario.duration_days / 365.25,
                   seed=scenario.seed, couplings=couplings, interventions=blocks)  # fmt: skip


def reference_scenario(base: Scenario, settings: Settings) -> Scenario:
    """The scenario the explored one is compared with: `base` at the settings' size, length and seed,
    without interventions and without the couplings changed in the controls."""
    return scenario_with(
        base.model_copy(update={"interventions": [], "seed": int(settings.seed)}),
        {"population": int(settings.population), "days": max(1, round(settings.years * 365.25))},
    )


def explored_scenario(base: Scenario, settings: Settings) -> Scenario:
    """The reference with the settings' couplings and interventions: what `painsim run` would run."""
    keywords: dict[str, Any] = {}
    if settings.couplings:
        keywords["parameters"] = dict(settings.couplings)
    if settings.interventions:
        keywords["interventions"] = [{"label": label, **block} if label != block["type"] else dict(block)
                                     for label, block in settings.interventions.items()]  # fmt: skip
    explored = scenario_with(reference_scenario(base, settings), keywords)
    name = base.name if base.name.endswith("explored") else f"{base.name}_explored"
    return explored.model_copy(update={"name": name[:100]})


@lru_cache(maxsize=4)
def _built(scenario_json: str) -> PainCycleModel:
    """A constructed (settled, burnt-in) model, kept: the reference is rebuilt on every reset."""
    return PainCycleModel(Scenario.model_validate_json(scenario_json), agent_views=False)


def _fresh(scenario: Scenario) -> PainCycleModel:
    return copy.deepcopy(_built(scenario.model_dump_json()))


class Exploration(mesa.Model):
    """A scenario and its reference on the same random numbers, stepped together a day at a time.

    Examples:
        >>> from simulation.exploration import Exploration
        >>> x = Exploration(population=300, years=1, seed=1, settle_days=0, burn_in_days=30)
        >>> x.set_coupling("pain.from_poor_sleep", 0.0)
        >>> x.step()
        >>> x.day, x.explored.params.pain.from_poor_sleep
        (1, 0.0)
    """

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        population: int | None = None,
        years: float | None = None,
        seed: int | None = None,
        couplings: dict[str, float] | None = None,
        interventions: dict[str, dict[str, Any]] | None = None,
        settle_days: int | None = None,
        burn_in_days: int | None = None,
    ):
        super().__init__(rng=np.random.default_rng(0))
        base = scenario if scenario is not None else Scenario()
        lengths = {k: v for k, v in (("settle_days", settle_days), ("burn_in_days", burn_in_days)) if v is not None}
        self.base = base.model_copy(update=lengths) if lengths else base
        settings = Settings.of(self.base, population)
        settings.years = settings.years if years is None else float(years)
        settings.seed = settings.seed if seed is None else int(seed)
        if couplings is not None:
            settings.couplings = dict(couplings)
        if interventions is not None:
            settings.interventions = copy.deepcopy(interventions)
        self.settings = settings
        self.datacollector = mesa.DataCollector(
            model_reporters={
                **{f"{o} (reference)": (lambda m, o=o: m._latest(m.reference, o)) for o in OUTCOMES},
                **{f"{o} (explored)": (lambda m, o=o: m._latest(m.explored, o)) for o in OUTCOMES},
            }
        )
        self._build()

    # -- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        reference = reference_scenario(self.base, self.settings)
        explored = explored_scenario(self.base, self.settings)
        self.reference = _fresh(reference)
        if explored.parameters == reference.parameters:
            self.explored = _fresh(reference)  # same people, same state: only programmes differ
            self.explored.spec = explored
            for spec in explored.interventions:
                self.explored.add_programme(spec)
        else:
            self.explored = PainCycleModel(explored, agent_views=False)
        self.changes: list[tuple[int, str]] = []  # (day, what) for changes made while running
        people = self.explored.panel_index[:TRAJECTORY_PEOPLE]
        self.people = np.asarray(people)
        self._trajectories: list[dict[str, np.ndarray]] = []
        self.running = True
        self._record()

    def reset(self) -> None:
        """Build both models anew from day 0 with the current settings."""
        self._build()

    @property
    def day(self) -> int:
        """Days simulated so far."""
        return self.explored.day

    @property
    def duration_days(self) -> int:
        """Days the scenario runs in all."""
        return self.explored.spec.duration_days

    # -- stepping --------------------------------------------------------------------------------
    def step(self) -> None:
        """One day of both models, then record it."""
        self.reference.step()
        self.explored.step()
        self.running = self.day < self.duration_days
        self._record()

    def run_to_end(self) -> None:
        """Step until the scenario's last day."""
        while self.running:
            self.step()

    def _record(self) -> None:
        self.datacollector.collect(self)
        m, idx = self.explored, self.people
        treated = np.zeros(idx.size, bool)
        for programme in m.programmes:
            treated |= (programme.start[idx] <= m.day) & (m.day < programme.stop[idx])
        self._trajectories.append(
            {
                "day": np.full(idx.size, m.day),
                "person": idx,
                "pain": m.state.pain[idx],
                "phq9": m.state.phq9[idx],
                "isi": m.state.isi[idx],
                "treated": treated,
            }  # fmt: skip
        )

    @staticmethod
    def _latest(model: PainCycleModel, outcome: str) -> float:
        return model.datacollector.model_vars[outcome][-1]

    # -- changing it while it runs ---------------------------------------------------------------
    def set_coupling(self, parameter: str, value: float) -> None:
        """Set one coupling of the explored model from today on (validated against its bounds)."""
        group, _, name = parameter.partition(".")
        setattr(getattr(self.explored.params, group), name, float(value))
        default = getattr(getattr(ModelParams(), group), name)
        if float(value) == default:
            self.settings.couplings.pop(parameter, None)
        else:
            self.settings.couplings[parameter] = float(value)
        self.changes.append((self.day, f"{parameter} = {value:g}"))

    def set_intervention(self, kind: str, on: bool, coverage: float = DEFAULT_COVERAGE, start_day: int = 0) -> None:
        """Offer (or stop offering) an intervention in the explored model; offered from
        `start_day`, or from today if that has passed."""
        self.explored.programmes = [p for p in self.explored.programmes if (p.spec.label or p.spec.type) != kind]
        self.settings.interventions.pop(kind, None)
        if on:
            block = intervention_block(kind, coverage, start_day)
            self.settings.interventions[kind] = block
            opens = dict(block, start_day=max(int(start_day), self.day))
            spec = scenario_with(Scenario(days=opens["start_day"] + 1), {"interventions": [opens]}).interventions[0]
            self.explored.add_programme(spec)
        self.changes.append((self.day, f"{kind} {'on' if on else 'off'}"))

    # -- reading it ------------------------------------------------------------------------------
    def prevalences(self) -> pd.DataFrame:
        """Long data: day, outcome, model (reference / explored), share."""
        frames = []
        for which, model in (("reference", self.reference), ("explored", self.explored)):
            frame = model.datacollector.get_model_vars_dataframe()[["day", *OUTCOMES]]
            frames.append(frame.melt("day", var_name="outcome", value_name="share").assign(model=which))
        return pd.concat(frames, ignore_index=True)

    def differences(self) -> pd.DataFrame:
        """Explored minus reference per day and outcome, in percentage points."""
        ref = self.reference.datacollector.get_model_vars_dataframe().set_index("day")[list(OUTCOMES)]
        exp = self.explored.datacollector.get_model_vars_dataframe().set_index("day")[list(OUTCOMES)]
        diff = (exp - ref) * 100
        return diff.reset_index().melt("day", var_name="outcome", value_name="points")

    def distributions(self) -> pd.DataFrame:
        """Today's distributions of pain, PHQ-9 and ISI in both models."""
        return pd.concat(
            [pd.DataFrame(distributions(m)).assign(model=which)
             for which, m in (("reference", self.reference), ("explored", self.explored))],
            ignore_index=True,
        )  # fmt: skip

    def trajectories(self) -> pd.DataFrame:
        """The sampled people's recorded days (empty before the first step)."""
        if not self._trajectories:
            return pd.DataFrame()
        return pd.DataFrame({k: np.concatenate([t[k] for t in self._trajectories]) for k in self._trajectories[0]})

    def coupling_strengths(self) -> pd.DataFrame:
        """Each main coupling's current value, and as a multiple of its default."""
        rows = []
        for c in main_couplings():
            group, _, name = c.parameter.partition(".")
            value = getattr(getattr(self.explored.params, group), name)
            rows.append({"edge": f"{c.label} ({c.parameter})", "parameter": c.parameter, "value": value,
                         "relative": value / c.default if c.default else float(value > 0)})  # fmt: skip
        return pd.DataFrame(rows)

    # -- writing it down -------------------------------------------------------------------------
    def scenario(self) -> Scenario:
        """The current settings as a scenario `painsim run` accepts (changes applied from day 0)."""
        return explored_scenario(self.base, self.settings)

    def scenario_yaml(self) -> str:
        """`scenario()` as YAML, only the fields that differ from the defaults."""
        s = self.scenario()
        data = s.model_dump(mode="json", exclude_defaults=True, exclude={"extends", "parameters_from"})
        data["interventions"] = [{"type": b.type} | b.model_dump(mode="json", exclude_defaults=True)
                                 for b in s.interventions]  # fmt: skip
        if not data["interventions"]:
            del data["interventions"]
        data["seed"] = s.seed
        head = "# Written by the painsim dashboard (painsim explore); run it with: painsim run THIS_FILE\n"
        return head + yaml.safe_dump(data, sort_keys=False)
