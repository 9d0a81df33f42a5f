"""The population's state: one preallocated numpy column per variable, each declared once.

The daily rules update whole columns at once (structure of arrays). Mesa agents are thin views
onto a row (see `simulation.agents`). Every column says its dtype, starting value, bounds, unit and
what it means, so a reader knows what `state.sleep` holds without reading the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.instruments import ISI_MAX, NRS_MAX, PHQ9_MAX


@dataclass(frozen=True)
class Column:
    """A state column's declaration: dtype, starting value, bounds, unit, kind and meaning."""

    name: str
    dtype: str
    default: float
    lower: float | None
    upper: float | None
    unit: str
    kind: str  # trait | fast | latent | slow
    label: str


F = "float32"

COLUMNS: tuple[Column, ...] = (
    # traits: fixed for a person during a run (unless the scenario's `demography:` block ages people)
    # The label feeds the generated causal graph and tables; with `demography: ageing` age advances a day a day.
    Column("age", F, 45.0, 18.0, 120.0, "years", "trait", "age at the start of the run"),
    Column("female", "bool", 0, None, None, "flag", "trait", "female sex"),
    Column("ses", F, 0.0, None, None, "SD", "trait", "socioeconomic status (z-score; low is worse)"),
    Column("employed", "bool", 0, None, None, "flag", "trait", "in paid work"),
    Column("job_strain", F, 0.0, 0.0, 1.0, "0-1", "trait", "job strain (high demand, low control)"),
    Column("smoker", "bool", 0, None, None, "flag", "trait", "current smoker"),
    Column("obese", "bool", 0, None, None, "flag", "trait", "BMI 30 or more"),
    Column("exercises", "bool", 0, None, None, "flag", "trait", "meets aerobic activity guideline"),
    Column("vulnerability", F, 0.0, None, None, "SD", "trait", "shared, mostly non-genetic liability"),
    Column(
        "nociception_setpoint",
        F,
        0.0,
        None,
        None,
        "ln NRS",
        "trait",
        "log of the tissue nociception a person's flares relax back to",
    ),
    Column("sleep_setpoint", F, 0.2, 0.0, 1.0, "0-1", "trait", "usual poor-sleep level without pain or low mood"),
    Column("mood_setpoint", F, 0.1, 0.0, 1.0, "0-1", "trait", "usual depressive-symptom level outside episodes"),
    Column(
        "mood_liability",
        F,
        0.0,
        None,
        None,
        "log hazard",
        "trait",
        "trait part of the log hazard of a depressive episode",
    ),
    Column(
        "dependence_susceptibility",
        F,
        1.0,
        0.0,
        None,
        "x exposure",
        "trait",
        "how readily opioid exposure becomes dependence (mean 1)",
    ),
    Column(
        "log_remission_frailty",
        F,
        0.0,
        None,
        None,
        "log hazard",
        "trait",
        "how quickly a person's depressive episodes remit (mean 1): the chronic tail of depression",
    ),
    Column(
        "isi_offset",
        F,
        0.0,
        None,
        None,
        "ISI points",
        "trait",
        "how a person rates the distress and impact of a given amount of poor sleep (ISI items 4-7)",
    ),
    # fast states: change every day
    Column("pain", F, 0.0, 0.0, NRS_MAX, "NRS 0-10", "fast", "today's pain intensity"),
    Column("mood", F, 0.1, 0.0, 1.0, "0-1 (x27 = PHQ-9)", "fast", "today's depressive-symptom severity"),
    Column("sleep", F, 0.2, 0.0, 1.0, "0-1", "fast", "last night's poor-sleep severity (0 = restorative)"),
    Column(
        "sleep_recent",
        F,
        0.2,
        0.0,
        1.0,
        "0-1 (x28 = ISI)",
        "fast",
        "poor sleep over about the last fortnight (exponential average)",
    ),
    # latent processes
    Column("log_nociception", F, 0.0, None, None, "ln NRS", "latent", "log of today's tissue nociception"),
    Column("in_episode", "bool", 0, None, None, "flag", "latent", "in a depressive episode (latent)"),
    Column(
        "in_central_pain",
        "bool",
        0,
        None,
        None,
        "flag",
        "latent",
        "in an episode of centrally driven (nociplastic) pain, which needs no tissue injury",
    ),
    Column("in_care", "bool", 0, None, None, "flag", "latent", "seeing a clinician for pain, low mood or sleep"),
    # slow mechanisms: weeks to months
    Column("hpa_load", F, 0.0, 0.0, 1.0, "0-1", "slow", "stress load on the HPA axis (hypercortisolism)"),
    Column(
        "sensitisation",
        F,
        0.0,
        0.0,
        1.0,
        "0-1",
        "slow",
        "central sensitisation, weakened descending inhibition",
    ),
    Column("inflammation", F, 0.0, 0.0, 1.0, "0-1", "slow", "neuro-inflammation (microglial activation)"),
    Column("catastrophising", F, 0.0, 0.0, 1.0, "0-1", "slow", "pain catastrophising"),
    Column("withdrawal", F, 0.0, 0.0, 1.0, "0-1", "slow", "activity withdrawal and deconditioning"),
    Column("invalidation", F, 0.0, 0.0, 1.0, "0-1", "slow", "social invalidation: not being believed"),
    Column("opioid_exposure", F, 0.0, 0.0, 1.0, "0-1", "slow", "opioid exposure (set by treatment)"),
    Column("opioid_dependence", F, 0.0, 0.0, 1.0, "0-1", "slow", "opioid dependence"),
    Column(
        "depression_scar",
        F,
        0.0,
        0.0,
        1.0,
        "0-1",
        "slow",
        "the lasting mark past depressive episodes leave on the HPA axis and pain modulation (years)",
    ),
)

