"""The dashboard as a person uses it, through Solara's test utilities (as mesa tests SolaraViz):
press Step, move a coupling, switch an intervention on, save the scenario and run it."""

from __future__ import annotations

import numpy as np
import pytest

solara = pytest.importorskip("solara")
v = pytest.importorskip("ipyvuetify")

from simulation import PainCycleModel, Scenario, load_scenario  # noqa: E402
from simulation.dashboard import CHARTS, Dashboard  # noqa: E402
from simulation.exploration import Exploration, main_couplings  # noqa: E402

SMALL = Scenario(population=300, settle_days=0, burn_in_days=20, years=1, seed=1)


def _texts(rc) -> list[str]:
    return [str(w.children) for w in rc.find(v.Html).widgets]


def _charts(rc):
    import solara.widgets

    return [w.spec for w in rc.find(solara.widgets.VegaLite).widgets]


def test_step_slider_switch_and_save_change_what_is_shown(tmp_path):
    box, rc = solara.render(Dashboard(SMALL, out_dir=tmp_path), handle_error=False)
    assert any("Day 0 of 365" in t for t in _texts(rc))
    assert len(_charts(rc)) == len(CHARTS)
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert any("Day 7 of 365" in t for t in _texts(rc))
    before = _charts(rc)[0]

    # the first coupling slider: poor sleep -> pain, cut to 0 from today
    first = main_couplings()[0]
    sliders = [s for s in rc.find(v.Slider).widgets if s.v_model == pytest.approx(first.default)]
    sliders[0].v_model = 0.0
    assert any(f"{first.label}: 0 (" in t for t in _texts(rc))
    # switch CBT on: its coverage and start-day sliders appear
    count = len(rc.find(v.Slider).widgets)
    rc.find(v.Switch, label="cbt").widget.v_model = True
    assert len(rc.find(v.Slider).widgets) == count + 2
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert _charts(rc)[0] != before

    rc.find(v.Btn, children=["Save scenario"]).widget.click()
    saved = load_scenario(tmp_path / "baseline_explored.yaml")
    assert saved.parameters.pain.from_poor_sleep == 0.0 and [i.type for i in saved.interventions] == ["cbt"]
    assert "wrote" in str(rc.find(v.Alert).widget.children)


def test_run_to_end_and_replay():
    box, rc = solara.render(Dashboard(SMALL.model_copy(update={"years": 0.1})), handle_error=False)
    rc.find(v.Btn, children=["Run to end"]).widget.click()
    assert any("Day 37 of 37" in t for t in _texts(rc))
    assert rc.find(v.Btn, children=["Step"]).widget.disabled
    rc.find(v.Btn, children=["Replay from day 0"]).widget.click()
    assert any("Day 0 of 37" in t for t in _texts(rc))


def test_an_exploration_replays_as_the_scenario_it_saves():
    x = Exploration(SMALL)
    x.set_coupling("sleep.from_pain", 0.5)
    x.set_intervention("cbt", True, coverage=0.5, start_day=0)
    x.reset()  # from day 0 with the settings: what the saved file runs
    direct = PainCycleModel(load_scenario_text(x.scenario_yaml()), agent_views=False)
    for _ in range(20):
        x.step()
        direct.step()
    assert np.array_equal(x.explored.state.pain, direct.state.pain)
    assert [p.spec.type for p in x.explored.programmes] == [i.type for i in direct.spec.interventions] == ["cbt"]


def test_reference_and_explored_share_random_numbers_until_something_changes():
    x = Exploration(SMALL)
    for _ in range(10):
        x.step()
    assert np.array_equal(x.reference.state.pain, x.explored.state.pain)
    x.set_coupling("pain.from_poor_sleep", 0.0)
    for _ in range(10):
        x.step()
    assert x.explored.state.pain.mean() < x.reference.state.pain.mean()
    assert (x.differences().query("outcome == 'chronic_pain'")["points"].iloc[:11] == 0).all()


def test_couplings_carry_their_declared_bounds_unit_and_source():
    for c in main_couplings():
        assert c.lower <= c.default <= c.upper and c.unit and c.source
        assert c.source in c.hover and c.unit in c.hover


def load_scenario_text(text: str) -> Scenario:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.yaml"
        path.write_text(text)
        return load_scenario(path)


def test_the_causal_graph_view_thins_an_arrow_the_user_cuts():
    from simulation.dashboard import causal_graph_chart

    x = Exploration(SMALL)
    first = main_couplings()[0]

    def width(chart) -> float:
        segments = chart.layer[0].data
        return float(segments.loc[segments["parameter"] == first.parameter, "width"].iloc[0])

    before = width(causal_graph_chart(x))
    x.set_coupling(first.parameter, 0.0)
    assert width(causal_graph_chart(x)) < before
