"""Virtual trials: recruit, randomise, treat, follow up and report as the published trial did.

A trial screens a synthetic source population (settled and burnt in as any run), records everyone's
pain over the week before randomisation (the baseline diary), recruits people who meet the entry
criteria, randomises them to arms and gives each arm its interventions from day 0 (coverage 1,
restricted to the arm). At each follow-up it measures pain as the mean of the last 7 daily diary
values, PHQ-9 and ISI as their instruments read that day, and compares every arm with the first
(the control): the difference in mean change of pain from baseline (as trials report mean
differences), the standardised mean difference of the follow-up values (Hedges' g; positive =
better than control), responders (at least 30% less pain than baseline) and dropout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulation.inputs import short_path, validate_strict
from simulation.interventions.base import Eligibility
from simulation.model import PainCycleModel
from simulation.parameters import ModelParams
from simulation.rng import stream
from simulation.scenario import InterventionBlock, Scenario, _describe, _read_yaml
from simulation.state import isi_reading

Metric = Literal[
    "pain_md",  # difference in mean change of pain from baseline vs control, NRS 0-10 (negative = less pain)
    "pain_md_100",  # the same on a 0-100 scale
    "pain_smd",  # Hedges' g, control minus arm, pain (positive = benefit)
    "mood_smd",  # Hedges' g, PHQ-9
    "sleep_smd",  # Hedges' g, ISI
    "responders",  # share with >= 30% less pain than at baseline
    "responders_diff",  # responders in the arm minus responders in the control
    "dropout",  # share who stopped any of the arm's treatments early
    "side_effect_dropout",  # share who stopped for side effects
    "attended_75",  # share who attended at least 75% of planned sessions (e.g. 6 of 8)
    "opioid_misuse",  # share at the misuse level of dependence
    "opioid_addiction",  # share at the addiction level of dependence
]
DIFFERENCE_METRICS = ("pain_md", "pain_md_100", "pain_smd", "mood_smd", "sleep_smd", "responders_diff")


class Arm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="Arm name; the first arm is the control.")
    interventions: list[InterventionBlock] = Field(
        default_factory=list, description="What this arm receives (eligibility and coverage are set by the trial)."
    )


class Published(BaseModel):
    """One published result and the band within which a simulation counts as reproducing it."""

    model_config = ConfigDict(extra="forbid")

    metric: Metric
    arm: str = Field(description="The arm the value refers to (differences are this arm vs the control).")
    week: float = Field(gt=0, description="Weeks after randomisation.")
    value: float = Field(description="The published value.")
    band: tuple[float, float] = Field(description="Lowest and highest simulated value that counts as a match.")
    source: str = Field(min_length=1, description="Where the value comes from.")
    role: Literal["fit", "hold_out"] = Field(
        description="`fit` if any parameter was set to reproduce this value; `hold_out` if nothing was fitted to it."
    )
    fitted_to: list[str] = Field(
        default_factory=list,
        description="For `fit`: the parameters (e.g. interventions.cbt.pain_relief) that were set to reproduce it.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Published:
        if self.role == "fit" and not self.fitted_to:
            raise ValueError("a `fit` result must name the parameters fitted to it (fitted_to)")
        if self.role == "hold_out" and self.fitted_to:
            raise ValueError("a `hold_out` result has no fitted parameters; remove fitted_to or use role: fit")
        if self.band[0] > self.band[1]:
            raise ValueError(f"band must be [low, high], got {list(self.band)}")
        return self


class Trial(BaseModel):
    """A virtual trial file."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    population: int = Field(30_000, ge=100, le=5_000_000, description="Size of the source population screened.")
    per_arm: int = Field(500, ge=5, le=1_000_000, description="People randomised to each arm.")
    replicates: int = Field(4, ge=1, le=1000, description="Independent repeats of the whole trial.")
    seed: int = Field(20261126, ge=0, le=2**63 - 1)
    burn_in_days: int = Field(365, ge=0, le=3650)
    settle_days: int = Field(700, ge=0, le=3650)
    parameters: ModelParams = Field(default_factory=ModelParams, description="Model parameter overrides.")
    entry: Eligibility = Field(default_factory=Eligibility, description="Entry criteria at randomisation.")
    arms: list[Arm] = Field(min_length=2, description="The arms; the first is the control.")
    follow_up_weeks: list[Annotated[float, Field(gt=0, le=520)]] = Field(
        min_length=1, description="When outcomes are measured (weeks, at most 10 years)."
    )
    published: list[Published] = Field(default_factory=list, description="Published results to reproduce.")

    @model_validator(mode="after")
    def _consistent(self) -> Trial:
        names = [a.name for a in self.arms]
        if len(set(names)) < len(names):
            raise ValueError(f"arm names must differ, got {names}")
        for p in self.published:
            if p.arm not in names:
                raise ValueError(f"published result for arm {p.arm!r}, which is not one of the arms {names}")
            if p.week not in self.follow_up_weeks:
                raise ValueError(f"published result at week {p.week:g}, which is not a follow-up week")
            if p.metric in DIFFERENCE_METRICS and p.arm == names[0]:
                raise ValueError(f"{p.metric} compares an arm with the control; it cannot be given for the control")
        return self

    @property
    def days(self) -> int:
        return int(round(max(self.follow_up_weeks) * 7))


