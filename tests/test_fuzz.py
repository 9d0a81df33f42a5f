"""Fuzzing the command's contract (issue 9): hypothesis writes scenario documents, valid and
broken (wrong types, out-of-range values, unknown keys, odd YAML), and command lines, and runs
`painsim run` in process. Whatever it writes, the run exits 0 with one complete results folder,
or exits 2 with a message naming the file; never a traceback, never a stray file. Tiny runs and a
bounded number of examples keep it under a minute."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from simulation.cli import app

runner = CliRunner()

# Values that must be refused wherever a number, a flag or a name is meant; valid numbers stay small
# so that an accepted run stays tiny.
HOSTILE = st.one_of(
    st.sampled_from(["500", "7", "0.3", "yes", "", "nan", ".inf", "1e3", "!!binary AA=="]),
    st.sampled_from([True, False, None, [], {}, [1, 2], {"a": 1}, math.nan, math.inf, -math.inf, 10**30, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-5, max_value=400),
    st.text(max_size=12),
)
SMALL_INT = st.integers(min_value=-2, max_value=300)


def base_documents():
    return st.fixed_dictionaries(
        {
            "name": st.sampled_from(["fuzz", "a-b.c_d"]),
            "population": st.integers(min_value=10, max_value=300),
            "days": st.integers(min_value=1, max_value=6),
            "burn_in_days": st.integers(min_value=0, max_value=3),
            "settle_days": st.integers(min_value=0, max_value=3),
            "replicates": st.just(1),
            "seed": st.integers(min_value=0, max_value=2**40),
            "outputs": st.fixed_dictionaries(
                {"charts": st.just(False), "record_every_days": st.integers(1, 3), "panel_size": st.integers(0, 3)}
            ),
        },
        optional={
            "parameters": st.fixed_dictionaries({"pain": st.fixed_dictionaries({"from_poor_sleep": st.floats(0, 2)})}),
            "interventions": st.lists(
                st.fixed_dictionaries(
                    {"type": st.sampled_from(["cbt", "exercise", "snri", "opioids"])},
                    optional={"coverage": st.floats(0, 1), "start_day": st.integers(0, 3)},
                ),
                max_size=1,
            ),
        },
    )


FIELDS = [
    ("population",),
    ("days",),
    ("years",),
    ("seed",),
    ("replicates",),
    ("name",),
    ("burn_in_days",),
    ("outputs", "charts"),
    ("outputs", "panel_size"),
    ("parameters", "pain", "from_poor_sleep"),
    ("parameters", "status", "midus_min_days"),
    ("interventions",),
    ("extends",),
    ("no_such_field",),
]


@st.composite
def documents(draw) -> str:
    """A scenario file's text: a small valid document, perhaps broken, perhaps written oddly."""
    doc = draw(base_documents())
    for path in draw(st.lists(st.sampled_from(FIELDS), max_size=3)):
        node = doc
        for key in path[:-1]:
            node = node.setdefault(key, {}) if isinstance(node.get(key, {}), dict) else {}
        value = draw(HOSTILE if path != ("extends",) else st.sampled_from(["x.yaml", "/dev/zero", "s.yaml", 3]))
        if path == ("years",) and isinstance(value, int | float) and not isinstance(value, bool) and value > 0.02:
            value = 0.01  # keep accepted runs short: at most 4 days
        node[path[-1]] = value
    if doc.get("population") is not None and isinstance(doc["population"], int) and doc["population"] > 400:
        doc["population"] = 400
    text = yaml.safe_dump(doc, default_flow_style=draw(st.sampled_from([False, True, None])), sort_keys=False)
    text = text.replace("'!!binary AA=='", "!!binary AA==")
    odd = draw(
        st.sampled_from(
            ["", "tab", "merge", "comment", "duplicate", "document", "garbage", "anchor_key", "bom", "deep", "bomb"]
        )
    )
    if odd == "tab":
        text = text.replace(": ", ":\t", 1)
    elif odd == "merge":
        text = "outputs: &o {charts: false}\n" + "\n".join(
            line for line in text.splitlines() if not line.startswith("outputs")
        )
        text += "\n"
    elif odd == "comment":
        text = "# a comment\n" + text + "# trailing\n"
    elif odd == "duplicate":
        text += "seed: 1\nseed: 2\n"
    elif odd == "document":
        text = "%YAML 1.1\n---\n" + text + "...\n"
    elif odd == "garbage":
        text += draw(st.text(max_size=30))
    elif odd == "anchor_key":
        text += "? [a, b]\n: 1\n"
    elif odd == "bom":
        text = "\ufeff" + text
    elif odd == "deep":
        text += "x: " + "[" * 200 + "]" * 200 + "\n"
    elif odd == "bomb":
        text += "b0: &b0 [a, a, a, a, a, a, a, a, a, a]\n" + "".join(
            f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 10) + "]\n" for i in range(1, 8)
        )
    return text


def options():
    one = st.one_of(
        st.tuples(st.just("-n"), SMALL_INT.map(str)),
        st.tuples(st.just("--days"), st.integers(-2, 5).map(str)),
        st.tuples(st.just("--years"), st.sampled_from(["nan", "inf", "-1", "0.001", "1e-300", "0.01"])),
        st.tuples(st.just("--seed"), st.integers(-5, 2**70).map(str)),
        st.tuples(st.just("-r"), st.integers(-1, 2).map(str)),
        st.tuples(
            st.just("--set"),
            st.tuples(
                st.sampled_from(["population", "seed", "outputs.charts", "extends", "interventions.0.coverage", "x"]),
                st.sampled_from(['"5"', "true", "1", ".nan", "[[[]]]", "{a: 1}", "", "0.5", "!!binary AA=="]),
            ).map("=".join),
        ),
    )
    return st.lists(one, max_size=3).map(lambda pairs: [item for pair in pairs for item in pair])


def check_contract(text: str, extra: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        scenario = Path(folder) / "s.yaml"
        scenario.write_text(text, encoding="utf-8")
        out = Path(folder) / "out"
        args = ["run", str(scenario), "--out", str(out), "--jobs", "1", "--quiet", "--no-charts", *extra]
        result = runner.invoke(app, args)
        event(f"exit {result.exit_code}")
        assert "Traceback" not in result.output, result.output
        assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception, text, extra)
        made = sorted(out.iterdir()) if out.exists() else []
        if result.exit_code == 2:
            named = ["s.yaml", "Invalid value", *(opt for opt in extra if opt.startswith("-"))]
            assert any(name in result.output for name in named), result.output  # the file, or the option
            assert made == [], made
        else:
            assert len(made) == 1 and not made[0].name.startswith("."), made
            manifest = json.loads((made[0] / "manifest.json").read_text())
            assert all((made[0] / name).is_file() for name in manifest["files"])
        assert len(result.output) < 5000, len(result.output)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=documents(), extra=options())
def test_run_keeps_its_contract_on_any_scenario_and_command_line(text, extra):
    check_contract(text, extra)
