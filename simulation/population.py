"""Population synthesis: a US-like adult population with the shared risk factors of the seeds.

Binary risk factors are drawn by thresholding a latent normal that leans on socioeconomic status,
so each keeps its published prevalence exactly while being commoner at low SES.
"""

from __future__ import annotations

import numpy as np

from simulation.declare import ParamGroup, param
from simulation.edges import edge
from simulation.instruments import NRS_MAX
from simulation.rules.mood import log_remission_frailty, mood_liability, mood_setpoint
from simulation.rules.nociception import nociception_setpoint
from simulation.rules.sleep import sleep_setpoint
from simulation.state import PopulationState

# US adults by age band, 2020 Census (shares of the 18+ population, rounded); ages are drawn
# uniformly within a band.
AGE_BANDS: tuple[tuple[float, float, float], ...] = (
    (18, 25, 0.118),
    (25, 35, 0.176),
    (35, 45, 0.166),
    (45, 55, 0.158),
    (55, 65, 0.166),
    (65, 75, 0.125),
    (75, 85, 0.065),
    (85, 90, 0.026),
)
AGE_SOURCE = "US Census Bureau, 2020 Census, age distribution of adults (rounded)"


class PopulationParams(ParamGroup):
    """Who the synthetic adults are: demographics, risk factors and their personal set points."""

    female_share: float = param(
        0.513,
        lo=0.0,
        hi=1.0,
        unit="proportion",
        basis="cited",
        source=AGE_SOURCE,
        doc="Share of women among adults.",
    )
    smoking_prevalence: float = param(
        0.115,
        lo=0.0,
        hi=1.0,
        unit="proportion",
        basis="cited",
        source="Cornelius et al. 2023, MMWR (current cigarette smoking, US adults 2021)",
        doc="Share of current smokers.",
    )
    obesity_prevalence: float = param(
        0.419,
        lo=0.0,
        hi=1.0,
        unit="proportion",
        basis="cited",
        source="Stierman et al. 2021, NHSR 158 (NHANES 2017-March 2020)",
        doc="Share with BMI 30 or more.",
    )
    exercise_prevalence: float = param(
        0.50,
        lo=0.0,
        hi=1.0,
        unit="proportion",
        basis="cited",
        source="CDC NHIS 2018-2020 (about half of adults meet the aerobic guideline; rounded)",
        doc="Share meeting the aerobic activity guideline.",
    )
    employment_under_65: float = param(
        0.72,
        lo=0.0,
        hi=1.0,
        unit="proportion",
        basis="cited",
        source="BLS employment-population ratio, ages 18-64 (rounded)",
        doc="Share in paid work, ages 18-64.",
    )
    employment_over_65: float = param(
        0.18,
        lo=0.0,
        hi=1.0,
        unit="proportion",
        basis="cited",
        source="BLS employment-population ratio, ages 65+ (rounded)",
        doc="Share in paid work, ages 65+.",
    )
    job_strain_mean: float = param(
        0.35,
        lo=0.05,
        hi=0.95,
        unit="0-1 strain",
        basis="assumption",
        source="assumption (Karasek demand-control; about a fifth of workers in high strain)",
        doc="Mean job strain among workers (Beta distributed).",
    )
    dependence_susceptibility_sd: float = param(
        0.9,
        lo=0.0,
        hi=3.0,
        unit="SD of a log-normal with mean 1",
        basis="calibrated",
        source="calibrated to misuse 21-29% and addiction 8-12% on long-term opioids (Vowles et al. 2015)",
        fitted_to="trials/opioids_vowles2015.yaml opioid_misuse and opioid_addiction at week 52 via painsim trial",
        hand_set=True,
        doc="Spread between people of how readily opioid exposure becomes dependence.",
    )
    ses_risk_loading: float = param(
        0.35,
        lo=0.0,
        hi=0.95,
        unit="correlation",
        basis="assumption",
        source="assumption: smoking, obesity and inactivity are commoner at low SES (seed 001 adjusts for them)",
        doc="Loading of low SES on the latent risk behind smoking, obesity and inactivity.",
    )


