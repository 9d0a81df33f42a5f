"""Charts fit for a paper: offline HTML, SVG and PNG; the reference grey; no empty panels."""

from __future__ import annotations

import pandas as pd

from simulation.charts import REFERENCE_GREY, context, prevalence_bars_chart, save_chart, scenario_colours


def _table() -> pd.DataFrame:
    rows = []
    for scenario in ("baseline", "cbt"):
        for outcome, label, level in (("chronic_pain", "Chronic pain", 0.2), ("opioid_misuse", "Opioid misuse", 0.0)):
            rows.append({"scenario": scenario, "outcome": outcome, "label": label, "kind": "prevalence",
                         "level": level, "level_low": level * 0.9, "level_high": level * 1.1})  # fmt: skip
    return pd.DataFrame(rows)


def test_reference_is_grey_and_other_colours_are_stable():
    scale = scenario_colours(["cbt", "baseline", "ssri"], reference="baseline").to_dict()
    assert scale["range"][1] == REFERENCE_GREY and len(set(scale["range"])) == 3


def test_outcome_no_scenario_has_gets_no_panel_and_files_work_offline(tmp_path):
    chart = prevalence_bars_chart(_table(), "baseline")
    assert "Opioid misuse" not in str(chart.to_dict()["datasets"])
    written = save_chart(chart, tmp_path / "bars")
    assert [p.suffix for p in written] == [".html", ".svg", ".png"]
    html = (tmp_path / "bars.html").read_text()
    assert "<script src" not in html and "vega" in html  # Vega inlined: opens without a network
    assert (tmp_path / "bars.png").read_bytes()[:4] == b"\x89PNG"


def test_subtitle_names_population_years_replicates_and_interval():
    assert context(20_000, 10.0, 5) == ("20,000 simulated adults, 10 years, 5 replicates; band: 95% t-interval "
                                        "across replicates (logit scale for shares)")  # fmt: skip
    assert "fewer than 5 replicates" in context(20_000, 1.0, 4)


def test_time_axis_ends_where_the_run_ends():
    """A 3-year run's axis runs 0-3 years, not on to Vega's "nice" 3.5 (the gallery showed the gap)."""
    from simulation.charts import DAYS_PER_YEAR, prevalence_chart

    days = [0, 365, 730, round(3 * DAYS_PER_YEAR)]
    series = pd.DataFrame([{"replicate": r, "day": d, "chronic_pain": 0.2} for r in range(2) for d in days])
    x = prevalence_chart(series, ["chronic_pain"]).to_dict()["layer"][0]["encoding"]["x"]
    assert x["scale"]["nice"] is False
    assert x["scale"]["domain"] == [0.0, days[-1] / DAYS_PER_YEAR]
