"""The cost-effectiveness of a comparison: per strategy and replicate, discounted costs by category
and QALYs; across strategies, the incremental analysis for each perspective with paired intervals,
and net monetary benefit at each willingness-to-pay threshold.

Every strategy of a comparison runs on the same people with the same random numbers (common random
numbers), so replicate r of one strategy is paired with replicate r of every other; intervals of
incremental quantities are intervals of those paired differences (`simulation.economics.incremental`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.economics.costs import CATEGORIES, PERSPECTIVES, replicate_costs
from simulation.economics.incremental import (
    NON_DOMINATED,
    fieller_interval,
    incremental_analysis,
    net_monetary_benefit,
    paired_interval,
)
from simulation.economics.settings import EconomicsSettings
from simulation.intervals import interval_note

EFFECT = "qalys"  # discounted QALYs per person


def replicate_economics(runs, settings: EconomicsSettings) -> pd.DataFrame:
    """One row per strategy and replicate: discounted QALYs (and undiscounted), discounted costs per
    person by category and the total of each perspective, in the settings' price year."""
    from simulation.economics.costs import ALIVE_COLUMN, discounted_person_years, per_person

    rows = []
    for run in runs:
        costs = run.scenario.parameters.costs
        for rep in run.replicates:
            series = rep.series
            days = series["day"].to_numpy(float)
            by_category = replicate_costs(series, costs, settings.price_year, settings.discount_rate_costs)
            utility = per_person(series, "mean_utility")  # the dead count no QALYs
            row = {
                "strategy": run.scenario.name,
                "replicate": rep.replicate,
                "qalys": discounted_person_years(days, utility, settings.discount_rate_effects),
                "qalys_undiscounted": discounted_person_years(days, utility, 0.0),
                **{f"cost_{c}": by_category[c] for c in CATEGORIES},
            }
            if ALIVE_COLUMN in series.columns:  # demography on: life-years lived, discounted and not
                alive = series[ALIVE_COLUMN].to_numpy(float)
                row["life_years"] = discounted_person_years(days, alive, settings.discount_rate_effects)
                row["life_years_undiscounted"] = discounted_person_years(days, alive, 0.0)
            for perspective, parts in PERSPECTIVES.items():
                row[f"cost_{perspective}"] = float(sum(by_category[c] for c in parts))
            rows.append(row)
    return pd.DataFrame(rows)


