"""Probabilistic (PSA) and one-way (DSA) sensitivity analysis of a cost-effectiveness comparison.

A PSA draws every parameter that declares an `uncertainty` (`simulation.uncertainty`) once per
sample, values every strategy under that draw, and summarises the samples as a cost-effectiveness
plane, a cost-effectiveness acceptability curve (CEAC) with its frontier, and the expected value
of perfect information (EVPI). A one-way analysis sets each uncertain parameter to the low and
then the high end of its declared 95% interval, the others at their values, for a tornado chart.

**Running the strategies.** Every simulation goes through the study runner (`simulation.study`):
any executor, one progress bar, and a cache under the results root, so an interrupted analysis
rerun with the same command takes the finished simulations from the cache. The strategies are
aligned as in `painsim compare` (the reference's population, duration, replicates, seed, burn-in
and economics), so replicate r of every strategy runs the same people with the same random numbers.

**Which parameters need a new simulation.** A parameter of a group in `VALUATION_GROUPS` (health
utilities, costs) only values the states a run went through; the model's dynamics never read it
(a test holds this: changing them leaves every other outcome bit-identical). Each run therefore
records, on every recorded day, the share of people in each of the 80 combinations of pain, PHQ-9
and ISI bands that the utility function distinguishes (`CELLS`) beside the prevalences that carry
the costs of illness; a draw of utilities and costs values those records exactly (the same
`simulation.utility.utility` on each band combination, the same `simulation.economics.costs`
functions), with no new run. A drawn parameter of any other group (none declares an uncertainty
today) changes the dynamics: each sample then gets its own simulations, one per strategy and
replicate. Either way a strategy's value in a sample is the mean over the reference's replicates
(the valuation is linear in the recorded shares, so this equals the mean of the replicates' values).

**Draws.** Parameter `p` of sample `s` is drawn from `numpy.random.SeedSequence(seed, spawn_key=(s,
crc32(p)))`, from the distribution centred on the strategy's own value (`Uncertainty.draw`), so a
draw depends on the seed, the sample and the parameter only: not on the number of workers, on the
order of work, or on which other parameters are drawn. Strategies with the same value of a
parameter get the same draw. A draw outside the parameter's declared bounds is set to the bound
and counted in the report.
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulation.economics.costs import CATEGORIES, ILLNESS_CATEGORIES, INTERVENTION_COST_COLUMN, PERSPECTIVES
from simulation.uncertainty import Uncertainty

# Parameter groups that only value what a run went through (the dynamics never read them).
VALUATION_GROUPS = ("utility", "costs")
# US adults aged 18 and over (US Census Bureau, 2020 Census: 258.3 million): the default
# population the per-person EVPI is scaled to.
US_ADULTS_2020 = 258_300_000
US_ADULTS_SOURCE = "US Census Bureau, 2020 Census: 258.3 million adults aged 18 and over"
MAX_SAMPLES = 100_000


# ---------------------------------------------------------------------------------------------
# The uncertain parameters and their draws


@dataclass(frozen=True)
class UncertainParameter:
    """One model parameter with a declared uncertainty (`key` is `group.name`)."""

    key: str
    uncertainty: Uncertainty
    lower: float | None
    upper: float | None
    default: float
    unit: str

    @property
    def group(self) -> str:
        """The parameter group the key belongs to (costs, utility, ...)."""
        return self.key.split(".")[0]

    @property
    def valuation(self) -> bool:
        """Whether the parameter only values outcomes (costs, utilities) and leaves the dynamics alone."""
        return self.group in VALUATION_GROUPS

    def clip(self, value: float) -> tuple[float, bool]:
        """`value` within the declared bounds, and whether it had to be moved."""
        low = -math.inf if self.lower is None else self.lower
        high = math.inf if self.upper is None else self.upper
        kept = min(max(value, low), high)
        return kept, kept != value


def uncertain_parameters() -> list[UncertainParameter]:
    """Every model parameter that declares an uncertainty, in the order of `painsim params`."""
    from simulation.declare import bounds_of, provenance_of
    from simulation.parameters import ModelParams
    from simulation.uncertainty import uncertainty_of

    found = []
    for group, info in ModelParams.model_fields.items():
        for name, spec in info.annotation.model_fields.items():
            extra = provenance_of(spec)
            u = uncertainty_of(extra)
            if u is not None:
                low, high = bounds_of(spec)
                found.append(UncertainParameter(f"{group}.{name}", u, low, high, float(spec.default), extra["unit"]))
    return found


def fixed_parameters(strategies: list) -> pd.DataFrame:
    """The parameters a PSA keeps fixed: every model parameter without an uncertainty declaration,
    and the declared course and effect fields of the interventions the strategies use."""
    from simulation.parameters import intervention_rows, parameter_rows

    kinds = {spec.type for s in strategies for spec in s.interventions}
    rows = [r for r in parameter_rows(strategies[0].parameters, interventions=False) if r["uncertainty"] == "fixed"]
    rows += [r for r in intervention_rows() if r["name"].split(".")[1] in kinds and r["uncertainty"] == "fixed"]
    return pd.DataFrame(rows)[["name", "value", "unit", "basis", "source"]]


def _value_of(params, key: str) -> float:
    group, _, name = key.partition(".")
    return float(getattr(getattr(params, group), name))


def draw_sample(parameters: list[UncertainParameter], centres: dict[str, float], seed: int,
                sample: int) -> tuple[dict[str, float], list[str]]:  # fmt: skip
    """Sample `sample`'s draw of each parameter around `centres` (its values), and the keys of the
    draws that fell outside the declared bounds and were set to them."""
    drawn, clipped = {}, []
    for p in parameters:
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(sample, zlib.crc32(p.key.encode()))))
        value, moved = p.clip(float(p.uncertainty.draw(centres[p.key], rng)))
        drawn[p.key] = value
        if moved:
            clipped.append(p.key)
    return drawn, clipped


# ---------------------------------------------------------------------------------------------
# Simulating: runs that record what a valuation needs


def _bands():
    from simulation.instruments import ISI_BANDS, NRS_BANDS, PHQ9_BANDS

    return NRS_BANDS, PHQ9_BANDS, ISI_BANDS


def cell_count() -> int:
    """How many (pain, PHQ-9, ISI) band cells a valuation distinguishes."""
    return math.prod(len(edges) + 1 for edges in _bands())


CELLS = tuple(f"cell_{i:02d}" for i in range(cell_count()))
VALUED_COLUMNS = tuple(dict.fromkeys(c for parts in ILLNESS_CATEGORIES.values() for c, _ in parts))


def cells_of(pain: np.ndarray, phq9: np.ndarray, isi: np.ndarray) -> np.ndarray:
    """The share of people in each combination of pain, PHQ-9 and ISI bands (pain-major order)."""
    from simulation.utility import band_of

    pain_edges, phq_edges, isi_edges = _bands()
    n_phq, n_isi = len(phq_edges) + 1, len(isi_edges) + 1
    index = (band_of(pain, pain_edges) * n_phq + band_of(phq9, phq_edges)) * n_isi + band_of(isi, isi_edges)
    return np.bincount(index, minlength=len(CELLS)) / max(pain.size, 1)


def cell_utilities(utility_params) -> np.ndarray:
    """Each band combination's health utility, by the model's own utility function (the lower edge
    of each band stands for the band: utility is constant within a band)."""
    from simulation.utility import utility

    grids = np.meshgrid(*(np.array((0.0, *edges), np.float32) for edges in _bands()), indexing="ij")
    return utility(utility_params, *(g.ravel() for g in grids)).astype(np.float64)


def _valued_model_class():
    from simulation.model import PainCycleModel

    class ValuedModel(PainCycleModel):
        """The model, recording the band combinations with each row of the population series."""

        def _series_row(self) -> dict[str, float]:
            row = super()._series_row()
            s = self.state
            row.update(zip(CELLS, cells_of(s.pain, s.phq9, s.isi).tolist(), strict=True))
            return row

    return ValuedModel


def valued_replicate(scenario, replicate: int, progress=None, start=None) -> pd.DataFrame:
    """One replicate (a study task): per recorded day, the prevalences that carry costs of illness,
    the intervention spending, the mean utility and the share of people in each band combination."""
    model = _valued_model_class()(scenario, replicate=replicate, agent_views=False, start=start)
    days = scenario.duration_days
    model.run(progress=(lambda done: progress(done / days)) if progress is not None else None)
    series = model.population_series()
    return series[["day", *VALUED_COLUMNS, INTERVENTION_COST_COLUMN, "mean_utility", *CELLS]]


# ---------------------------------------------------------------------------------------------
# Valuing


def value_series(series: pd.DataFrame, params, settings) -> dict[str, float]:
    """Discounted QALYs and costs per person (by category and perspective) of a recorded series
    under the utility and cost parameters `params`, as `simulation.economics.evaluate` counts them."""
    from simulation.economics.costs import discounted_person_years, replicate_costs

    days = series["day"].to_numpy(float)
    utility = series[list(CELLS)].to_numpy(float) @ cell_utilities(params.utility)
    by_category = replicate_costs(series, params.costs, settings.price_year, settings.discount_rate_costs)
    out = {"qalys": discounted_person_years(days, utility, settings.discount_rate_effects)}
    out |= {f"cost_{c}": by_category[c] for c in CATEGORIES}
    out |= {f"cost_{p}": float(sum(by_category[c] for c in parts)) for p, parts in PERSPECTIVES.items()}
    return out


def _with(scenario, values: dict[str, float]):
    from simulation.calibration import with_parameters

    return with_parameters(scenario, values) if values else scenario


@dataclass
class Evaluation:
    """Strategies valued at a list of parameter points (PSA samples or one-way settings)."""

    strategies: list  # the strategies, aligned to the reference (`simulation.compare.align`), in the order given
    reference: str
    table: pd.DataFrame  # point, strategy, qalys, cost_<category>, cost_<perspective>
    stats: dict
    simulations: int  # distinct simulated scenarios (strategies x parameter sets that change dynamics)
    notes: list[str] = field(default_factory=list)  # run settings set to the reference's, per strategy

    @property
    def names(self) -> list[str]:
        """The strategies' names, in the order given."""
        return [s.name for s in self.strategies]

    @property
    def settings(self):
        """The reference strategy's economics settings (perspective, discounting, thresholds)."""
        return next(s for s in self.strategies if s.name == self.reference).economics


