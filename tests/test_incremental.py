"""The incremental analysis against hand-worked textbook cases, and its properties.

Every number below was worked out by hand (the arithmetic is in the comments), not by the code.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.economics.incremental import (
    DOMINATED,
    EXTENDED,
    NON_DOMINATED,
    best_at,
    fieller_interval,
    incremental_analysis,
    net_monetary_benefit,
    paired_interval,
)


def _by_name(table):
    return table.set_index("strategy")


def test_textbook_case_with_dominance_and_extended_dominance():
    # cost (USD), effect (QALYs), listed out of cost order on purpose
    names = ["F", "C", "A", "E", "B", "D"]
    costs = [50_000, 15_000, 0, 30_000, 10_000, 22_000]
    effects = [1.0, 0.3, 0.0, 0.9, 0.4, 0.6]
    t = incremental_analysis(names, costs, effects)
    assert list(t["strategy"]) == ["A", "B", "C", "D", "E", "F"]  # sorted by cost
    s = _by_name(t)
    # C costs more than B (15,000 > 10,000) and yields less (0.3 < 0.4): dominated by B
    assert s.loc["C", "status"] == DOMINATED and s.loc["C", "dominated_by"] == "B"
    # among A, B, D, E, F: ICERs 25,000 (A->B), 60,000 (B->D), 26,667 (D->E), 200,000 (E->F);
    # 60,000 > 26,667, so D is extendedly dominated by a mix of B and E
    assert s.loc["D", "status"] == EXTENDED and s.loc["D", "dominated_by"] == "B + E"
    # frontier A, B, E, F: B vs A 10,000/0.4 = 25,000; E vs B 20,000/0.5 = 40,000; F vs E 20,000/0.1 = 200,000
    assert [n for n in t["strategy"] if s.loc[n, "status"] == NON_DOMINATED] == ["A", "B", "E", "F"]
    assert math.isnan(s.loc["A", "icer"]) and s.loc["A", "comparator"] == ""
    assert s.loc["B", "comparator"] == "A" and s.loc["B", "icer"] == pytest.approx(25_000)
    assert s.loc["E", "comparator"] == "B" and s.loc["E", "icer"] == pytest.approx(40_000)
    assert s.loc["E", "incremental_cost"] == pytest.approx(20_000)
    assert s.loc["E", "incremental_effect"] == pytest.approx(0.5)
    assert s.loc["F", "comparator"] == "E" and s.loc["F", "icer"] == pytest.approx(200_000)
    for name in ("C", "D"):
        assert math.isnan(s.loc[name, "icer"]) and s.loc[name, "comparator"] == ""
    # NMB at 50,000/QALY: A 0, B 10,000, C 0, D 8,000, E 15,000, F 0 -> E (ICER 40,000 <= 50,000 < 200,000)
    assert best_at(names, costs, effects, 50_000) == "E"
    assert net_monetary_benefit(30_000, 0.9, 50_000) == pytest.approx(15_000)
    # at 20,000/QALY nothing beats doing nothing: A (B's ICER is 25,000)
    assert best_at(names, costs, effects, 20_000) == "A"


def test_extended_dominance_cascades():
    # A (0, 0), B (10,000, 0.1), C (12,000, 0.3), D (20,000, 0.4), E (21,000, 0.6), F (21,000, 0.5), G = A
    names = ["A", "B", "C", "D", "E", "F", "G"]
    costs = [0, 10_000, 12_000, 20_000, 21_000, 21_000, 0]
    effects = [0.0, 0.1, 0.3, 0.4, 0.6, 0.5, 0.0]
    s = _by_name(incremental_analysis(names, costs, effects))
    # F costs the same as E and yields less; G is identical to A and listed later
    assert s.loc["F", "status"] == DOMINATED and s.loc["F", "dominated_by"] == "E"
    assert s.loc["G", "status"] == DOMINATED and s.loc["G", "dominated_by"] == "A"
    # ICERs A->B 100,000 > B->C 10,000: B out (A + C). Then A->C 40,000, C->D 80,000, D->E 5,000: D out (C + E).
    # Then A->C 40,000 > C->E 9,000/0.3 = 30,000: C out (A + E). Left: A, E with 21,000/0.6 = 35,000.
    assert s.loc["B", "status"] == EXTENDED and s.loc["B", "dominated_by"] == "A + C"
    assert s.loc["D", "status"] == EXTENDED and s.loc["D", "dominated_by"] == "C + E"
    assert s.loc["C", "status"] == EXTENDED and s.loc["C", "dominated_by"] == "A + E"
    assert s.loc["E", "status"] == NON_DOMINATED and s.loc["E", "icer"] == pytest.approx(35_000)


def test_a_cost_saving_strategy_dominates_the_status_quo():
    # H saves 5,000 and gains 0.05 QALYs: it dominates doing nothing; I is the next step up
    s = _by_name(incremental_analysis(["none", "H", "I"], [0, -5_000, 5_000], [0.0, 0.05, 0.15]))
    assert s.loc["none", "status"] == DOMINATED and s.loc["none", "dominated_by"] == "H"
    assert s.loc["H", "status"] == NON_DOMINATED and math.isnan(s.loc["H", "icer"])
    assert s.loc["I", "icer"] == pytest.approx(10_000 / 0.1)  # 100,000


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="same length"):
        incremental_analysis(["a", "b"], [1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="distinct"):
        incremental_analysis(["a", "a"], [1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        incremental_analysis(["a", "b"], [1.0, float("nan")], [1.0, 2.0])


values = st.floats(min_value=-1e5, max_value=1e5, allow_nan=False, allow_infinity=False)
effects_ = st.floats(min_value=0.0, max_value=20.0, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(values, effects_), min_size=1, max_size=9), st.floats(min_value=0, max_value=1e6))
def test_the_frontier_is_convex_and_holds_the_best_strategy_at_any_threshold(points, wtp):
    names = [f"s{i}" for i in range(len(points))]
    costs = [p[0] for p in points]
    effects = [p[1] for p in points]
    t = incremental_analysis(names, costs, effects)
    front = t[t["status"] == NON_DOMINATED]
    icers = front["icer"].to_numpy()[1:]
    assert np.all(np.diff(icers) >= 0), "ICERs rise along the frontier"
    assert np.all(np.diff(front["cost"].to_numpy()) > 0) and np.all(np.diff(front["effect"].to_numpy()) > 0)
    nmb = net_monetary_benefit(costs, effects, wtp)
    # the best NMB is attained on the frontier (ties with a set-aside strategy are possible)
    assert nmb.max() == pytest.approx(net_monetary_benefit(front["cost"], front["effect"], wtp).max(), abs=1e-6)


def test_paired_and_fieller_intervals():
    d = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    mean, low, high = paired_interval(d)
    # mean 3, SD 1.5811, t(0.975, 4) = 2.7764: half-width 2.7764 x 1.5811 / sqrt(5) = 1.9632
    assert mean == 3.0 and low == pytest.approx(3 - 1.96324, abs=1e-4) and high == pytest.approx(3 + 1.96324, abs=1e-4)
    assert math.isnan(paired_interval(d[:4])[1])  # fewer than 5 replicates: no interval
    # costs exactly 10,000 x QALYs in every replicate: the ICER is 10,000 with no uncertainty in the ratio
    de = np.array([0.1, 0.12, 0.09, 0.11, 0.1])
    low, high = fieller_interval(10_000 * de, de)
    assert low == pytest.approx(10_000) and high == pytest.approx(10_000)
    # an incremental effect indistinguishable from zero gives an unbounded interval: NaN
    assert all(math.isnan(x) for x in fieller_interval([1.0, 2, 3, 4, 5], [0.1, -0.1, 0.05, -0.05, 0.0]))
