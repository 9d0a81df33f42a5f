"""Clinical statuses, judged over windows the way the instruments judge them.

- chronic pain: pain on most days (more than half) of the last 3 months (NHIS, Dahlhamer 2018);
- high-impact chronic pain: chronic pain that limits life or work (withdrawal above a threshold);
- MIDUS back pain (seed 001): pain almost every day or several times a week in the last 30 days;
- major depressive episode: PHQ-9 at or above 10 on 14 days running (DSM-5 two-week criterion);
  the 12-month measure counts anyone with such an episode in the last 365 days;
- MIDUS depression (seed 001): the 12-month episode as MIDUS's short-form interview (the CIDI-SF)
  reads it, with that instrument's sensitivity and specificity against the full diagnostic
  interview, so the survey's depression is about half as common again as the diagnosis
  (Patten 1997) and its associations are diluted as a screen's are;
- insomnia disorder: poor nights on at least 3 nights a week over the last 3 months (DSM-5);
- clinical insomnia: ISI at or above 15 (Morin 2011).

Daily flags live in a 91-day ring buffer, so every window count is updated in O(n) a day: add
today's flag, drop the one leaving the window. A day takes two bits (pain day, bad night), four
days share a byte: 23 bytes a person instead of 91, a third of the clinical windows' memory and the
largest block of a person's (`ring_slot` says where a day lives; the compiled kernel reads the ring
the same way).
"""

from __future__ import annotations

import numpy as np

from simulation.declare import CALIBRATE_COMMAND, ParamGroup, param
from simulation.instruments import ISI_MAX, PHQ9_MAX
from simulation.state import PopulationState, isi_reading