def evaluate_points(strategies: list, reference: int, points: list[dict[str, dict[str, float]]], jobs=None,
                    dask=None, cache=None, progress=None) -> Evaluation:  # fmt: skip
    """Value every strategy at every point (`points[i][strategy name]`: the parameter values to set).

    The strategies are aligned to the reference (`simulation.compare.align`); values of parameters
    outside `VALUATION_GROUPS` go into the simulated scenarios, the rest into the valuation. The
    distinct simulations run as one study."""
    from simulation.compare import align
    from simulation.study import replicate_tasks, run_study

    aligned, notes = align(strategies, reference)
    sims: dict[str, int] = {}
    scenarios, where = [], {}
    for i, point in enumerate(points):
        for s in aligned:
            values = point.get(s.name, {})
            dynamic = {k: v for k, v in values.items() if k.split(".")[0] not in VALUATION_GROUPS}
            sim = _with(s, dynamic)
            digest = json.dumps(sim.resolved(), sort_keys=True, default=str)
            if digest not in sims:
                sims[digest] = len(scenarios)
                scenarios.append(sim)
            where[(i, s.name)] = sims[digest]
    study = run_study(replicate_tasks(scenarios, valued_replicate), jobs=jobs, dask=dask, cache=cache,
                      progress=progress)  # fmt: skip
    means = {}
    for j, sim in enumerate(scenarios):
        frames = [study[(j, r)] for r in range(sim.replicates)]
        means[j] = sum(f.reset_index(drop=True) for f in frames) / len(frames)
    settings = aligned[reference].economics
    rows = []
    for i, point in enumerate(points):
        for s in aligned:
            params = _with(s, point.get(s.name, {})).parameters
            rows.append({"point": i, "strategy": s.name, **value_series(means[where[(i, s.name)]], params, settings)})
    return Evaluation(aligned, aligned[reference].name, pd.DataFrame(rows), study.stats, len(scenarios), notes)


