"""The pain-depression association read two ways, and what MIDUS's screening interview changes.

Run from the repository root (about a minute and a half on 2 cores):

    python calibration/association_tension.py > calibration/association_tension.md

The fitted targets ask for two things the model's structure ties together:

- a *weak* cross-sectional association between MIDUS back pain and 12-month depression (seed 001:
  prevalence ratios of about 1.66 either way), and 10.5% depression among people without back pain;
- a *strong* longitudinal one: depression doubles to quadruples the risk of developing chronic pain
  (seed 003), and Currie & Wang 2004 put depression at 5.9% among people without chronic back pain.

Read with the diagnosis itself (variant A: a perfect screen), the two exclude each other: the
people without MIDUS back pain and the people without chronic pain are nearly the same, and they
cannot be depressed at both 8% or more and 7.5% or less. MIDUS, however, asked its depression
questions through the CIDI short form, a screen that finds 77-100% of cases and raises 1-6% false
alarms among non-cases (Kessler et al. 1998), so its depression is more common than the diagnosis
(Patten 1997): 12% in MIDUS's own figures. Read that way (the shipped model, with the screen's
accuracy calibrated inside Kessler's ranges), MIDUS's conditionals and the risk ratios no longer
exclude each other.

The other rows cut or move the paths by which depression makes pain, to show which of them carry
the longitudinal association and which the cross-sectional one: the amplification of today's pain
by today's mood (B), central pain started during an episode (C), central pain started after one,
through the scar an episode leaves when it remits (D), both (E), how long central pain lasts (F),
and the strength of the during-episode and after-episode paths (G, H). The first row is the
calibration's fit (`calibration/fitted.yaml`); every other row starts from the shipped defaults,
which are that fit (rounded to four figures by `painsim apply-fit`) with two values set by hand
(README, Calibration and validation).
The values are experiments, not fits: nothing here changes the shipped defaults.
"""

from __future__ import annotations

from collections.abc import Callable

from simulation.calibration import with_parameters
from simulation.fits import read_fit
from simulation.scenario import load_scenario
from simulation.validation import load_targets, measure, validation_table

FIT = "calibration/fitted.yaml"
POPULATION = 20_000
REPLICATES = 2
Shipped = Callable[[str], float]  # a parameter's shipped default, by its dotted name

VARIANTS: dict[str, tuple[str, dict[str, float] | Callable[[Shipped], dict[str, float]]]] = {
    "fit": ("calibration/fitted.yaml, the last CMA-ES fit", {}),
    "shipped": ("the shipped defaults: the fit with two values set by hand", {}),
    "A": ("MIDUS read as the diagnosis (a perfect screen)",
          {"status.cidi_sf_sensitivity": 1.0, "status.cidi_sf_specificity": 1.0}),
    "B": ("no amplification of today's pain by today's mood (the concurrent path cut)",
          {"pain.from_mood": 0.0, "pain.muscle_tone_from_mood": 0.0}),
    "C": ("no new pain during a depressive episode (central.from_depression 0)",
          {"central.from_depression": 0.0}),
    "D": ("no new pain after one: the scar drives depression's recurrence only (central.from_scar 0)",
          {"central.from_scar": 0.0}),
    "E": ("neither: depression starts no new pain, during or after an episode",
          {"central.from_depression": 0.0, "central.from_scar": 0.0}),
    "F": ("central pain episodes as short as the previous structure's fit (remission 0.68 a year; onset raised "
          "in proportion, so as many people are in one)",
          lambda shipped: {"central.remission_rate_per_year": 0.6823,
                           "central.onset_rate_per_year": shipped("central.onset_rate_per_year") * 0.6823
                           / shipped("central.remission_rate_per_year")}),
    "G": ("depression -> central pain onset at the top of its range, during the episode only",
          {"central.from_depression": 4.0}),
    "H": ("a scar step twice as deep",
          lambda shipped: {"mechanisms.scar_per_episode": min(2 * shipped("mechanisms.scar_per_episode"), 1.0)}),
}  # fmt: skip

COLUMNS = {
    "depression_with_back_pain": "dep. with back pain",
    "depression_without_back_pain": "dep. without back pain",
    "back_pain_with_depression": "back pain with dep.",
    "back_pain_without_depression": "back pain without dep.",
    "chronic_pain": "chronic pain",
    "depression_with_chronic_pain": "dep. with chronic pain",
    "depression_without_chronic_pain": "dep. without chronic pain",
    "rr_new_chronic_pain_given_depression": "RR of new chronic pain given dep.",
    "or_depression_t2_given_back_pain_t1": "OR of dep. at t2 given back pain at t1",
}


def main() -> None:
    """Run every variant and print the markdown report on stdout."""
    targets = load_targets()
    base = load_scenario("scenarios/baseline.yaml").model_copy(
        update={"population": POPULATION, "replicates": REPLICATES}
    )

    def shipped(path: str) -> float:
        group, _, name = path.partition(".")
        return getattr(getattr(base.parameters, group), name)

    bands = {t.name: t.band for t in targets.targets}
    print(__doc__.split("Run from")[0].strip().replace('"""', ""))
    print(f"\n{POPULATION:,} people, {REPLICATES} replicates, seed {base.seed}; targets' bands in the header.\n")
    labelled = [f"{label} [{bands[key][0]}-{bands[key][1]}]" for key, label in COLUMNS.items()]
    head = ["variant", "fitted means in band", *labelled]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, (what, values) in VARIANTS.items():
        values = read_fit(FIT) if name == "fit" else values(shipped) if callable(values) else values
        table = validation_table(targets, measure(with_parameters(base, values), targets, jobs=2)).set_index("name")
        fitted = table[table["role"] == "fit"]
        inside = fitted["simulated"].between(fitted["band_low"], fitted["band_high"])
        cells = [f"{name}: {what}", f"{int(inside.sum())} of {len(fitted)}"]
        for key in COLUMNS:
            low, high = bands[key]
            mark = "" if low <= table.loc[key, "simulated"] <= high else " ✗"
            cells.append(f"{table.loc[key, 'simulated']:.3g}{mark}")
        print("| " + " | ".join(cells) + " |")
    print(
        "\n✗: the mean across replicates is outside the band. Two replicates are too few for the interval "
        "verdict (`painsim validate` needs 5), so this table reads means only. "
        "Overrides of each variant: see `VARIANTS` in the script."
    )


if __name__ == "__main__":
    main()
