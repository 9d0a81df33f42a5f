"""Population outcomes: what the series, the summary and the panel report, computed in one place.

All prevalences are shares of the simulated adults (0-1). "depression" is the 12-month prevalence
of a major depressive episode (the measure of Hasin 2018 and of MIDUS); "depression_current" is
an episode under way today.
"""

from __future__ import annotations

import numpy as np

from simulation.state import SLOW_STATES, isi_reading
from simulation.status import ALL
from simulation.utility import utility

# name -> what it means; the order is the column order of the series and the summary
METRICS: dict[str, str] = {
    "mean_pain": "mean pain today (NRS 0-10)",
    "mean_phq9": "mean PHQ-9 equivalent today (0-27)",
    "mean_isi": "mean ISI equivalent, last fortnight (0-28)",
    "chronic_pain": "chronic pain: pain on most days of the last 3 months",
    "high_impact_chronic_pain": "chronic pain that limits life or work",
    "midus_back_pain": "MIDUS back pain: pain several times a week in the last 30 days",
    "depression": "major depressive episode in the last 12 months",
    "depression_current": "major depressive episode under way",
    "insomnia": "insomnia disorder: 3 bad nights a week for 3 months",
    "clinical_insomnia": "ISI 15 or more",
    "pain_and_depression": "chronic pain and 12-month depression",
    "pain_and_insomnia": "chronic pain and insomnia disorder",
    "depression_and_insomnia": "12-month depression and insomnia disorder",
    "all_three": "chronic pain, 12-month depression and insomnia disorder",
    "depression_given_chronic_pain": "12-month depression among people with chronic pain",
    "depression_given_no_chronic_pain": "12-month depression among people without chronic pain",
    "depression_given_back_pain": "12-month depression among people with MIDUS back pain",
    "depression_given_no_back_pain": "12-month depression among people without MIDUS back pain",
    "back_pain_given_depression": "MIDUS back pain among people with 12-month depression",
    "back_pain_given_no_depression": "MIDUS back pain among people without 12-month depression",
    "insomnia_given_chronic_pain": "insomnia disorder among people with chronic pain",
    "depression_given_high_impact_pain": "12-month depression among people with high-impact chronic pain",
    "depression_given_chronic_pain_in_care": "12-month depression among people with chronic pain who are in care",
    "clinical_insomnia_given_chronic_pain_in_care": "ISI 15 or more among people with chronic pain who are in care",
    "in_care": "seeing a clinician for pain, low mood or sleep",
    "in_episode": "in a depressive episode (latent state)",
    "in_central_pain": "in an episode of centrally driven pain (latent state)",
    "opioid_use": "taking opioids (exposure above 0.05)",
    "opioid_misuse": "opioid dependence at the misuse level",
    "opioid_addiction": "opioid dependence at the addiction level",
    "mean_utility": "mean health utility today (for QALYs)",
    **{f"mean_{name}": f"mean {name.replace('_', ' ')} (0-1)" for name in SLOW_STATES},
}

PREVALENCES = (
    "chronic_pain",
    "high_impact_chronic_pain",
    "midus_back_pain",
    "depression",
    "insomnia",
    "clinical_insomnia",
)


def _share(flags: np.ndarray, among: np.ndarray | None = None) -> float:
    if among is None:
        return float(np.count_nonzero(flags)) / max(flags.size, 1)
    n = np.count_nonzero(among)
    return float(np.count_nonzero(flags & among)) / n if n else float("nan")


def statuses(model, at=ALL) -> dict[str, np.ndarray]:
    """Clinical statuses today, as boolean columns (everyone, or the people selected by `at`)."""
    st, state, day = model.status, model.state, model.day
    return {
        "chronic_pain": st.chronic_pain(at),
        "high_impact_chronic_pain": st.high_impact_chronic_pain(state, at),
        "midus_back_pain": st.midus_back_pain(at),
        "depression": st.mde_12m(day, at),
        "depression_current": st.mde_current(at),
        "insomnia": st.insomnia_disorder(at),
        "clinical_insomnia": st.clinical_insomnia(state, at),
        "in_care": state.in_care[at],
    }