WINDOW_DAYS = 91  # the longest window (3 months); the others must fit inside it (and its counts in a byte)
DAY_BITS = 2  # a day's flags: bit 0 the pain day, bit 1 the bad night
DAYS_PER_BYTE = 8 // DAY_BITS
RING_BYTES = -(-WINDOW_DAYS // DAYS_PER_BYTE)  # 23: the ring's bytes a person
_PAIN_BIT = np.uint8(1)
_NIGHT_BIT = np.uint8(2)
_DAY_MASK = np.uint8((1 << DAY_BITS) - 1)
NEVER = np.int32(-(10**6))
ALL = slice(None)
# Which people a status is read for: ALL, one index, an index array or a boolean mask.
Selector = slice | int | np.ndarray


def ring_slot(slot: int) -> tuple[int, int]:
    """Where day `slot` (0 to WINDOW_DAYS - 1) of the ring lives: its byte row in `ClinicalStatus.flags`
    and the shift of its two bits within the byte. Days are packed along the rows, so a day's flags
    for everyone are one row (read and written in one pass, like an unpacked ring's row)."""
    row, within = divmod(int(slot), DAYS_PER_BYTE)
    return row, DAY_BITS * within


class StatusParams(ParamGroup):
    """How the clinical statuses are judged: thresholds and windows of the instruments and DSM-5."""

    pain_day_threshold: float = param(
        3.0,
        lo=0.5,
        hi=8.0,
        unit="NRS points",
        basis="assumption",
        source="assumption: a day counts as a pain day at NRS 3 or more (mild pain noticed)",
        doc="Pain at or above this counts the day as a pain day.",
    )
    chronic_pain_min_days: float = param(
        46.0,
        lo=1.0,
        hi=91.0,
        unit="days of 91",
        basis="cited",
        source="Dahlhamer et al. 2018 (pain on most days or every day in the past 3 months)",
        doc="Pain days in the last 91 needed for chronic pain.",
    )
    midus_window_days: float = param(
        30.0,
        lo=7.0,
        hi=91.0,
        unit="days",
        basis="cited",
        source="seed 001 (MIDUS: the last 30 days)",
        doc="Window of the MIDUS back-pain question.",
    )
    midus_min_days: float = param(
        9.553,
        lo=1.0,
        hi=91.0,
        unit="days of the window",
        basis="calibrated",
        source="seed 001 (almost every day or several times a week); 'several times a week' reads as 2-3 a "
        "week, 9-13 days of 30: calibrated within that range to MIDUS back pain (about 24%)",
        fitted_to=CALIBRATE_COMMAND,
        doc="Pain days in the MIDUS window needed for MIDUS back pain.",
    )
    high_impact_withdrawal: float = param(
        0.3768,
        lo=0.0,
        hi=1.0,
        unit="0-1 withdrawal",
        basis="calibrated",
        source="calibrated to high-impact chronic pain 8.0% (Dahlhamer et al. 2018)",
        fitted_to=CALIBRATE_COMMAND,
        doc="Withdrawal at or above which chronic pain counts as high-impact.",
    )
    mde_phq9_threshold: float = param(
        10.0,
        lo=1.0,
        hi=PHQ9_MAX,
        unit="PHQ-9 points",
        basis="cited",
        source="Kroenke et al. 2001, J Gen Intern Med (PHQ-9 >= 10: sensitivity and specificity 88%)",
        doc="Daily PHQ-9 at or above this counts as a low-mood day.",
    )
    mde_min_days: float = param(
        14.0,
        lo=1.0,
        hi=90.0,
        unit="days",
        basis="cited",
        source="DSM-5 (two weeks); seed 001",
        doc="Consecutive low-mood days that make a major depressive episode.",
    )
    mde_lookback_days: float = param(
        365.0,
        lo=1.0,
        hi=3650.0,
        unit="days",
        basis="cited",
        source="Hasin et al. 2018; seed 001 (episodes during the last year)",
        doc="Window of the period (12-month) prevalence of major depression.",
    )
    bad_night_threshold: float = param(
        0.5,
        lo=0.05,
        hi=1.0,
        unit="0-1 poor sleep",
        basis="assumption",
        source="assumption: a night at 0.5 or worse is a night of clinically disturbed sleep",
        doc="Poor sleep at or above this counts as a bad night.",
    )
    insomnia_min_nights: float = param(
        39.0,
        lo=1.0,
        hi=91.0,
        unit="nights of 91",
        basis="cited",
        source="DSM-5 insomnia disorder (3 nights a week for 3 months)",
        doc="Bad nights in the last 91 needed for insomnia disorder.",
    )
    opioid_misuse_dependence: float = param(
        0.37,
        lo=0.01,
        hi=1.0,
        unit="0-1 dependence",
        basis="calibrated",
        source="calibrated to misuse 21-29% on long-term opioids (Vowles et al. 2015)",
        fitted_to="trials/opioids_vowles2015.yaml opioid_misuse and opioid_addiction at week 52 via painsim trial",
        hand_set=True,
        doc="Dependence at or above which opioid use counts as misuse.",
    )
    opioid_addiction_dependence: float = param(
        0.6,
        lo=0.01,
        hi=1.0,
        unit="0-1 dependence",
        basis="calibrated",
        source="calibrated to addiction 8-12% on long-term opioids (Vowles et al. 2015)",
        fitted_to="trials/opioids_vowles2015.yaml opioid_misuse and opioid_addiction at week 52 via painsim trial",
        hand_set=True,
        doc="Dependence at or above which opioid use counts as addiction.",
    )
    mde_remission_days: float = param(
        60.0,
        lo=14.0,
        hi=365.0,
        unit="days",
        basis="cited",
        source="DSM-5 (full remission: no significant symptoms for two months)",
        doc="Days in a row below the PHQ-9 cut-off that end a clinical depressive episode.",
    )
    mde_symptom_run_days: float = param(
        7.0,
        lo=1.0,
        hi=14.0,
        unit="days",
        basis="assumption",
        source="assumption: a week in a row at PHQ-9 10 or more is a return of significant symptoms (DSM-5 "
        "full remission: no significant symptoms for two months); a single bad day is not",
        doc="Days in a row at the PHQ-9 cut-off that interrupt the two months of remission.",
    )
    chronic_pain_remission_days: float = param(
        91.0,
        lo=14.0,
        hi=730.0,
        unit="days",
        basis="assumption",
        source="assumption: recovery from chronic pain is three months without meeting its definition "
        "(Dahlhamer et al. 2018 use a 3-month window)",
        doc="Days in a row without chronic pain that end a chronic pain episode.",
    )
    insomnia_remission_days: float = param(
        91.0,
        lo=14.0,
        hi=730.0,
        unit="days",
        basis="assumption",
        source="assumption: remission is three months without meeting the DSM-5 criteria (DSM-5)",
        doc="Days in a row without insomnia disorder that end an insomnia episode.",
    )
    cidi_sf_sensitivity: float = param(
        0.7969,
        lo=0.5,
        hi=1.0,
        unit="share of episodes",
        basis="calibrated",
        source="Kessler et al. 1998, Int J Methods Psychiatr Res (the CIDI short form finds 77-100% of the "
        "full interview's cases; overall accuracy 93% for major depression, its least accurate scale): "
        "calibrated within 0.77-1.00",
        fitted_to="the four MIDUS conditional shares (seed 001); " + CALIBRATE_COMMAND,
        doc="Share of people with a 12-month depressive episode whom MIDUS's short-form interview reads as depressed.",
    )
    cidi_sf_specificity: float = param(
        0.9498,
        lo=0.5,
        hi=1.0,
        unit="share of non-cases",
        basis="calibrated",
        source="Kessler et al. 1998 (94-99% of non-cases classified correctly, major depression at the low "
        "end): calibrated within 0.94-0.99; Patten 1997, Chronic Dis Can (the short form overestimates "
        "12-month major depression by about 50% in a community survey) is a check, not a target. "
        "Assumption: the false positives are independent of pain (non-differential)",
        fitted_to="the four MIDUS conditional shares (seed 001); " + CALIBRATE_COMMAND,
        doc="Share of people without a 12-month depressive episode whom MIDUS's short-form interview reads as "
        "not depressed.",
    )
    clinical_isi_threshold: float = param(
        15.0,
        lo=1.0,
        hi=ISI_MAX,
        unit="ISI points",
        basis="cited",
        source="Morin et al. 2011, Sleep (ISI 15-28: clinical insomnia)",
        doc="ISI at or above this counts as clinical insomnia.",
    )


class EpisodeTracker:
    """Clinical episodes beside the day-level readings: an episode starts on the first day its
    onset criterion holds and ends once the condition has been absent for `remission_days` in a
    row, so a reading that flickers at a window's threshold does not make new episodes.

    Course-of-illness statistics (onset, remission, recurrence) read these, never the daily flags.
    """

    def __init__(self, size: int, remission_days: int) -> None:
        self.remission_days = int(remission_days)
        self.active = np.zeros(size, bool)
        self.absent_run = np.zeros(size, np.int16)  # consecutive days without the condition, in an episode
        self.onset_day = np.full(size, NEVER, np.int32)  # of the current or last episode
        self.remission_day = np.full(size, NEVER, np.int32)  # of the last episode to end
        self.count = np.zeros(size, np.int16)  # episodes started since the tracker began

    def update(self, starts: np.ndarray, present: np.ndarray, day: int) -> None:
        """Start episodes where `starts` holds, and end those absent for `remission_days` in a row."""
        new = starts & ~self.active
        self.active |= new
        self.onset_day[new] = day
        self.count += new
        run = self.absent_run
        run += ~present
        run *= ~present
        np.minimum(run, 30_000, out=run)
        run *= self.active
        ended = self.active & (run >= self.remission_days)
        self.active &= ~ended
        self.remission_day[ended] = day
        run[ended] = 0


class ClinicalStatus:
    """Window counts and the statuses derived from them, for every person."""

    def __init__(self, size: int, params: StatusParams) -> None:
        self.params = params
        self.flags = np.zeros((RING_BYTES, size), np.uint8)  # the ring, four days a byte (`ring_slot`)
        # counts over the ring's days, so at most WINDOW_DAYS: a byte each
        self.pain_days = np.zeros(size, np.uint8)  # in the last 91 days
        self.pain_days_midus = np.zeros(size, np.uint8)  # in the MIDUS window
        self.bad_nights = np.zeros(size, np.uint8)  # in the last 91 nights
        self.low_mood_run = np.zeros(size, np.int16)  # consecutive low-mood days, capped
        self.last_mde_day = np.full(size, NEVER, np.int32)
        self.cursor = 0  # ring position of today
        self.pain_episode = EpisodeTracker(size, params.chronic_pain_remission_days)
        self.mde_episode = EpisodeTracker(size, params.mde_remission_days)
        self.insomnia_episode = EpisodeTracker(size, params.insomnia_remission_days)

    def update(self, state: PopulationState, day: int) -> None:
        """Record today's flags and move every window on by one day."""
        p = self.params
        pain_day = state.pain >= p.pain_day_threshold
        bad_night = state.sleep >= p.bad_night_threshold
        midus_window = int(p.midus_window_days)

        row, shift = ring_slot(self.cursor)
        midus_row, midus_shift = ring_slot((self.cursor - midus_window) % WINDOW_DAYS)
        packed = self.flags[row]  # a view: today's byte row, written in place below
        leaving = (packed >> shift) & _DAY_MASK  # the day 91 days ago
        leaving_midus = (self.flags[midus_row] >> midus_shift) & _PAIN_BIT  # read before today's write
        self.pain_days -= leaving & _PAIN_BIT
        self.bad_nights -= leaving >> 1
        self.pain_days_midus -= leaving_midus
        today = pain_day.view(np.uint8) | (bad_night.view(np.uint8) << 1)
        packed &= np.uint8(~(_DAY_MASK << shift) & 0xFF)
        packed |= today << shift
        self.pain_days += pain_day
        self.pain_days_midus += pain_day
        self.bad_nights += bad_night
        self.cursor = (self.cursor + 1) % WINDOW_DAYS

        low_mood = state.mood >= np.float32(p.mde_phq9_threshold / PHQ9_MAX)
        run = self.low_mood_run
        run += low_mood
        run *= low_mood
        np.minimum(run, 10_000, out=run)
        self.last_mde_day[run >= p.mde_min_days] = day
        chronic = self.chronic_pain()
        self.pain_episode.update(chronic, chronic, day)
        self.mde_episode.update(run >= p.mde_min_days, run >= p.mde_symptom_run_days, day)
        insomnia = self.insomnia_disorder()
        self.insomnia_episode.update(insomnia, insomnia, day)

    def recorded(self, days_ago: int) -> tuple[np.ndarray, np.ndarray]:
        """The flags of the day `days_ago` days before the last update (0: that day), for everyone:
        (pain day, bad night), two boolean arrays. Within the ring only (0 to WINDOW_DAYS - 1)."""
        if not 0 <= days_ago < WINDOW_DAYS:
            raise ValueError(f"the ring holds the last {WINDOW_DAYS} days; asked for {days_ago} days ago")
        row, shift = ring_slot((self.cursor - 1 - days_ago) % WINDOW_DAYS)
        day = (self.flags[row] >> shift) & _DAY_MASK
        return (day & _PAIN_BIT).astype(bool), (day & _NIGHT_BIT).astype(bool)

    # Statuses, derived on demand from the window counts; `at` selects people (default: all).
    def chronic_pain(self, at: Selector = ALL) -> np.ndarray:
        """Pain on most days of the last 3 months (at least `chronic_pain_min_days` of 91)."""
        return self.pain_days[at] >= self.params.chronic_pain_min_days

    def high_impact_chronic_pain(self, state: PopulationState, at: Selector = ALL) -> np.ndarray:
        """Chronic pain with withdrawal at or above the high-impact threshold."""
        return self.chronic_pain(at) & (state.withdrawal[at] >= self.params.high_impact_withdrawal)

    def midus_back_pain(self, at: Selector = ALL) -> np.ndarray:
        """Pain on enough days of the MIDUS window (several times a week in 30 days)."""
        return self.pain_days_midus[at] >= self.params.midus_min_days

    def mde_current(self, at: Selector = ALL) -> np.ndarray:
        """A major depressive episode under way: PHQ-9 at the cut-off on enough days running."""
        return self.low_mood_run[at] >= self.params.mde_min_days

    def mde_12m(self, day: int, at: Selector = ALL) -> np.ndarray:
        """A major depressive episode at some time in the last `mde_lookback_days` (12 months)."""
        return (day - self.last_mde_day[at]) < self.params.mde_lookback_days

    def cidi_sf_reading(self, depressed: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
        """12-month depression as MIDUS's short-form interview reads it: each reading is a screen,
        right with probability sensitivity among the depressed and specificity among the others.

        `uniforms` are the readings' own draws (one per person, in (0, 1)); the same draw decides a
        case's miss and a non-case's false alarm, since a person is one or the other.
        """
        p = self.params
        return np.where(depressed, uniforms < p.cidi_sf_sensitivity, uniforms >= p.cidi_sf_specificity)

    def insomnia_disorder(self, at: Selector = ALL) -> np.ndarray:
        """Enough bad nights in the last 91 (DSM-5: 3 a week for 3 months)."""
        return self.bad_nights[at] >= self.params.insomnia_min_nights

    def opioid_misuse(self, state: PopulationState, at: Selector = ALL) -> np.ndarray:
        """Opioid dependence at or above the misuse level."""
        return state.opioid_dependence[at] >= self.params.opioid_misuse_dependence

    def opioid_addiction(self, state: PopulationState, at: Selector = ALL) -> np.ndarray:
        """Opioid dependence at or above the addiction level."""
        return state.opioid_dependence[at] >= self.params.opioid_addiction_dependence

    def clinical_insomnia(self, state: PopulationState, at: Selector = ALL) -> np.ndarray:
        """ISI at or above the clinical cut-off (15)."""
        return isi_reading(state.sleep_recent[at], state.isi_offset[at]) >= self.params.clinical_isi_threshold