# ---------------------------------------------------------------------------------------------
# Acceptability and the value of information (pure functions of the samples)


def net_benefit(costs: np.ndarray, effects: np.ndarray, wtp: float) -> np.ndarray:
    """Net monetary benefit (samples x strategies): wtp x effects - costs."""
    return wtp * np.asarray(effects, float) - np.asarray(costs, float)


def evpi(nmb: np.ndarray) -> float:
    """Expected value of perfect information per person: E[max over strategies] - max of E, computed
    as the mean over samples of what choosing the best strategy in that sample would gain over the
    strategy with the largest expected net benefit (exactly 0 when that strategy is best in every sample).

    Examples:
        >>> evpi(np.array([[1.0, 0.0], [2.0, 1.0]]))  # the first strategy always wins: nothing to learn
        0.0
        >>> evpi(np.array([[1.0, 0.0], [0.0, 3.0]]))  # E[max] = 2, max E = 1.5
        0.5
    """
    nmb = np.asarray(nmb, float)
    chosen = nmb[:, int(nmb.mean(axis=0).argmax())]
    return float((nmb.max(axis=1) - chosen).mean())


def acceptability(names: list[str], costs: np.ndarray, effects: np.ndarray, wtps) -> pd.DataFrame:
    """Per threshold and strategy: the share of samples in which it has the largest net monetary
    benefit (the CEAC; ties go to the first listed), its expected net benefit, and whether it is
    the strategy with the largest expected net benefit (the acceptability frontier); with the EVPI
    per person at each threshold."""
    rows = []
    for wtp in wtps:
        nmb = net_benefit(costs, effects, wtp)
        wins = np.bincount(nmb.argmax(axis=1), minlength=len(names)) / nmb.shape[0]
        expected = nmb.mean(axis=0)
        best = int(expected.argmax())
        value = evpi(nmb)
        for k, name in enumerate(names):
            rows.append({"wtp_per_qaly": float(wtp), "strategy": name, "probability_cost_effective": float(wins[k]),
                         "expected_nmb": float(expected[k]), "on_frontier": k == best,
                         "evpi_per_person": value})  # fmt: skip
    return pd.DataFrame(rows)