COLUMN_BY_NAME = {c.name: c for c in COLUMNS}


def isi_reading(sleep_recent: np.ndarray, isi_offset: np.ndarray) -> np.ndarray:
    """What the ISI reads: the fortnight's poor sleep on the 0-28 scale, shifted by how the person
    rates its distress and daytime impact, kept on the scale."""
    reading = sleep_recent * np.float32(ISI_MAX)
    reading += isi_offset
    return np.clip(reading, np.float32(0.0), np.float32(ISI_MAX), out=reading)


SLOW_STATES = tuple(c.name for c in COLUMNS if c.kind == "slow")


class PopulationState:
    """Preallocated columns for `size` people; attribute access by column name (`state.pain`)."""

    def __init__(self, size: int) -> None:
        self.size = int(size)
        for col in COLUMNS:
            setattr(self, col.name, np.full(self.size, col.default, dtype=col.dtype))

    def column(self, name: str) -> np.ndarray:
        """The column `name`; an unknown name is a KeyError listing the columns."""
        if name not in COLUMN_BY_NAME:
            raise KeyError(f"no state column {name!r}; columns: {', '.join(COLUMN_BY_NAME)}")
        return getattr(self, name)

    def as_dict(self) -> dict[str, np.ndarray]:
        """Every column by name (the arrays themselves, not copies)."""
        return {c.name: getattr(self, c.name) for c in COLUMNS}

    def nbytes(self) -> int:
        """Memory held by the columns, in bytes."""
        return sum(getattr(self, c.name).nbytes for c in COLUMNS)

    # Instruments, derived where they are read so they can never disagree with the state.
    @property
    def phq9(self) -> np.ndarray:
        """PHQ-9 equivalent (0-27) of today's depressive symptoms."""
        return self.mood * np.float32(PHQ9_MAX)

    @property
    def isi(self) -> np.ndarray:
        """Insomnia Severity Index equivalent (0-28) of the last fortnight's sleep."""
        return isi_reading(self.sleep_recent, self.isi_offset)

    @property
    def nociception(self) -> np.ndarray:
        """Today's tissue nociception in NRS points."""
        return np.exp(self.log_nociception)
