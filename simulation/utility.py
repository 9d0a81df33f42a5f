"""Health utility (for QALYs) from pain, depressive symptoms and insomnia, band by band.

Utility = full_health - decrement(pain NRS band) - decrement(PHQ-9 band) - decrement(ISI band),
kept at or above -0.2. The bands are the instruments' own (NRS mild 1-3, moderate 4-6, severe
7-10; PHQ-9 5/10/15/20, Kroenke et al. 2001; ISI 8/15/22, Morin et al. 2011). The decrements are
assumptions of the size EQ-5D studies report for these bands; they are parameters, so a health
economist can put in their own tariff.
"""

from __future__ import annotations

import numpy as np

from simulation.declare import ParamGroup, param
from simulation.instruments import ISI_BANDS, NRS_BANDS, PHQ9_BANDS
from simulation.uncertainty import Uncertainty

_SRC_PAIN = "assumption of the size EQ-5D studies report by pain severity (e.g. Langley et al. 2011)"
_SRC_PHQ = "assumption of the size EQ-5D studies report by PHQ-9 band (bands: Kroenke et al. 2001)"
_SRC_ISI = "assumption of the size EQ-5D studies report by ISI band (bands: Morin et al. 2011)"


def _spread(value: float) -> Uncertainty:
    """A decrement's uncertainty for a PSA: beta, 95% interval half to one and a half times the value
    (an assumption: the decrements are themselves assumptions, not estimates with intervals)."""
    return Uncertainty("beta", low=round(value * 0.5, 4), high=round(value * 1.5, 4), basis="assumption (+-50%)")


class UtilityParams(ParamGroup):
    """Health utility decrements of each pain, PHQ-9 and ISI band (a tariff a user can replace)."""

    full_health: float = param(
        1.0,
        lo=0.5,
        hi=1.0,
        unit="utility",
        basis="assumption",
        source="assumption (no decrement from the cycle)",
        doc="Utility of a person with none of the three conditions.",
    )
    pain_mild: float = param(
        0.03,
        lo=0.0,
        hi=0.5,
        unit="utility",
        source=_SRC_PAIN,
        doc="Decrement, NRS 1-3.",
        basis="assumption",
        uncertainty=_spread(0.03),
    )
    pain_moderate: float = param(
        0.10,
        lo=0.0,
        hi=0.6,
        unit="utility",
        source=_SRC_PAIN,
        doc="Decrement, NRS 4-6.",
        basis="assumption",
        uncertainty=_spread(0.10),
    )
    pain_severe: float = param(
        0.22,
        lo=0.0,
        hi=0.8,
        unit="utility",
        source=_SRC_PAIN,
        doc="Decrement, NRS 7-10.",
        basis="assumption",
        uncertainty=_spread(0.22),
    )
    phq9_mild: float = param(
        0.04,
        lo=0.0,
        hi=0.5,
        unit="utility",
        source=_SRC_PHQ,
        doc="Decrement, PHQ-9 5-9.",
        basis="assumption",
        uncertainty=_spread(0.04),
    )
    phq9_moderate: float = param(
        0.10,
        lo=0.0,
        hi=0.6,
        unit="utility",
        source=_SRC_PHQ,
        doc="Decrement, PHQ-9 10-14.",
        basis="assumption",
        uncertainty=_spread(0.10),
    )
    phq9_moderately_severe: float = param(
        0.17,
        lo=0.0,
        hi=0.7,
        unit="utility",
        source=_SRC_PHQ,
        doc="Decrement, PHQ-9 15-19.",
        basis="assumption",
        uncertainty=_spread(0.17),
    )
    phq9_severe: float = param(
        0.25,
        lo=0.0,
        hi=0.8,
        unit="utility",
        source=_SRC_PHQ,
        doc="Decrement, PHQ-9 20-27.",
        basis="assumption",
        uncertainty=_spread(0.25),
    )
    isi_subthreshold: float = param(
        0.02,
        lo=0.0,
        hi=0.3,
        unit="utility",
        source=_SRC_ISI,
        doc="Decrement, ISI 8-14.",
        basis="assumption",
        uncertainty=_spread(0.02),
    )
    isi_moderate: float = param(
        0.06,
        lo=0.0,
        hi=0.5,
        unit="utility",
        source=_SRC_ISI,
        doc="Decrement, ISI 15-21.",
        basis="assumption",
        uncertainty=_spread(0.06),
    )
    isi_severe: float = param(
        0.10,
        lo=0.0,
        hi=0.6,
        unit="utility",
        source=_SRC_ISI,
        doc="Decrement, ISI 22-28.",
        basis="assumption",
        uncertainty=_spread(0.10),
    )


def band_of(values: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
    """Each value's band: 0 below the first edge, 1 from the first edge to below the second, ..."""
    return np.searchsorted(np.array(edges, np.float32), values, side="right")


def _banded(values: np.ndarray, edges: tuple[float, ...], decrements: tuple[float, ...]) -> np.ndarray:
    # band 0 (below the first edge) has no decrement
    table = np.array((0.0, *decrements), np.float32)
    return table[band_of(values, edges)]


def utility(p: UtilityParams, pain: np.ndarray, phq9: np.ndarray, isi: np.ndarray) -> np.ndarray:
    """Each person's health utility today."""
    u = np.full(pain.shape, p.full_health, np.float32)
    u -= _banded(pain, NRS_BANDS, (p.pain_mild, p.pain_moderate, p.pain_severe))
    u -= _banded(phq9, PHQ9_BANDS, (p.phq9_mild, p.phq9_moderate, p.phq9_moderately_severe, p.phq9_severe))
    u -= _banded(isi, ISI_BANDS, (p.isi_subthreshold, p.isi_moderate, p.isi_severe))
    return np.maximum(u, np.float32(-0.2))
