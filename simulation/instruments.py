"""The clinical instruments the model reads out: their scales and cut-offs, written down once.

The model keeps depressive symptoms and poor sleep as 0-1 severities and pain on the NRS; a
reader, a chart or a status compares them with the published instruments. Naming each scale's
maximum and each clinical cut-off here means a conversion (`mood * PHQ9_MAX`) or a threshold
(`pain >= NRS_MODERATE`) says which instrument it speaks of, and a change of scale is one edit.

Examples:
    >>> PHQ9_MAX, ISI_MAX, NRS_MAX
    (27.0, 28.0, 10.0)
    >>> [cut.label for cut in INSTRUMENTS["PHQ-9"].cut_offs]
    ['moderate depression (10)']
"""

from __future__ import annotations

from dataclasses import dataclass

NRS_MAX = 10.0  # numeric rating scale of pain intensity, 0-10
PHQ9_MAX = 27.0  # PHQ-9 = 27 x mood severity (Kroenke et al. 2001: nine items scored 0-3)
ISI_MAX = 28.0  # ISI: seven items scored 0-4 (Morin et al. 2011)

NRS_MODERATE = 4.0  # the NRS bands: mild 1-3, moderate 4-6, severe 7-10
NRS_SEVERE = 7.0
PHQ9_CUT_OFF = 10.0  # PHQ-9 of 10 or more: moderate depression, major depression likely (Kroenke et al. 2001)
ISI_CUT_OFF = 15.0  # ISI of 15 or more: clinical insomnia (Morin et al. 2011)

# Lower edges of each instrument's severity bands above "none" (the health-utility bands).
NRS_BANDS = (1.0, NRS_MODERATE, NRS_SEVERE)  # mild, moderate, severe
PHQ9_BANDS = (5.0, PHQ9_CUT_OFF, 15.0, 20.0)  # mild, moderate, moderately severe, severe (Kroenke et al. 2001)
ISI_BANDS = (8.0, ISI_CUT_OFF, 22.0)  # subthreshold, moderate, severe (Morin et al. 2011)


@dataclass(frozen=True)
class CutOff:
    """A clinical threshold on an instrument's scale, as the distribution charts mark it."""

    value: float
    label: str


@dataclass(frozen=True)
class Instrument:
    """An instrument's scale as the end-of-run distributions bin it and the charts label it.

    `measure` is the name the distributions table uses (`distributions.csv` keys rows by it).
    """

    measure: str
    maximum: float
    bin_width: float
    axis_title: str
    cut_offs: tuple[CutOff, ...]


INSTRUMENTS: dict[str, Instrument] = {
    "pain (NRS)": Instrument(
        "pain (NRS)",
        NRS_MAX,
        0.5,
        "Pain today (NRS, 0-10)",
        (CutOff(NRS_MODERATE, "moderate pain (4)"), CutOff(NRS_SEVERE, "severe pain (7)")),
    ),
    "PHQ-9": Instrument(
        "PHQ-9", PHQ9_MAX, 1.0, "PHQ-9 score (0-27)", (CutOff(PHQ9_CUT_OFF, "moderate depression (10)"),)
    ),
    "ISI": Instrument("ISI", ISI_MAX, 1.0, "ISI score (0-28)", (CutOff(ISI_CUT_OFF, "clinical insomnia (15)"),)),
}
