"""What every intervention shares: who is eligible, who takes it up, when, for how long, with
what adherence and dropout, how its effect ramps up and wanes, and what it costs.

A scenario's intervention block validates into a spec (a subclass of `InterventionSpec`); the
model turns each spec into a `Programme` that, every day, enrols people, works out each person's
treatment level (0 = untreated, 1 = full course fully attended, at full effect) and hands the
family's effects to the day's `Modifiers`. Random numbers come from the intervention's own
streams (uptake, adherence, dropout), keyed by the intervention's label, so adding a programme
never moves the daily noise and the same programme draws the same numbers in every scenario.
"""

from __future__ import annotations

import zlib
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulation.declare import param
from simulation.instruments import ISI_MAX, NRS_MAX, PHQ9_MAX
from simulation.interventions.effects import Modifiers
from simulation.rng import stream

NEVER = np.int32(-(10**6))

Condition = Literal[
    "chronic_pain",
    "high_impact_chronic_pain",
    "midus_back_pain",
    "depression",
    "depression_current",
    "insomnia",
    "clinical_insomnia",
    "in_care",
]


class Eligibility(BaseModel):
    """Who may be offered the intervention, judged on the day they are screened."""

    model_config = ConfigDict(extra="forbid")

    conditions: list[Condition] = Field(default_factory=list, description="Clinical statuses required.")
    require: Literal["all", "any"] = Field("all", description="Whether all or any of `conditions` must hold.")
    min_pain: float = Field(0.0, ge=0.0, le=NRS_MAX, description="Lowest pain today (NRS).")
    min_phq9: float = Field(0.0, ge=0.0, le=PHQ9_MAX, description="Lowest PHQ-9 today.")
    min_isi: float = Field(0.0, ge=0.0, le=ISI_MAX, description="Lowest ISI (last fortnight).")
    age_min: float = Field(18.0, ge=18.0, le=90.0, description="Youngest age (years).")
    age_max: float = Field(90.0, ge=18.0, le=90.0, description="Oldest age (years).")

    @model_validator(mode="after")
    def _age_band(self) -> Eligibility:
        if self.age_min > self.age_max:
            raise ValueError(f"age_min ({self.age_min:g}) is above age_max ({self.age_max:g}); no one is eligible")
        return self

    def mask(self, model) -> np.ndarray:
        """Who is eligible today: one flag per person."""
        from simulation.outcomes import statuses

        s = model.state
        ok = (s.age >= self.age_min) & (s.age <= self.age_max)
        if self.min_pain > 0:
            ok &= s.pain >= self.min_pain
        if self.min_phq9 > 0:
            ok &= s.mood * np.float32(PHQ9_MAX) >= self.min_phq9
        if self.min_isi > 0:
            ok &= s.isi >= self.min_isi
        if self.conditions:
            flags = statuses(model, only=tuple(self.conditions))
            held = [flags[c] for c in self.conditions]
            ok &= np.logical_and.reduce(held) if self.require == "all" else np.logical_or.reduce(held)
        return ok


