"""Demography: people age, die and (optionally) are replaced by new adults; off unless a scenario asks.

A scenario's `demography:` block switches it on (`ageing`, `mortality`, `replace_deaths`); without
it the model is the closed cohort at fixed ages it always was, bit for bit. Demography acts from
day 0 on, like the interventions, so scenarios that differ only in it share their burn-in.

- Ageing: age advances by 1/365.25 a year each day. The traits computed from age at synthesis (the
  nociception and sleep set points and the depression liability, each linear in age) move with it.
- Mortality: each day a person dies with probability 1 - exp(-h / 365.25), where h is the yearly
  hazard of a Gompertz-Makeham law fitted to the US life table of 2019 (total population), scaled
  by sex (the male to female ratio of age-adjusted death rates) and multiplied by the excess
  mortality of 12-month depression and of opioid addiction. The uniforms come from their own random
  stream ("demography"), one per person per day, so everything else keeps common random numbers.
- Without `replace_deaths` the dead stay in the arrays but leave every population outcome: the
  outcomes are reported among the living (`PainCycleModel.living`). With it, each death is replaced
  the same day by a new adult entering at the youngest age (18 to 19) with freshly synthesised
  traits, empty status windows and episode histories, and no treatment.

The fit of the mortality law is done in code (`fit_mortality_law`) from the published expectations
of life (`LIFE_EXPECTANCY_2019`); a test checks the declared values are that fit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulation.declare import ParamGroup, param
from simulation.rng import stream
from simulation.status import NEVER
from simulation.units import DAYS_PER_YEAR

if TYPE_CHECKING:
    from simulation.model import PainCycleModel

LIFE_TABLE_SOURCE = "Arias & Xu 2022, United States Life Tables, 2019 (NVSR 70(19), Table 1)"

# Expectation of life e_x at ages 0 to 100 (the last is 100 and over), total US population, 2019:
# Arias & Xu 2022, NVSR 70(19), Table 1. The mortality law below is fitted to ages 18 to 95.
LIFE_EXPECTANCY_2019 = (
    78.8, 78.3, 77.3, 76.3, 75.4, 74.4, 73.4, 72.4, 71.4, 70.4,
    69.4, 68.4, 67.4, 66.4, 65.4, 64.5, 63.5, 62.5, 61.5, 60.6,
    59.6, 58.6, 57.7, 56.7, 55.8, 54.9, 53.9, 53.0, 52.0, 51.1,
    50.2, 49.2, 48.3, 47.4, 46.4, 45.5, 44.6, 43.7, 42.7, 41.8,
    40.9, 40.0, 39.1, 38.1, 37.2, 36.3, 35.4, 34.5, 33.6, 32.7,
    31.8, 31.0, 30.1, 29.2, 28.4, 27.5, 26.7, 25.9, 25.1, 24.3,
    23.5, 22.7, 21.9, 21.1, 20.4, 19.6, 18.8, 18.1, 17.3, 16.6,
    15.9, 15.2, 14.5, 13.8, 13.1, 12.4, 11.8, 11.1, 10.5, 9.9,
    9.3, 8.7, 8.2, 7.7, 7.2, 6.7, 6.2, 5.8, 5.4, 5.0,
    4.6, 4.3, 4.0, 3.7, 3.4, 3.2, 3.0, 2.8, 2.6, 2.4,
    2.2,
)  # fmt: skip
FIT_AGES = (18, 95)
ENTRY_AGE = 18.0  # new adults enter between 18 and 19, the youngest age of the synthetic population
FIT_COMMAND = "python -m simulation.demography (fits the law to LIFE_EXPECTANCY_2019, ages 18-95)"


class DemographyParams(ParamGroup):
    """Background mortality by age and sex, and the excess mortality of depression and opioid addiction."""

    log_hazard_at_45: float = param(
        -6.614,
        lo=-9.0,
        hi=-2.0,
        unit="ln(deaths per person-year)",
        basis="cited",
        source=f"Gompertz-Makeham law fitted by least squares to e_x at ages 18-95 of {LIFE_TABLE_SOURCE}; "
        "largest error 0.27 years of life expectancy",
        doc="Log of the age-dependent (Gompertz) part of the yearly death hazard at age 45.",
    )
    gompertz_slope: float = param(
        0.1021,
        lo=0.05,
        hi=0.15,
        unit="per year of age",
        basis="cited",
        source=f"Gompertz-Makeham law fitted to e_x of {LIFE_TABLE_SOURCE} (the hazard doubles every 6.8 years)",
        doc="Rise of the log death hazard per year of age.",
    )
    makeham_hazard: float = param(
        0.00126,
        lo=0.0,
        hi=0.01,
        unit="deaths per person-year",
        basis="cited",
        source=f"Gompertz-Makeham law fitted to e_x of {LIFE_TABLE_SOURCE}",
        doc="Age-independent part of the yearly death hazard (accidents, overdoses and other causes).",
    )
    male_hazard_ratio: float = param(
        1.40,
        lo=1.0,
        hi=2.0,
        unit="ratio",
        basis="cited",
        source="Xu et al. 2020, NCHS Data Brief 395 (age-adjusted death rates 2019: men 846.7, women 602.7 per "
        "100,000; ratio 1.40); the same ratio at every age is an assumption",
        doc="Death hazard of men relative to women of the same age (the law is split so the mix keeps the fit).",
    )
    depression_mortality_ratio: float = param(
        1.64,
        lo=1.0,
        hi=2.22,
        unit="relative risk",
        basis="cited",
        source="Cuijpers et al. 2014, Am J Psychiatry (pooled relative risk of death with depression 1.64, "
        "95% CI 1.56-1.73); upper bound Walker et al. 2015 (mental disorders overall, 2.22)",
        doc="Multiplier of the death hazard while a person has 12-month major depression.",
    )
    opioid_addiction_mortality_ratio: float = param(
        10.0,
        lo=1.0,
        hi=13.2,
        unit="standardised mortality ratio",
        basis="cited",
        source="Larney et al. 2020, JAMA Psychiatry (all-cause SMR 10.0, 95% CI 7.6-13.2, among people using "
        "extramedical opioids); applying it to the model's addiction level is an assumption",
        doc="Multiplier of the death hazard while opioid dependence is at the addiction level.",
    )


class DemographySettings(BaseModel):
    """A scenario's `demography:` block: whether people age, die and are replaced (all off by default)."""

    model_config = ConfigDict(extra="forbid")

    ageing: bool = Field(False, description="Advance everyone's age by a day each day (from day 0).")
    mortality: bool = Field(
        False, description="Deaths from background mortality by age and sex, times the excess mortality ratios."
    )
    replace_deaths: bool = Field(
        False,
        description="Replace each death by a new adult aged 18 (an open population of constant size); "
        "without it the dead leave the population outcomes.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> DemographySettings:
        if self.mortality and not self.ageing:
            raise ValueError("`mortality: true` needs `ageing: true` (death hazards rise with age)")
        if self.replace_deaths and not self.mortality:
            raise ValueError("`replace_deaths: true` needs `mortality: true` (there is no one to replace)")
        return self

    @property
    def active(self) -> bool:
        """Whether anything demographic happens."""
        return self.ageing or self.mortality


def yearly_hazard(p: DemographyParams, age, female, female_share: float = 0.513) -> np.ndarray:
    """Background death hazard per person-year at `age` for women (`female` true) and men: the
    fitted law for both sexes together, split by the male to female hazard ratio so that a mix with
    `female_share` women keeps the fitted hazard."""
    age = np.asarray(age, np.float64)
    both = p.makeham_hazard + np.exp(p.log_hazard_at_45 + p.gompertz_slope * (age - 45.0))
    women = both / (female_share + (1.0 - female_share) * p.male_hazard_ratio)
    return np.where(np.asarray(female, bool), women, women * p.male_hazard_ratio)


def life_expectancy(log_hazard_at_45: float, slope: float, makeham: float, ages) -> np.ndarray:
    """Expectation of life at each of `ages` under a Gompertz-Makeham law (numerically, to 120 years)."""
    t = np.arange(0.0, 120.0, 0.02)
    out = []
    for x in np.asarray(ages, float):
        cumulative = np.exp(log_hazard_at_45 + slope * (x - 45.0)) * np.expm1(slope * t) / slope + makeham * t
        out.append(np.trapezoid(np.exp(-cumulative), t))
    return np.array(out)


def fit_mortality_law() -> tuple[float, float, float, float]:
    """Least-squares fit of the Gompertz-Makeham law to `LIFE_EXPECTANCY_2019` at ages 18-95:
    (log hazard at 45, slope, Makeham constant, largest absolute error in years)."""
    from scipy.optimize import least_squares

    ages = np.arange(FIT_AGES[0], FIT_AGES[1] + 1)
    observed = np.array(LIFE_EXPECTANCY_2019)[ages]

    def residuals(x):
        return life_expectancy(x[0], x[1], np.exp(x[2]), ages) - observed

    fit = least_squares(residuals, [np.log(0.003), 0.085, np.log(0.0005)])
    return float(fit.x[0]), float(fit.x[1]), float(np.exp(fit.x[2])), float(np.abs(fit.fun).max())


# The traits synthesis computes from age, with the parameter of their slope per decade from 45.
AGE_SLOPES = (
    ("nociception_setpoint", "nociception", None),
    ("sleep_setpoint", "sleep", (0.0, 1.0)),
    ("mood_liability", "mood", None),
)


class Demography:
    """Ageing, deaths and replacements of one model, from day 0 on (see the module docstring)."""

    def __init__(self, model: PainCycleModel, settings: DemographySettings, synthesise: Callable) -> None:
        self.settings = settings
        self._synthesise = synthesise  # `simulation.population.synthesise`, given so the imports run one way
        self.params: DemographyParams = model.params.demography
        state = model.state
        n = state.size
        self.size = n
        self.alive = np.ones(n, bool)
        self.age = state.age.astype(np.float64)  # float64, so a 40-year run adds no rounding drift
        self._base_age = self.age.copy()
        self._base = {name: getattr(state, name).astype(np.float64) for name, _, _ in AGE_SLOPES}
        self.deaths = 0
        self.entered = 0
        self.person_years = 0.0  # lived from day 0 on, by everyone who was ever in the population
        # Deaths and person-years by 12-month depression (index 0: without, 1: with), for checks.
        self.deaths_by_depression = np.zeros(2)
        self.person_years_by_depression = np.zeros(2)
        # Two sub-streams: who dies (one uniform per person per day, whatever happened before, so two
        # scenarios keep common numbers for deaths) and the traits of the adults who replace them.
        self._rng = stream(model.seed, model.replicate, "demography", key=0)
        self._entrants = stream(model.seed, model.replicate, "demography", key=1)

    def step(self, model: PainCycleModel) -> None:
        """One day: the living grow a day older, some die, and (with `replace_deaths`) new adults enter."""
        state = model.state
        self.person_years += np.count_nonzero(self.alive) / DAYS_PER_YEAR
        if self.settings.ageing:
            self.age += 1.0 / DAYS_PER_YEAR * self.alive
            state.age[:] = self.age
            years = self.age - self._base_age
            for name, group, bounds in AGE_SLOPES:
                value = self._base[name] + getattr(model.params, group).age_per_decade * years / 10.0
                if bounds is not None:
                    value = np.clip(value, *bounds)
                getattr(state, name)[:] = value
        if self.settings.mortality:
            u = self._rng.random(self.size)  # one uniform per person per day, dead or alive
            died = self.alive & (u < self.daily_probability(model))
            depressed = model.status.mde_12m(model.day)
            with_depression = np.count_nonzero(self.alive & depressed)
            self.person_years_by_depression += (
                np.array([np.count_nonzero(self.alive) - with_depression, with_depression]) / DAYS_PER_YEAR
            )
            died_depressed = np.count_nonzero(died & depressed)
            count = int(np.count_nonzero(died))
            self.deaths_by_depression += (count - died_depressed, died_depressed)
            if count:
                self.deaths += count
                if self.settings.replace_deaths:
                    self._replace(model, died)
                else:
                    self.alive &= ~died
                    for programme in model.programmes:
                        programme.leave(died, model.day, replaced=False)

    def hazard_ratio(self, model: PainCycleModel) -> np.ndarray:
        """Each person's excess-mortality multiplier today (depression, opioid addiction)."""
        p = self.params
        ratio = np.ones(self.size)
        ratio[model.status.mde_12m(model.day)] *= p.depression_mortality_ratio
        ratio[model.status.opioid_addiction(model.state)] *= p.opioid_addiction_mortality_ratio
        return ratio

    def daily_probability(self, model: PainCycleModel) -> np.ndarray:
        """Each person's probability of dying today."""
        pop = model.params.population
        hazard = yearly_hazard(self.params, self.age, model.state.female, pop.female_share)
        return -np.expm1(-hazard * self.hazard_ratio(model) / DAYS_PER_YEAR)

    def _replace(self, model: PainCycleModel, died: np.ndarray) -> None:
        """New adults aged 18-19 take the places of the dead: fresh traits and starting states, empty
        status windows and episode histories, no treatment."""
        where = np.flatnonzero(died)
        k = where.size
        ages = ENTRY_AGE + self._entrants.random(k)
        fresh = self._synthesise(k, model.params, self._entrants, ages=ages)
        for name, column in fresh.as_dict().items():
            getattr(model.state, name)[where] = column
        self.age[where] = fresh.age
        self._base_age[where] = fresh.age
        for name in self._base:
            self._base[name][where] = getattr(fresh, name)
        forget_status(model.status, where)
        for programme in model.programmes:
            programme.leave(died, model.day, replaced=True)
        self.entered += k

    def metrics(self, model: PainCycleModel) -> dict[str, float]:
        """The demographic outcomes so far, per person of the day-0 population."""
        living = self.alive
        return {
            "alive": float(np.count_nonzero(living)) / self.size,
            "deaths_per_1000": 1000.0 * self.deaths / self.size,
            "life_years_per_person": float(self.person_years) / self.size,
            "mean_age": float(self.age[living].mean()) if living.any() else float("nan"),
        }


def forget_status(status, where: np.ndarray) -> None:
    """Empty the clinical windows and episode histories of the people `where` (a new person)."""
    status.flags[:, where] = 0
    for name in ("pain_days", "pain_days_midus", "bad_nights", "low_mood_run"):
        getattr(status, name)[where] = 0
    status.last_mde_day[where] = NEVER
    for tracker in (status.pain_episode, status.mde_episode, status.insomnia_episode):
        tracker.active[where] = False
        tracker.absent_run[where] = 0
        tracker.onset_day[where] = NEVER
        tracker.remission_day[where] = NEVER
        tracker.count[where] = 0


if __name__ == "__main__":
    log_h45, slope, makeham, worst = fit_mortality_law()
    print(f"log_hazard_at_45={log_h45:.4f} gompertz_slope={slope:.4f} makeham_hazard={makeham:.5f} "
          f"largest e_x error={worst:.3f} years")  # fmt: skip