def population_metrics(model) -> dict[str, float]:
    """Every metric of `METRICS` for the population today."""
    s = model.state
    flags = statuses(model)
    cp, dep, ins, bp = flags["chronic_pain"], flags["depression"], flags["insomnia"], flags["midus_back_pain"]
    out = {
        "mean_pain": float(s.pain.mean(dtype=np.float64)),
        "mean_phq9": float(s.mood.mean(dtype=np.float64)) * 27.0,
        "mean_isi": float(s.isi.mean(dtype=np.float64)),
        **{name: _share(flag) for name, flag in flags.items() if name != "in_care"},
        "pain_and_depression": _share(cp & dep),
        "pain_and_insomnia": _share(cp & ins),
        "depression_and_insomnia": _share(dep & ins),
        "all_three": _share(cp & dep & ins),
        "depression_given_chronic_pain": _share(dep, cp),
        "depression_given_no_chronic_pain": _share(dep, ~cp),
        "depression_given_back_pain": _share(dep, bp),
        "depression_given_no_back_pain": _share(dep, ~bp),
        "back_pain_given_depression": _share(bp, dep),
        "back_pain_given_no_depression": _share(bp, ~dep),
        "insomnia_given_chronic_pain": _share(ins, cp),
        "depression_given_high_impact_pain": _share(dep, flags["high_impact_chronic_pain"]),
        "depression_given_chronic_pain_in_care": _share(dep, cp & s.in_care),
        "clinical_insomnia_given_chronic_pain_in_care": _share(flags["clinical_insomnia"], cp & s.in_care),
        "in_care": _share(s.in_care),
        "in_episode": _share(s.in_episode),
        "in_central_pain": _share(s.in_central_pain),
        "opioid_use": _share(s.opioid_exposure > np.float32(0.05)),
        "opioid_misuse": _share(model.status.opioid_misuse(s)),
        "opioid_addiction": _share(model.status.opioid_addiction(s)),
        "mean_utility": float(utility(model.params.utility, s.pain, s.phq9, s.isi).mean(dtype=np.float64)),
    }
    for name in SLOW_STATES:
        out[f"mean_{name}"] = float(getattr(s, name).mean(dtype=np.float64))
    return {name: out[name] for name in METRICS}


PANEL_COLUMNS = ("age", "female", "pain", "sleep", "in_episode", "in_central_pain", "in_care", *SLOW_STATES)


def panel_rows(model, index: np.ndarray) -> dict[str, np.ndarray]:
    """Today's values for the panel members `index` (one row each), read only at those rows."""
    s = model.state
    rows: dict[str, np.ndarray] = {
        "day": np.full(index.size, model.day, np.int32),
        "person": index.astype(np.int32),
    }
    for name in PANEL_COLUMNS:
        rows[name] = getattr(s, name)[index]
    rows["phq9"] = s.mood[index] * np.float32(27.0)
    rows["isi"] = isi_reading(s.sleep_recent[index], s.isi_offset[index])
    rows["nociception"] = np.exp(s.log_nociception[index])
    flags = statuses(model, index)
    for name in ("chronic_pain", "depression", "insomnia"):
        rows[name] = flags[name]
    return rows


# Bins of the end-of-run distributions (left edges; the last bin is closed on the right).
DISTRIBUTION_BINS: dict[str, np.ndarray] = {
    "pain (NRS)": np.arange(0.0, 10.5, 0.5),
    "PHQ-9": np.arange(0.0, 28.0, 1.0),
    "ISI": np.arange(0.0, 29.0, 1.0),
}


def distributions(model) -> list[dict[str, float]]:
    """Shares of the population in each bin of pain, PHQ-9 and ISI today."""
    values = {"pain (NRS)": model.state.pain, "PHQ-9": model.state.phq9, "ISI": model.state.isi}
    rows = []
    for measure, edges in DISTRIBUTION_BINS.items():
        counts, _ = np.histogram(values[measure], bins=edges)
        shares = counts / max(model.state.size, 1)
        for left, right, share in zip(edges[:-1], edges[1:], shares, strict=True):
            rows.append({"measure": measure, "bin_left": float(left), "bin_right": float(right), "share": share})
    return rows