EDGES = (
    edge(
        "ses",
        "smoker",
        "population.ses_risk_loading",
        sign=-1,
        measure="slope",
        min_effect=0.028,
        mechanism="smoking, obesity and inactivity commoner at low SES",
        cites="seed 001",
    ),
)


def _threshold(latent: np.ndarray, prevalence: float) -> np.ndarray:
    """True for the top `prevalence` share of a standard-normal latent."""
    if prevalence <= 0.0:
        return np.zeros(latent.shape, bool)
    if prevalence >= 1.0:
        return np.ones(latent.shape, bool)
    from scipy.special import ndtri  # scipy loads on first use, not with `painsim --help`

    return latent > ndtri(1.0 - prevalence)


def synthesise(size: int, params, rng: np.random.Generator, ages: np.ndarray | None = None) -> PopulationState:
    """Draw `size` adults' traits and starting states from `params` (a `ModelParams`); `ages`, if
    given, are their ages (new adults entering an open population) instead of the Census mix."""
    pp: PopulationParams = params.population
    s = PopulationState(size)

    if ages is None:
        shares = np.array([b[2] for b in AGE_BANDS])
        band = rng.choice(len(AGE_BANDS), size=size, p=shares / shares.sum())
        lo = np.array([b[0] for b in AGE_BANDS])[band]
        hi = np.array([b[1] for b in AGE_BANDS])[band]
        s.age[:] = lo + (hi - lo) * rng.random(size)
    else:
        s.age[:] = ages
    s.female[:] = rng.random(size) < pp.female_share
    s.ses[:] = rng.standard_normal(size)

    loading = pp.ses_risk_loading
    residual = np.sqrt(1.0 - loading**2)

    def risk_latent() -> np.ndarray:
        return -loading * s.ses + residual * rng.standard_normal(size)

    s.smoker[:] = _threshold(risk_latent(), pp.smoking_prevalence)
    s.obese[:] = _threshold(risk_latent(), pp.obesity_prevalence)
    s.exercises[:] = ~_threshold(risk_latent(), 1.0 - pp.exercise_prevalence)
    employment = np.where(s.age < 65, pp.employment_under_65, pp.employment_over_65)
    s.employed[:] = rng.random(size) < employment
    a = 2.0
    b = a * (1.0 - pp.job_strain_mean) / max(pp.job_strain_mean, 1e-6)
    s.job_strain[:] = np.where(s.employed, rng.beta(a, b, size), 0.0)
    s.vulnerability[:] = rng.standard_normal(size)

    s.nociception_setpoint[:] = nociception_setpoint(params.nociception, s, rng.standard_normal(size))
    s.sleep_setpoint[:] = sleep_setpoint(params.sleep, s, rng.standard_normal(size))
    s.mood_setpoint[:] = mood_setpoint(params.mood, rng.standard_normal(size))
    s.mood_liability[:] = mood_liability(params.mood, s)

    # Drawn last, so adding it left every earlier trait's draws where they were.
    sigma = np.sqrt(np.log1p(pp.dependence_susceptibility_sd**2))
    s.dependence_susceptibility[:] = np.exp(sigma * rng.standard_normal(size) - sigma**2 / 2)
    s.log_remission_frailty[:] = log_remission_frailty(params.mood, rng.standard_normal(size))
    s.isi_offset[:] = np.float32(params.sleep.isi_report_sd) * rng.standard_normal(size).astype(np.float32)

    # Starting states: each person at their own set points; the burn-in then lets the couplings
    # and the slow mechanisms settle before day 0.
    s.log_nociception[:] = s.nociception_setpoint
    s.pain[:] = np.clip(np.exp(s.log_nociception), 0.0, NRS_MAX)
    s.mood[:] = s.mood_setpoint
    s.sleep[:] = s.sleep_setpoint
    s.sleep_recent[:] = s.sleep_setpoint
    return s