class InterventionSpec(BaseModel):
    """Fields common to every intervention; each family adds its effect sizes.

    Families override the defaults below with their own typical course (a CBT course is 10 weekly
    sessions, a drug is taken daily for months).
    """

    model_config = ConfigDict(extra="forbid")

    family: ClassVar[str] = "base"

    type: str
    label: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_.-]+$", description="Name in results (default: the type); unique per scenario."
    )
    eligibility: Eligibility = Field(default_factory=Eligibility)
    coverage: float = param(
        1.0,
        lo=0.0,
        hi=1.0,
        unit="share of eligible",
        source="assumption (everyone eligible takes it up unless the scenario says otherwise)",
        basis="assumption",
        doc="Share of eligible people who take it up.",
    )
    start_day: int = param(
        0,
        lo=0,
        hi=36_525,
        unit="day of the run",
        source="assumption (the programme opens on the first day)",
        basis="assumption",
        doc="Day the programme opens.",
    )
    enrolment: Literal["once", "continuous"] = Field(
        "once",
        description="`once`: screen on the start day only; `continuous`: screen every `screen_every_days` "
        "and enrol people as they become eligible (each person at most once).",
    )
    screen_every_days: int = param(
        28,
        lo=1,
        hi=365,
        unit="days",
        source="assumption (screening every four weeks)",
        basis="assumption",
        doc="Days between screenings when continuous.",
    )
    duration_weeks: float = param(
        12.0,
        lo=0.0,
        hi=520.0,
        lo_exclusive=True,
        unit="weeks",
        source="assumption (a generic course; each family sets its own)",
        basis="assumption",
        doc="Planned length of a course (weeks).",
    )
    sessions_per_week: float = param(
        1.0,
        lo=0.0,
        hi=14.0,
        unit="sessions per week",
        source="assumption (a generic course; each family sets its own)",
        basis="assumption",
        doc="Sessions (or doses) a week.",
    )
    adherence: float = param(
        0.8,
        lo=0.0,
        hi=1.0,
        unit="share of sessions attended",
        source="assumption (a generic course; each family sets its own)",
        basis="assumption",
        doc="Mean share of sessions attended / doses taken; scales the effect.",
    )
    dropout_per_week: float = param(
        0.01,
        lo=0.0,
        hi=1.0,
        unit="probability per week",
        source="assumption (about 1 in 100 stop each week for reasons other than side effects)",
        basis="assumption",
        doc="Weekly chance of stopping early.",
    )
    side_effect_dropout: float = param(
        0.0,
        lo=0.0,
        hi=1.0,
        unit="probability within the first 4 weeks",
        source="assumption (no side effects unless the family declares them)",
        basis="assumption",
        doc="Chance of stopping for side effects within the first 4 weeks.",
    )
    onset_delay_days: float = param(
        7.0,
        lo=0.0,
        hi=365.0,
        unit="days",
        source="assumption (a generic course; each family sets its own)",
        basis="assumption",
        doc="Days before any effect.",
    )
    ramp_days: float = param(
        28.0,
        lo=0.0,
        hi=365.0,
        unit="days",
        source="assumption (a generic course; each family sets its own)",
        basis="assumption",
        doc="Days from first effect to full effect.",
    )
    waning_half_life_days: float = param(
        60.0,
        lo=0.0,
        hi=3650.0,
        lo_exclusive=True,
        unit="days",
        source="assumption (a generic course; each family sets its own)",
        basis="assumption",
        doc="Half-life of the effect after the course ends or stops.",
    )
    response_sd: float = param(
        0.5,
        lo=0.0,
        hi=2.0,
        unit="SD of a log-normal with mean 1",
        source="assumption (people differ in how much a treatment helps them)",
        basis="assumption",
        doc="Spread of individual response (SD of a log-normal with mean 1).",
    )
    cost_per_session: float = param(
        0.0,
        lo=0.0,
        hi=100_000.0,
        unit="USD per session",
        source="assumption (no cost unless the family declares one)",
        basis="assumption",
        doc="Cost of one session (USD).",
    )
    cost_per_day: float = param(
        0.0,
        lo=0.0,
        hi=100_000.0,
        unit="USD per day",
        source="assumption (no cost unless the family declares one)",
        basis="assumption",
        doc="Cost per day on treatment (USD).",
    )

    @property
    def name(self) -> str:
        """The intervention's name in reports: its label, or its type."""
        return self.label or self.type

    def on_enrol(self, programme: Programme, model, new: np.ndarray) -> None:
        """Hook for families that must remember something about people as they enrol."""

    def effects(self, dose: np.ndarray, model, index: np.ndarray, programme: Programme) -> dict[str, np.ndarray]:
        """The family's changes to the named quantities for the people `index` at `dose`."""
        raise NotImplementedError


def effect(default: float, **declaration):
    """Declare an effect size of an intervention: the same declaration as a model parameter
    (`simulation.declare.param`), basis and all."""
    return param(default, **declaration)


def _stream(seed: int, replicate: int, purpose: str, label: str) -> np.random.Generator:
    return stream(seed, replicate, purpose, key=zlib.crc32(label.encode("utf-8")))