@dataclass
class CostEffectiveness:
    """Per-replicate economics of every strategy, and the tables made from them."""

    per_replicate: pd.DataFrame
    settings: EconomicsSettings
    reference: str
    horizon_years: float

    @property
    def strategies(self) -> list[str]:
        """Strategy names in the order the comparison gave them."""
        return list(dict.fromkeys(self.per_replicate["strategy"]))

    def _wide(self, column: str) -> pd.DataFrame:
        """Strategy x replicate of one column (replicates aligned: paired)."""
        return self.per_replicate.pivot(index="replicate", columns="strategy", values=column)[self.strategies]

    def strategy_table(self) -> pd.DataFrame:
        """Per strategy: mean discounted costs by category and per perspective, QALYs, each with a 95%
        interval across replicates, and the paired difference from the reference with its interval."""
        rows = []
        columns = ["qalys", "qalys_undiscounted", *(f"cost_{c}" for c in CATEGORIES),
                   *(f"cost_{p}" for p in PERSPECTIVES)]  # fmt: skip
        if "life_years" in self.per_replicate.columns:  # demography on
            columns[2:2] = ["life_years", "life_years_undiscounted"]
        for column in columns:
            wide = self._wide(column)
            for name in self.strategies:
                row = {"strategy": name, "measure": column}
                row |= _level_and_difference(wide, name, self.reference, ("mean", "low", "high"), "difference")
                rows.append({**row, "reference": self.reference})
        return pd.DataFrame(rows)

    def incremental_table(self) -> pd.DataFrame:
        """For each perspective: the incremental analysis of the mean costs and QALYs, with paired
        intervals for each frontier step (incremental cost, QALYs, Fieller's interval of the ICER)."""
        frames = []
        effects = self._wide(EFFECT)
        for perspective in PERSPECTIVES:
            costs = self._wide(f"cost_{perspective}")
            table = incremental_analysis(self.strategies, costs.mean().to_numpy(), effects.mean().to_numpy())
            extra = []
            for _, row in table.iterrows():
                if not row["comparator"]:
                    extra.append(dict.fromkeys(_INTERVAL_COLUMNS, np.nan))
                    continue
                d_cost = (costs[row["strategy"]] - costs[row["comparator"]]).to_numpy()
                d_qaly = (effects[row["strategy"]] - effects[row["comparator"]]).to_numpy()
                _, c_low, c_high = paired_interval(d_cost)
                _, e_low, e_high = paired_interval(d_qaly)
                i_low, i_high = fieller_interval(d_cost, d_qaly)
                extra.append(dict(zip(_INTERVAL_COLUMNS, (c_low, c_high, e_low, e_high, i_low, i_high), strict=True)))
            table = pd.concat([table, pd.DataFrame(extra)], axis=1)
            table.insert(0, "perspective", perspective)
            table["primary"] = perspective == self.settings.perspective
            frames.append(table.rename(columns={"cost": "cost_per_person", "effect": "qalys_per_person"}))
        out = pd.concat(frames, ignore_index=True)
        out["replicates"] = len(effects)
        out["interval"] = interval_note(len(effects)) + "; ICER: Fieller's interval of paired differences"
        return out

    def nmb_table(self) -> pd.DataFrame:
        """Per perspective, threshold and strategy: net monetary benefit (mean and interval), its paired
        difference from the reference, and whether it is the best strategy at that threshold."""
        rows = []
        effects = self._wide(EFFECT)
        for perspective in PERSPECTIVES:
            costs = self._wide(f"cost_{perspective}")
            for wtp in self.settings.wtp_thresholds:
                nmb = pd.DataFrame(
                    {s: net_monetary_benefit(costs[s], effects[s], wtp) for s in self.strategies}, index=costs.index
                )
                best = str(nmb.mean().idxmax())
                for name in self.strategies:
                    row = {"perspective": perspective, "wtp_per_qaly": wtp, "strategy": name}
                    names = ("nmb_per_person", "nmb_low", "nmb_high")
                    row |= _level_and_difference(nmb, name, self.reference, names, "incremental_nmb")
                    row["best"] = name == best
                    row["share_of_replicates_best"] = float((nmb.idxmax(axis=1) == name).mean())
                    rows.append(row)
        return pd.DataFrame(rows)


def _level_and_difference(wide: pd.DataFrame, name: str, reference: str, level: tuple[str, str, str],
                          difference: str) -> dict[str, float]:  # fmt: skip
    """A strategy's mean and interval across replicates, and its paired difference from the reference."""
    mine = paired_interval(wide[name].to_numpy())
    diff = paired_interval((wide[name] - wide[reference]).to_numpy())
    names = (*level, difference, f"{difference}_low", f"{difference}_high")
    return dict(zip(names, (*mine, *diff), strict=True))


_INTERVAL_COLUMNS = (
    "incremental_cost_low",
    "incremental_cost_high",
    "incremental_effect_low",
    "incremental_effect_high",
    "icer_low",
    "icer_high",
)


def cost_effectiveness(comparison) -> CostEffectiveness:
    """The economics of a `simulation.compare.Comparison`, with the reference scenario's settings."""
    ref = comparison.runs[comparison.reference].scenario
    return CostEffectiveness(
        replicate_economics(comparison.runs, ref.economics),
        ref.economics,
        ref.name,
        ref.duration_days / 365.25,
    )


def frontier(table: pd.DataFrame, perspective: str) -> pd.DataFrame:
    """The efficient frontier of one perspective of an incremental table, cheapest first."""
    part = table[(table["perspective"] == perspective) & (table["status"] == NON_DOMINATED)]
    return part.sort_values("cost_per_person")