def wtp_grid(thresholds: list[float], points: int = 101) -> list[float]:
    """Thresholds for the CEAC: 0 to twice the largest stated threshold, and the stated ones."""
    top = 2 * max(max(thresholds), 1.0)
    return sorted({*np.linspace(0.0, top, points).round(6).tolist(), *map(float, thresholds)})


# ---------------------------------------------------------------------------------------------
# The PSA


@dataclass
class PSAResult:
    """A probabilistic sensitivity analysis: every sample's costs and QALYs per strategy."""

    evaluation: Evaluation
    samples: int
    seed: int
    parameters: list[UncertainParameter]
    draws: pd.DataFrame  # sample, strategy, then each drawn parameter
    clipped: int  # draws set to a declared bound
    population: int  # the population the EVPI is scaled to
    population_source: str
    fixed: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def names(self) -> list[str]:
        """The strategies' names."""
        return self.evaluation.names

    @property
    def reference(self) -> str:
        """The reference strategy's name."""
        return self.evaluation.reference

    @property
    def settings(self):
        """The economics settings the analysis used."""
        return self.evaluation.settings

    def table(self) -> pd.DataFrame:
        """The tidy table: sample, strategy, QALYs, costs (by category and perspective), and the
        net monetary benefit of the primary perspective at each stated threshold."""
        out = self.evaluation.table.rename(columns={"point": "sample"})
        primary = f"cost_{self.settings.perspective}"
        for wtp in self.settings.wtp_thresholds:
            out[f"nmb_{wtp:.0f}"] = net_benefit(out[primary], out["qalys"], wtp)
        return out

    def wide(self, column: str) -> np.ndarray:
        """Samples x strategies of one column."""
        return self.evaluation.table.pivot(index="point", columns="strategy", values=column)[self.names].to_numpy()

    def acceptability(self) -> pd.DataFrame:
        """CEAC, frontier and EVPI (per person and for the population) for each perspective."""
        effects = self.wide("qalys")
        frames = []
        for perspective in PERSPECTIVES:
            part = acceptability(self.names, self.wide(f"cost_{perspective}"), effects,
                                 wtp_grid(self.settings.wtp_thresholds))  # fmt: skip
            part.insert(0, "perspective", perspective)
            frames.append(part)
        out = pd.concat(frames, ignore_index=True)
        out["evpi_population"] = out["evpi_per_person"] * self.population
        return out

    def summary(self) -> pd.DataFrame:
        """Per perspective and strategy: mean cost and QALYs with 2.5-97.5 percentiles across samples,
        and the same of the difference from the reference (paired by sample)."""
        rows = []
        effects = self.wide("qalys")
        ref = self.names.index(self.reference)
        for perspective in PERSPECTIVES:
            costs = self.wide(f"cost_{perspective}")
            for k, name in enumerate(self.names):
                row = {"perspective": perspective, "strategy": name}
                for label, values in (("cost", costs[:, k]), ("qalys", effects[:, k]),
                                      ("incremental_cost", costs[:, k] - costs[:, ref]),
                                      ("incremental_qalys", effects[:, k] - effects[:, ref])):  # fmt: skip
                    row |= {label: float(values.mean()), f"{label}_p2.5": float(np.percentile(values, 2.5)),
                            f"{label}_p97.5": float(np.percentile(values, 97.5))}  # fmt: skip
                d_cost, d_qaly = row["incremental_cost"], row["incremental_qalys"]
                row["icer_of_means"] = d_cost / d_qaly if name != self.reference and d_qaly != 0 else math.nan
                rows.append(row)
        return pd.DataFrame(rows)