def load_trial(path: str | Path) -> Trial:
    """Load and validate a trial file strictly; errors name the file and the field (`ScenarioError`)."""
    path = Path(path)
    data = _read_yaml(path, "trial")
    return validate_strict(Trial, data, short_path(path), "trial", lambda e: _describe(e, Trial))


def _hedges_g(control: np.ndarray, arm: np.ndarray) -> float:
    """Standardised mean difference, control minus arm (positive = arm better), small-sample corrected."""
    n1, n2 = control.size, arm.size
    if n1 < 2 or n2 < 2:
        return float("nan")
    pooled = np.sqrt(((n1 - 1) * control.var(ddof=1) + (n2 - 1) * arm.var(ddof=1)) / (n1 + n2 - 2))
    if pooled == 0:
        return 0.0
    correction = 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)
    return float((control.mean() - arm.mean()) / pooled * correction)


def run_trial_replicate(trial: Trial, replicate: int) -> pd.DataFrame:
    """One run of the trial: long rows of (arm, week, metric, value)."""
    scenario = Scenario(
        name=trial.name,
        population=trial.population,
        days=trial.days,
        seed=trial.seed,
        burn_in_days=trial.burn_in_days,
        settle_days=trial.settle_days,
        replicates=trial.replicates,
        parameters=trial.parameters,
        outputs={"panel_size": 0, "record_every_days": 365, "charts": False},
    )
    model = PainCycleModel(scenario, replicate=replicate, agent_views=False)
    # The baseline diary: the week before randomisation.
    diary = np.zeros((7, model.state.size), np.float32)
    for d in range(7):
        model.step()
        diary[d] = model.state.pain
    eligible = np.flatnonzero(trial.entry.mask(model))
    n_arms = len(trial.arms)
    rng = stream(trial.seed, replicate, "trial")
    n = min(trial.per_arm, eligible.size // n_arms)
    if n < 2:
        raise ValueError(
            f"{trial.name}: only {eligible.size} people meet the entry criteria; need at least {2 * n_arms}"
        )
    recruits = rng.choice(eligible, size=n * n_arms, replace=False)
    arms = {arm.name: np.sort(recruits[i::n_arms]) for i, arm in enumerate(trial.arms)}
    baseline_pain = {name: diary[:, idx].mean(axis=0) for name, idx in arms.items()}
    programmes = {name: [] for name in arms}
    for arm in trial.arms:
        for spec in arm.interventions:
            label = f"{arm.name}-{spec.name}"
            spec = spec.model_copy(
                update={
                    "coverage": 1.0,
                    "eligibility": Eligibility(),
                    "start_day": model.day,
                    "enrolment": "once",
                    "label": label,
                }  # fmt: skip
            )
            programmes[arm.name].append(model.add_programme(spec, restrict=arms[arm.name]))

    # Week 0: the arms at randomisation (baseline diary; a check that randomisation balanced them).
    rows: list[dict[str, Any]] = _measure(trial, model, arms, baseline_pain, programmes, diary, 7, 0.0)
    checkpoints = {int(round(w * 7)): w for w in trial.follow_up_weeks}
    start = model.day
    week_pain = np.zeros((7, model.state.size), np.float32)
    for day in range(1, trial.days + 1):
        model.step()
        week_pain[day % 7] = model.state.pain
        if day in checkpoints:
            rows += _measure(trial, model, arms, baseline_pain, programmes, week_pain, min(day, 7), checkpoints[day])
    assert model.day - start == trial.days
    frame = pd.DataFrame(rows)
    frame["replicate"] = replicate
    frame["n_per_arm"] = n
    return frame


def _measure(trial, model, arms, baseline_pain, programmes, week_pain, filled, week) -> list[dict[str, Any]]:
    s, status = model.state, model.status
    control = trial.arms[0].name
    pain = {name: week_pain[:filled, idx].mean(axis=0) for name, idx in arms.items()}
    phq9 = {name: s.mood[idx] * 27.0 for name, idx in arms.items()}
    isi = {name: isi_reading(s.sleep_recent[idx], s.isi_offset[idx]) for name, idx in arms.items()}
    rows = []
    for name, idx in arms.items():
        stopped = np.zeros(idx.size, bool)
        side = np.zeros(idx.size, bool)
        attended = np.ones(idx.size, bool)
        for prog in programmes[name]:
            early, side_effects = prog.stopped(model.day)
            stopped |= early[idx]
            side |= side_effects[idx]
            completed = np.minimum(prog.days_to_stop[idx], prog.planned_days) / prog.planned_days
            attended &= prog.attendance[idx] * completed >= 0.75
        values = {
            "mean_pain": float(pain[name].mean()),
            "mean_phq9": float(phq9[name].mean()),
            "mean_isi": float(isi[name].mean()),
            "responders": float(np.mean(pain[name] <= 0.7 * baseline_pain[name])),
            "dropout": float(stopped.mean()) if programmes[name] else 0.0,
            "side_effect_dropout": float(side.mean()) if programmes[name] else 0.0,
            "attended_75": float(attended.mean()) if programmes[name] else float("nan"),
            "opioid_misuse": float(status.opioid_misuse(s, idx).mean()),
            "opioid_addiction": float(status.opioid_addiction(s, idx).mean()),
        }
        if name != control:
            change = pain[name] - baseline_pain[name]
            control_change = pain[control] - baseline_pain[control]
            values["pain_md"] = float(change.mean() - control_change.mean())
            values["pain_md_100"] = 10.0 * values["pain_md"]
            values["pain_smd"] = _hedges_g(pain[control], pain[name])
            values["mood_smd"] = _hedges_g(phq9[control], phq9[name])
            values["sleep_smd"] = _hedges_g(isi[control], isi[name])
            values["responders_diff"] = values["responders"] - float(
                np.mean(pain[control] <= 0.7 * baseline_pain[control])
            )
        rows += [{"arm": name, "week": week, "metric": k, "value": v} for k, v in values.items()]
    return rows


SHARE_METRICS = ("responders", "dropout", "side_effect_dropout", "attended_75", "opioid_misuse", "opioid_addiction")


def _summarise_trial(trial: Trial, runs: pd.DataFrame) -> pd.DataFrame:
    from simulation.verdicts import interval

    rows = []
    for (arm, week, metric), part in runs.groupby(["arm", "week", "metric"], sort=False):
        mean, low, high = interval(part["value"].to_numpy(), "share" if metric in SHARE_METRICS else "linear")
        rows.append({"arm": arm, "week": week, "metric": metric, "mean": mean, "ci95_low": low, "ci95_high": high})
    return pd.DataFrame(rows)


def published_vs_simulated(trial: Trial, summary: pd.DataFrame) -> pd.DataFrame:
    """One row per published result: the published value and band beside the simulated mean and interval."""
    from simulation.verdicts import verdict

    rows = []
    indexed = summary.set_index(["arm", "week", "metric"])
    for p in trial.published:
        sim = indexed.loc[(p.arm, p.week, p.metric)]
        judged = verdict(sim["ci95_low"], sim["ci95_high"], p.band)
        rows.append(
            {
                "trial": trial.name,
                "metric": p.metric,
                "arm": p.arm,
                "week": p.week,
                "published": p.value,
                "band_low": p.band[0],
                "band_high": p.band[1],
                "simulated": sim["mean"],
                "simulated_low": sim["ci95_low"],
                "simulated_high": sim["ci95_high"],
                "verdict": judged,
                "within_band": judged == "in band",
                "role": p.role,
                "fitted_to": ", ".join(p.fitted_to),
                "source": p.source,
            }
        )
    return pd.DataFrame(rows)


class TrialResult:
    def __init__(self, trial: Trial, runs: pd.DataFrame, wall_seconds: float):
        self.trial = trial
        self.runs = runs
        self.summary = _summarise_trial(trial, runs)
        self.published = published_vs_simulated(trial, self.summary)
        self.wall_seconds = wall_seconds


def run_trial(
    trial: Trial, jobs: int | None = None, progress=None, dask: str | None = None, executor=None
) -> TrialResult:
    """Run every replicate of a trial as one study (`simulation.study`: in this process, local
    processes or Dask) and compare with the paper; `progress(replicate)` as each one finishes."""
    import time

    from simulation.study import Task, run_study

    t0 = time.perf_counter()
    tasks = [Task(r, run_trial_replicate, (trial, r)) for r in range(trial.replicates)]
    report = (lambda r, fraction: progress(r) if fraction >= 1.0 else None) if progress else None
    study = run_study(tasks, executor=executor, jobs=jobs, dask=dask, progress=report)
    frames = [study[r] for r in range(trial.replicates)]
    return TrialResult(trial, pd.concat(frames, ignore_index=True), time.perf_counter() - t0)


def published_markdown(table: pd.DataFrame, command: str | None = None) -> str:
    """Published vs simulated as a Markdown table (the README's trial table is this)."""
    from simulation.validation import counts_sentence

    lines = [
        counts_sentence(table),
        "",
        *([f"Command: `{command}`", ""] if command else []),
        "| trial | outcome | arm | week | published | band | simulated (95% interval) | verdict | role | fitted_to |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in table.itertuples():
        interval = "" if np.isnan(r.simulated_low) else f" ({r.simulated_low:.3g} to {r.simulated_high:.3g})"
        mark = r.verdict if r.verdict == "in band" else f"**{r.verdict}**"
        lines.append(
            f"| {r.trial} | {r.metric} | {r.arm} | {r.week:g} | {r.published:g} | {r.band_low:g} to {r.band_high:g} "
            f"| {r.simulated:.3g}{interval} | {mark} | {r.role} | {r.fitted_to} |"
        )
    return "\n".join(lines)


def write_trials(
    results: list[TrialResult], out_root: str | Path = "results", charts: bool = True, command: str | None = None
) -> Path:
    """Write one results folder (atomically) holding every trial's outputs and the combined
    published-vs-simulated table; return its path."""
    from simulation.results import atomic_folder, write_manifest
    from simulation.study import study_manifest

    name = f"trial-{results[0].trial.name}" if len(results) == 1 else f"trials-{len(results)}"
    with atomic_folder(out_root, name) as (staging, final):
        combined = pd.concat([r.published for r in results], ignore_index=True)
        combined.to_csv(staging / "published_vs_simulated.csv", index=False)
        (staging / "published_vs_simulated.md").write_text(published_markdown(combined, command) + "\n")
        for result in results:
            folder = staging / result.trial.name
            folder.mkdir()
            result.runs.to_csv(folder / "replicates.csv", index=False)
            result.summary.to_csv(folder / "summary.csv", index=False)
            if charts:
                from simulation.charts import save_chart, trial_chart

                save_chart(trial_chart(result), folder / "arms")
        write_manifest(staging, study_manifest(
            trials={r.trial.name: json.loads(r.trial.model_dump_json()) for r in results},
            wall_seconds={r.trial.name: round(r.wall_seconds, 3) for r in results},
        ))  # fmt: skip
    return final