class Programme:
    """One intervention running in one model: enrolment, treatment levels, effects, costs.

    Args:
        spec: the validated intervention block.
        model: the model it runs in.
        restrict: if given, only these people may be enrolled (a trial arm).
    """

    def __init__(self, spec: InterventionSpec, model, restrict: np.ndarray | None = None):
        self.spec = spec
        n = model.state.size
        self.size = n
        seed, rep = model.seed, model.replicate
        uptake = _stream(seed, rep, "uptake", spec.name)
        adherence = _stream(seed, rep, "adherence", spec.name)
        dropout = _stream(seed, rep, "dropout", spec.name)
        self.uptake_draw = uptake.random(n, dtype=np.float32)
        self.response = _lognormal_mean_one(uptake, spec.response_sd, n)
        self.attendance = _beta_with_mean(adherence, spec.adherence, n)
        weekly = -np.log1p(-min(spec.dropout_per_week, 0.999999))
        days_to_dropout = dropout.exponential(7.0 / weekly, n) if weekly > 0 else np.full(n, np.inf)
        side = dropout.random(n) < spec.side_effect_dropout
        side_day = dropout.uniform(3.0, 28.0, n)
        self.days_to_stop = np.where(side, np.minimum(side_day, days_to_dropout), days_to_dropout)
        self.stopped_for_side_effects = side & (side_day <= days_to_dropout)
        self.allowed = np.ones(n, bool) if restrict is None else _mask(restrict, n)
        self.restricted = restrict is not None
        self.replaced_enrolled = 0  # enrolled people who died and whose places new adults took
        self.enrolled = np.zeros(n, bool)
        self.start = np.full(n, NEVER, np.int32)
        self.stop = np.full(n, NEVER, np.int32)
        self.index = np.zeros(0, np.int64)
        self.extra: dict[str, Any] = {}  # family-specific bookkeeping (e.g. conditions at enrolment)
        self.level = np.zeros(n, np.float32)
        self.cost = 0.0
        self.sessions = 0.0
        self.person_days = 0

    @property
    def planned_days(self) -> int:
        """The length of a full course, in days (at least one)."""
        return max(1, int(round(self.spec.duration_weeks * 7)))

    def enrol(self, model) -> None:
        """Enrol, on a screening day, the newly eligible people who take the offer (up to the coverage)."""
        spec, day = self.spec, model.day
        if day < spec.start_day:
            return
        due = day == spec.start_day or (
            spec.enrolment == "continuous" and (day - spec.start_day) % spec.screen_every_days == 0
        )
        if not due:
            return
        new = ~self.enrolled & self.allowed & (self.uptake_draw < spec.coverage)
        if not new.any():
            return
        new &= spec.eligibility.mask(model)
        if not new.any():
            return
        self.enrolled |= new
        self.start[new] = day
        length = np.minimum(self.planned_days, np.ceil(self.days_to_stop[new])).astype(np.int32)
        self.stop[new] = day + np.maximum(length, 1)
        self.index = np.flatnonzero(self.enrolled)
        spec.on_enrol(self, model, new)

    def levels(self, day: int, half_life: float | None = None, speed: float = 1.0) -> np.ndarray:
        """Treatment level of the enrolled people today: ramp x attendance, waning after the stop.

        `half_life` overrides the course's waning (an effect that fades faster than the rest);
        `speed` > 1 makes the onset delay and ramp that many times shorter (an effect that
        comes first).
        """
        spec, idx = self.spec, self.index
        since = (day - self.start[idx]).astype(np.float32)
        on_for = np.minimum(since, (self.stop[idx] - self.start[idx]).astype(np.float32))
        delay, ramp_days = spec.onset_delay_days / speed, max(spec.ramp_days / speed, 1.0)
        level = np.clip((on_for - delay) / ramp_days, 0.0, 1.0) * self.attendance[idx]
        after = day - self.stop[idx]
        off = after >= 0
        if off.any():
            hl = np.float32(half_life if half_life is not None else spec.waning_half_life_days)
            level[off] *= np.float32(0.5) ** (after[off] / hl)
        return level.astype(np.float32)

    def on_treatment(self, day: int) -> np.ndarray:
        """Which enrolled people are within their course today (started, not yet stopped)."""
        idx = self.index
        return (self.start[idx] <= day) & (day < self.stop[idx])

    def dose(self, model) -> np.ndarray:
        """Today's effective dose of the enrolled: level x individual response."""
        level = self.levels(model.day)
        self.level[self.index] = level
        on = self.on_treatment(model.day)
        attended = float(self.attendance[self.index][on].sum())
        self.sessions += attended * self.spec.sessions_per_week / 7.0
        self.cost += attended * self.spec.sessions_per_week / 7.0 * self.spec.cost_per_session
        self.cost += int(on.sum()) * self.spec.cost_per_day
        self.person_days += int(on.sum())
        return level * self.response[self.index]

    def stopped(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Per person: who has stopped their course early by `day`, and who of them for side effects."""
        early = self.enrolled & (self.days_to_stop < self.planned_days)
        early &= self.start + np.ceil(self.days_to_stop) <= day
        return early, early & self.stopped_for_side_effects

    def leave(self, who: np.ndarray, day: int, replaced: bool) -> None:
        """People `who` (a mask) died today: their treatment ends. With `replaced`, a new adult takes
        each place: not enrolled, and offered the programme as anyone else (a trial arm's places are
        not), with the place's pre-drawn uptake, response and adherence (independent of who held it)."""
        gone = who & self.enrolled
        if replaced:
            self.replaced_enrolled += int(np.count_nonzero(gone))
            if self.restricted:
                self.allowed[who] = False
            self.enrolled[who] = False
            self.start[who] = NEVER
            self.stop[who] = NEVER
            self.level[who] = 0.0
            self.index = np.flatnonzero(self.enrolled)
        else:
            self.allowed[who] = False
            self.stop[gone] = np.minimum(self.stop[gone], day)

    def report(self, day: int) -> dict[str, Any]:
        """Counts and costs up to `day`, for results and comparisons."""
        early, side_effects = self.stopped(day)
        return {
            "intervention": self.spec.name,
            "type": self.spec.type,
            "enrolled": int(self.enrolled.sum()) + self.replaced_enrolled,
            "stopped_early": int(early.sum()),
            "stopped_for_side_effects": int(side_effects.sum()),
            "sessions": self.sessions,
            "person_days_on_treatment": self.person_days,
            "cost": self.cost,
        }


def _mask(restrict: np.ndarray, n: int) -> np.ndarray:
    restrict = np.asarray(restrict)
    if restrict.dtype == bool:
        return restrict.copy()
    mask = np.zeros(n, bool)
    mask[restrict] = True
    return mask


def _lognormal_mean_one(rng: np.random.Generator, sd: float, n: int) -> np.ndarray:
    if sd <= 0:
        rng.standard_normal(n)  # keep the stream's position independent of the value
        return np.ones(n, np.float32)
    sigma = np.sqrt(np.log1p(sd**2))
    return np.exp(sigma * rng.standard_normal(n) - sigma**2 / 2).astype(np.float32)


def _beta_with_mean(rng: np.random.Generator, mean: float, n: int, concentration: float = 6.0) -> np.ndarray:
    u = rng.random(n)  # drawn whatever the mean, so streams stay aligned across scenarios
    if mean <= 0:
        return np.zeros(n, np.float32)
    if mean >= 1:
        return np.ones(n, np.float32)
    from scipy.stats import beta

    return beta.ppf(u, mean * concentration, (1 - mean) * concentration).astype(np.float32)


def apply_programmes(programmes: list[Programme], model, mods: Modifiers) -> None:
    """Enrol, dose and compose every programme's effects into today's modifiers."""
    from simulation.interventions.combinations import adjust_doses

    mods.clear()
    doses = {}
    for prog in programmes:
        prog.enrol(model)
        if prog.index.size:
            doses[prog.spec.name] = prog.dose(model)
    if not doses:
        return
    adjust_doses(programmes, doses)
    n = model.state.size
    for prog in programmes:
        if prog.spec.name not in doses:
            continue
        idx = prog.index
        for quantity, values in prog.spec.effects(doses[prog.spec.name], model, idx, prog).items():
            full = _identity(quantity, n)
            full[idx] = values
            mods.apply(quantity, full, n)


def _identity(quantity: str, n: int) -> np.ndarray:
    from simulation.interventions.effects import PRODUCT

    return np.ones(n, np.float32) if quantity in PRODUCT else np.zeros(n, np.float32)