def check_samples(samples: int) -> None:
    """Refuse a sample count a PSA cannot use (an `InputError` naming --samples)."""
    from simulation.inputs import InputError

    if not 1 <= samples <= MAX_SAMPLES:
        raise InputError(f"--samples must be 1 to {MAX_SAMPLES:,}, got {samples}.")


def run_psa(strategies: list, reference: int = 0, samples: int = 200, seed: int | None = None,
            population: int = US_ADULTS_2020, population_source: str = US_ADULTS_SOURCE, jobs=None, dask=None,
            cache=None, progress=None) -> PSAResult:  # fmt: skip
    """Draw `samples` parameter sets (seeded by `seed`, default the reference scenario's seed) and
    value every strategy under each; see the module's description."""
    from simulation.compare import align

    check_samples(samples)
    aligned, _ = align(strategies, reference)
    seed = aligned[reference].seed if seed is None else int(seed)
    parameters = uncertain_parameters()
    points, draw_rows, clipped = [], [], 0
    for sample in range(samples):
        point = {}
        for s in aligned:
            centres = {p.key: _value_of(s.parameters, p.key) for p in parameters}
            drawn, moved = draw_sample(parameters, centres, seed, sample)
            clipped += len(moved)
            point[s.name] = drawn
            draw_rows.append({"sample": sample, "strategy": s.name, **drawn})
        points.append(point)
    evaluation = evaluate_points(strategies, reference, points, jobs=jobs, dask=dask, cache=cache, progress=progress)
    return PSAResult(evaluation, samples, seed, parameters, pd.DataFrame(draw_rows), clipped, int(population),
                     population_source, fixed_parameters(aligned))  # fmt: skip


# ---------------------------------------------------------------------------------------------
# One-way sensitivity


