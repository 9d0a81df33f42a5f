"""Costs of illness, perspectives, price years, discounting and the scenario `economics:` block."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from simulation import load_scenario
from simulation.cli import app
from simulation.declare import DeclarationError, param
from simulation.economics.costs import (
    CATEGORIES,
    CPI_U,
    PERSPECTIVES,
    CostParams,
    discounted_increments,
    discounted_person_years,
    inflate,
    replicate_costs,
)
from simulation.economics.settings import EconomicsSettings
from simulation.parameters import parameter_rows
from simulation.uncertainty import Uncertainty, uncertainty_of
from tests.conftest import SCENARIOS

runner = CliRunner()


def _series(days, **columns):
    base = {"chronic_pain": 0.0, "high_impact_chronic_pain": 0.0, "depression": 0.0, "insomnia": 0.0,
            "intervention_cost": 0.0}  # fmt: skip
    base.update(columns)
    return pd.DataFrame({"day": days, **{k: np.broadcast_to(v, len(days)) for k, v in base.items()}})


def test_discounting_matches_the_closed_form():
    days = np.arange(0, 3653, 1.0)  # ten years, daily
    # one unit a year for ten years, undiscounted: 10 (3652 days is 9.999 years)
    assert discounted_person_years(days, np.ones_like(days), 0.0) == pytest.approx(3652 / 365.25)
    # continuously discounted at 3%: (1 - 1.03^-T) / ln 1.03
    years = 3652 / 365.25
    expected = (1 - 1.03**-years) / math.log(1.03)
    assert discounted_person_years(days, np.ones_like(days), 0.03) == pytest.approx(expected, rel=1e-6)
    # weekly samples (as the series records them, with the last day) agree with the closed form
    weekly = np.append(days[::7], days[-1])
    assert discounted_person_years(weekly, np.ones_like(weekly), 0.03) == pytest.approx(expected, rel=1e-5)
    # 100 spent on day 0 and 100 on day 730.5 (two years later), each interval's spending at its midpoint
    spent = discounted_increments([0.0, 730.5], [100.0, 200.0], 0.05)
    assert spent == pytest.approx(100 + 100 * 1.05**-1)


def test_price_years_convert_with_the_cpi():
    assert inflate(100.0, 2019, 2019) == 100.0
    assert inflate(100.0, 2010, 2023) == pytest.approx(100 * 304.702 / 218.056)
    with pytest.raises(ValueError, match="no CPI-U for 1999"):
        inflate(1.0, 1999, 2020)
    assert inflate(100.0, 2010.5, 2010) == pytest.approx(100 * 218.056 / ((218.056 + 224.939) / 2))
    years = sorted(CPI_U)
    assert all(CPI_U[b] > CPI_U[a] for a, b in zip(years[:-1], years[1:], strict=True) if (a, b) != (2008, 2009))


def test_costs_of_illness_from_a_series_by_hand():
    costs = CostParams()
    days = np.arange(0, 366, 7.0)
    days[-1] = 365.25  # one year exactly
    series = _series(days, chronic_pain=0.2, high_impact_chronic_pain=0.05, depression=0.1, insomnia=0.1,
                     intervention_cost=np.linspace(0, 50, len(days)))  # fmt: skip
    out = replicate_costs(series, costs, price_year=2010, rate=0.0)
    # undiscounted, one year, 2010 prices: pain 0.2 x 4516 + 0.05 x 3210 = 903.2 + 160.5
    assert out["healthcare_pain"] == pytest.approx(0.2 * 4516 + 0.05 * 3210)
    # depression is in 2019 prices: 0.1 x 6429 x CPI(2010)/CPI(2019)
    assert out["healthcare_depression"] == pytest.approx(0.1 * 6429 * 218.056 / 255.657)
    assert out["absenteeism"] == pytest.approx(
        0.2 * 116 + 0.1 * 1939 * 218.056 / 255.657 + 0.1 * 238 * 218.056 / 215.303
    )
    assert out["intervention"] == pytest.approx(50 * 218.056 / 304.702)  # interventions are in 2023 prices
    assert set(out) == set(CATEGORIES)
    # nobody ill, nothing spent: nothing
    zero = replicate_costs(_series(days), costs, price_year=2023, rate=0.03)
    assert all(v == 0 for v in zero.values())
    with pytest.raises(ValueError, match="intervention_cost"):
        replicate_costs(_series(days).drop(columns="intervention_cost"), costs, 2023, 0.03)


def test_the_societal_perspective_counts_everything_the_payer_does_and_productivity():
    assert set(PERSPECTIVES["healthcare_payer"]) < set(PERSPECTIVES["societal"])
    assert not {"absenteeism", "presenteeism"} & set(PERSPECTIVES["healthcare_payer"])
    assert set(PERSPECTIVES["societal"]) == set(CATEGORIES)


def test_every_cost_declares_price_year_currency_source_and_uncertainty():
    rows = [r for r in parameter_rows() if r["name"].startswith("costs.") and "price_year" not in r["name"]]
    assert len(rows) == 10
    for name, info in CostParams.model_fields.items():
        if name == "intervention_price_year":
            continue
        extra = info.json_schema_extra
        assert str(extra["price_year"]) in extra["unit"] and "USD" in extra["unit"], name
        u = uncertainty_of(extra)
        assert u is not None and u.kind == "gamma" and u.low < info.default < u.high, name
        draws = u.draw(info.default, np.random.default_rng(1), 20_000)
        assert draws.mean() == pytest.approx(info.default, rel=0.01), name
        assert np.quantile(draws, 0.025) == pytest.approx(u.low, rel=0.05), name


def test_uncertainty_declarations_are_checked():
    with pytest.raises(ValueError, match="not one of"):
        Uncertainty("normal", 0.1, 0.2, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="within 0-1"):
        Uncertainty("beta", 0.5, 1.5, "x")
    with pytest.raises(ValueError, match="says where"):
        Uncertainty("gamma", 1.0, 2.0, " ")
    with pytest.raises(DeclarationError, match="outside its uncertainty interval"):
        param(5.0, lo=0, hi=10, unit="x", source="assumption", basis="assumption", doc="d",
              uncertainty=Uncertainty("gamma", 1.0, 2.0, "assumption"))  # fmt: skip
    with pytest.raises(DeclarationError, match="names its price year"):
        param(5.0, lo=0, hi=10, unit="USD", source="assumption", basis="assumption", doc="d", price_year=2020)
    beta = Uncertainty("beta", 0.05, 0.15, "assumption")
    a, b = beta.beta_parameters(0.1)
    assert a / (a + b) == pytest.approx(0.1)
    assert np.median(Uncertainty("lognormal", 0.5, 2.0, "assumption").draw(1.0, np.random.default_rng(0), 20_001)) == (
        pytest.approx(1.0, rel=0.03)
    )


def test_existing_scenarios_get_the_default_economics():
    s = load_scenario(SCENARIOS / "baseline.yaml")
    assert s.economics == EconomicsSettings()
    assert s.economics.discount_rate_costs == 0.03 and s.economics.discount_rate_effects == 0.03
    assert s.economics.perspective == "healthcare_payer" and s.economics.wtp_thresholds == [50_000, 100_000, 150_000]
    overrides = ["economics.perspective=societal", "economics.wtp_thresholds=[20000, 0]"]
    t = load_scenario(SCENARIOS / "baseline.yaml", overrides)
    assert t.economics.perspective == "societal" and t.economics.wtp_thresholds == [0, 20_000]


@pytest.mark.parametrize(
    ("block", "fragment"),
    [
        ({"discount_rate_costs": -0.01}, "field `economics.discount_rate_costs`"),
        ({"discount_rate_effects": 0.5}, "field `economics.discount_rate_effects`"),
        ({"perspective": "patient"}, "field `economics.perspective`"),
        ({"wtp_thresholds": ["fifty thousand"]}, "field `economics.wtp_thresholds.0`"),
        ({"wtp_thresholds": 50000}, "field `economics.wtp_thresholds`"),
        ({"wtp_thresholds": [-1]}, "field `economics.wtp_thresholds`"),
        ({"price_year": 1990}, "field `economics.price_year`"),
        ({"discount": 0.03}, "field `economics.discount` is not a known field"),
    ],
)
def test_bad_economics_input_names_file_and_field_and_exits_2(tmp_path, block, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"name": "bad", "economics": block}))
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "bad.yaml" in result.output and fragment in result.output, result.output
    assert "Traceback" not in result.output
    assert list(out.iterdir()) == []


SMALL = ["population=600", "days=90", "replicates=5", "burn_in_days=30", "settle_days=20"]


@pytest.fixture(scope="module")
def comparison():
    from simulation.compare import compare_scenarios

    names = ("baseline", "cbt", "exercise")
    extra = ["interventions.0.coverage=1.0"]
    scenarios = [load_scenario(SCENARIOS / f"{n}.yaml", SMALL + (extra if n != "baseline" else [])) for n in names]
    return compare_scenarios(scenarios, jobs=1)


def test_a_comparison_writes_the_cost_effectiveness_files(comparison, tmp_path):
    from simulation.compare import write_comparison

    folder = write_comparison(comparison, tmp_path, charts=True)
    table = pd.read_csv(folder / "cost_effectiveness.csv")
    assert set(table["perspective"]) == {"healthcare_payer", "societal"}
    for _, part in table.groupby("perspective"):
        assert sorted(part["strategy"]) == ["baseline", "cbt", "exercise"]
        assert part["cost_per_person"].is_monotonic_increasing
        assert (part["status"] == "non-dominated").any()
        frontier = part[part["status"] == "non-dominated"]
        assert frontier["icer"].iloc[1:].notna().all() and np.isnan(frontier["icer"].iloc[0])
    assert table[table["primary"]]["perspective"].unique().tolist() == ["healthcare_payer"]
    costs = pd.read_csv(folder / "costs_and_qalys.csv").pivot(index="strategy", columns="measure", values="mean")
    # the societal perspective adds productivity losses to what the payer counts
    assert (costs["cost_societal"] > costs["cost_healthcare_payer"]).all()
    assert costs["cost_societal"].to_numpy() == pytest.approx(
        costs[[f"cost_{c}" for c in CATEGORIES]].sum(axis=1).to_numpy()
    )
    assert costs.loc["baseline", "cost_intervention"] == 0 and costs.loc["cbt", "cost_intervention"] > 0
    assert (costs["qalys"] < costs["qalys_undiscounted"]).all()  # discounted at 3%
    nmb = pd.read_csv(folder / "net_monetary_benefit.csv")
    assert len(nmb) == 2 * 3 * 3 and nmb.groupby(["perspective", "wtp_per_qaly"])["best"].sum().eq(1).all()
    report = (folder / "report.md").read_text()
    for words in ("Perspective: **healthcare_payer**", "Discounting: costs 3.0%", "2023 prices",
                  "Incremental analysis: societal perspective", "Gaskin & Richard 2012"):  # fmt: skip
        assert words in report, words
    for name in ("ce_plane_healthcare_payer", "ce_plane_societal", "cost_breakdown"):
        assert (folder / "charts" / f"{name}.png").stat().st_size > 5000, name
    manifest = __import__("json").loads((folder / "manifest.json").read_text())
    assert "report.md" in manifest["files"] and "cost_effectiveness.csv" in manifest["files"]


def test_intervention_costs_match_the_treatment_report_when_undiscounted(comparison):
    from simulation.economics.evaluate import replicate_economics

    settings = EconomicsSettings(discount_rate_costs=0.0, price_year=2023)
    per_rep = replicate_economics(comparison.runs, settings).set_index(["strategy", "replicate"])
    for run in comparison.runs:
        for rep in run.replicates:
            spent = float(rep.treatments["cost"].sum()) / run.scenario.population if not rep.treatments.empty else 0.0
            assert per_rep.loc[(run.scenario.name, rep.replicate), "cost_intervention"] == pytest.approx(spent)
    # a later price year makes every cost larger by the CPI ratio
    later = replicate_economics(comparison.runs, EconomicsSettings(discount_rate_costs=0.0, price_year=2024))
    ratio = later["cost_healthcare_pain"].to_numpy() / per_rep["cost_healthcare_pain"].to_numpy()
    assert ratio == pytest.approx(np.full(ratio.shape, CPI_U[2024] / CPI_U[2023]))


def test_the_reference_economics_block_applies_to_every_strategy(comparison):
    from simulation.compare import align

    a = load_scenario(SCENARIOS / "baseline.yaml", [*SMALL, "economics.perspective=societal"])
    b = load_scenario(SCENARIOS / "cbt.yaml", SMALL)
    aligned, notes = align([a, b], 0)
    assert aligned[1].economics.perspective == "societal"
    assert any("economics" in note for note in notes)


def test_utility_decrements_and_costs_can_be_drawn_and_the_rest_stays_fixed():
    rows = parameter_rows(interventions=False)
    uncertain = {r["name"] for r in rows if r["uncertainty"] != "fixed"}
    decrements = {r["name"] for r in rows if r["name"].startswith("utility.") and r["name"] != "utility.full_health"}
    assert decrements <= uncertain and "utility.full_health" not in uncertain
    assert {r["name"] for r in rows if r["name"].startswith("costs.") and "price_year" not in r["name"]} <= uncertain
    for r in rows:
        if r["name"] in decrements:
            assert r["uncertainty"].startswith("beta"), r["name"]


def test_a_failure_while_writing_the_economics_leaves_no_folder(comparison, tmp_path, monkeypatch):
    import simulation.economics.report as report
    from simulation.compare import write_comparison

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(report, "write_economics", broken)
    with pytest.raises(OSError, match="disk full"):
        write_comparison(comparison, tmp_path, charts=False)
    assert list(tmp_path.iterdir()) == []