@dataclass
class OneWayResult:
    """A one-way sensitivity analysis: each parameter at its low and high value."""

    evaluation: Evaluation
    parameters: list[UncertainParameter]
    comparator: str  # the strategy compared with the reference
    wtp: float
    perspective: str
    fixed: pd.DataFrame = field(default_factory=pd.DataFrame)
    base_values: dict[str, float] = field(default_factory=dict)  # the reference's value of each parameter

    @property
    def reference(self) -> str:
        """The reference strategy's name."""
        return self.evaluation.reference

    def table(self) -> pd.DataFrame:
        """Per parameter and end (base, low, high): the value set, incremental cost, QALYs, ICER and
        net monetary benefit of the comparator against the reference; sorted by the NMB's swing."""
        t = self.evaluation.table.set_index(["point", "strategy"])
        cost = f"cost_{self.perspective}"

        def increments(point: int) -> dict[str, float]:
            a, b = t.loc[(point, self.comparator)], t.loc[(point, self.reference)]
            d_cost, d_qaly = float(a[cost] - b[cost]), float(a["qalys"] - b["qalys"])
            return {"incremental_cost": d_cost, "incremental_qalys": d_qaly,
                    "icer": d_cost / d_qaly if d_qaly != 0 else math.nan,
                    "incremental_nmb": self.wtp * d_qaly - d_cost}  # fmt: skip

        base = increments(0)
        rows = []
        for i, p in enumerate(self.parameters):
            for end, point, value in (("low", 1 + 2 * i, p.uncertainty.low), ("high", 2 + 2 * i, p.uncertainty.high)):
                rows.append({"parameter": p.key, "end": end, "value": value,
                             "base_value": self.base_values.get(p.key, p.default), **increments(point),
                             "base_incremental_nmb": base["incremental_nmb"]})  # fmt: skip
        out = pd.DataFrame(rows)
        swing = out.groupby("parameter")["incremental_nmb"].agg(lambda v: v.max() - v.min())
        out["swing"] = out["parameter"].map(swing)
        out = out.sort_values(["swing", "parameter", "end"], ascending=[False, True, False], kind="stable")
        base_row = {"parameter": "(base case)", "end": "base", "value": math.nan, "base_value": math.nan, **base,
                    "base_incremental_nmb": base["incremental_nmb"], "swing": 0.0}  # fmt: skip
        cols = ["parameter", "end", "value", "base_value", "incremental_cost", "incremental_qalys", "icer",
                "incremental_nmb", "base_incremental_nmb", "swing"]  # fmt: skip
        return pd.concat([pd.DataFrame([base_row]), out], ignore_index=True)[cols].assign(
            comparator=self.comparator, reference=self.reference, perspective=self.perspective, wtp_per_qaly=self.wtp
        )


def run_one_way(strategies: list, reference: int = 0, wtp: float | None = None, jobs=None, dask=None, cache=None,
                progress=None) -> OneWayResult:  # fmt: skip
    """Each uncertain parameter at the low and at the high end of its declared 95% interval (the
    same value in every strategy), the others at their values; point 0 is the base case. The
    comparator is the first strategy that is not the reference."""
    from simulation.compare import align
    from simulation.inputs import InputError

    aligned, _ = align(strategies, reference)
    settings = aligned[reference].economics
    if wtp is None:
        wtp = float(np.median(settings.wtp_thresholds))
    if not (math.isfinite(wtp) and wtp >= 0):
        raise InputError(f"--wtp must be a number of USD per QALY, 0 or more, got {wtp:g}.")
    parameters = uncertain_parameters()
    points: list[dict[str, dict[str, float]]] = [{}]
    for p in parameters:
        for value in (p.uncertainty.low, p.uncertainty.high):
            points.append({s.name: {p.key: value} for s in aligned})
    evaluation = evaluate_points(strategies, reference, points, jobs=jobs, dask=dask, cache=cache, progress=progress)
    comparator = next(s.name for i, s in enumerate(aligned) if i != reference)
    base_values = {p.key: _value_of(aligned[reference].parameters, p.key) for p in parameters}
    return OneWayResult(evaluation, parameters, comparator, float(wtp), settings.perspective,
                        fixed_parameters(aligned), base_values)  # fmt: skip


def simulation_count(strategies: list, reference: int, dynamic_points: int = 1) -> int:
    """How many replicate tasks an analysis runs when `dynamic_points` parameter sets change the
    dynamics (1 when every drawn parameter is a valuation parameter)."""
    from simulation.compare import align

    aligned, _ = align(strategies, reference)
    return len(aligned) * aligned[reference].replicates * dynamic_points


def needs_own_simulations(parameters: list[UncertainParameter]) -> bool:
    """Whether some drawn parameter changes the dynamics (then each sample runs its own simulations)."""
    return any(not p.valuation for p in parameters)


def describe(parameters: list[UncertainParameter]) -> list[dict[str, Any]]:
    """The uncertain parameters as table rows."""
    return [{"parameter": p.key, "value": p.default, "unit": p.unit, "distribution": p.uncertainty.kind,
             "low": p.uncertainty.low, "high": p.uncertainty.high, "basis": p.uncertainty.basis,
             "changes_the_simulation": not p.valuation} for p in parameters]  # fmt: skip
