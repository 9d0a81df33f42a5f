"""The live dashboard: `painsim explore` serves it; in Jupyter, `Dashboard()` shows it inline.

Built from Solara components, as mesa's `SolaraViz` is, around an `Exploration` (a mesa model
stepping a scenario beside its reference on the same random numbers). Sliders and switches change
the explored model from the day they are moved; "Replay from day 0" rebuilds both with the
current settings, which is what "Save scenario" writes for `painsim run`.

Needs the optional extra: `pip install 'painsim[explore]'`.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import altair as alt
import pandas as pd
import solara

from simulation.charts import REFERENCE_GREY
from simulation.exploration import DEFAULT_COVERAGE, PRESETS, Exploration, Settings, main_couplings
from simulation.outcomes import label_of
from simulation.scenario import Scenario, load_scenario

EXPLORED_BLUE = "#0072B2"
MODEL_COLOURS = alt.Scale(domain=["reference", "explored"], range=[REFERENCE_GREY, EXPLORED_BLUE])
MAX_POINTS = 400  # days drawn per line: longer runs are thinned so a frame stays small
CHART_WIDTH = 220
# Fine enough that every declared default lies on the slider's grid: the browser snaps a slider's
# value to its step, and a coarser step silently moved couplings the moment the page loaded.
SLIDER_STEP = 1e-5


def _thin(frame: pd.DataFrame) -> pd.DataFrame:
    days = frame["day"].unique()
    if days.size <= MAX_POINTS:
        return frame
    keep = set(days[:: -(-days.size // MAX_POINTS)]) | {days[-1]}
    return frame[frame["day"].isin(keep)]


def _outcome_labels(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(outcome=frame["outcome"].map(label_of))


# -- charts (plain functions of an Exploration, so tests and notebooks can call them) -----------


def prevalence_chart(x: Exploration) -> alt.Chart:
    """Prevalences over time, explored beside the reference on the same random numbers."""
    data = _outcome_labels(_thin(x.prevalences())).assign(percent=lambda f: f["share"] * 100)
    return (
        alt.Chart(data, title="Prevalence: explored vs reference (same people, same random numbers)")
        .mark_line()
        .encode(
            x=alt.X("day:Q", title="Day"),
            y=alt.Y("percent:Q", title="% of adults", scale=alt.Scale(zero=False)),
            color=alt.Color("model:N", scale=MODEL_COLOURS, title=None),
            column=alt.Column("outcome:N", title=None),
        )
        .properties(width=CHART_WIDTH, height=150)
        .resolve_scale(y="independent")
    )


def difference_chart(x: Exploration) -> alt.Chart:
    """Explored minus reference, in percentage points: what the changes did."""
    data = _outcome_labels(_thin(x.differences()))
    zero = alt.Chart().mark_rule(color=REFERENCE_GREY).encode(y=alt.datum(0))
    line = (
        alt.Chart(data)
        .mark_line(color=EXPLORED_BLUE)
        .encode(x=alt.X("day:Q", title="Day"), y=alt.Y("points:Q", title="Explored - reference (points)"))
    )
    return (
        alt.layer(zero, line, data=data)
        .properties(width=CHART_WIDTH, height=120)
        .facet(column=alt.Column("outcome:N", title=None), title="Difference (percentage points)")
    )


def distribution_chart(x: Exploration) -> alt.Chart:
    """Today's pain, PHQ-9 and ISI distributions of both models."""
    data = x.distributions().assign(percent=lambda f: f["share"] * 100)
    return (
        alt.Chart(data, title=f"Today's distributions (day {x.day})")
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("bin_left:Q", title="Score"),
            y=alt.Y("percent:Q", title="% of adults"),
            color=alt.Color("model:N", scale=MODEL_COLOURS, title=None),
            column=alt.Column("measure:N", title=None, sort=["pain (NRS)", "PHQ-9", "ISI"]),
        )
        .properties(width=CHART_WIDTH, height=120)
        .resolve_scale(x="independent")
    )


def trajectories_chart(x: Exploration) -> alt.Chart:
    """A few people's pain, PHQ-9 and ISI, with their treatment periods marked."""
    frame = _thin(x.trajectories())
    long = frame.melt(["day", "person", "treated"], ["pain", "phq9", "isi"], var_name="measure")
    long["measure"] = long["measure"].map({"pain": "pain (NRS)", "phq9": "PHQ-9", "isi": "ISI"})
    long["person"] = "person " + long["person"].astype(str)
    base = alt.Chart().encode(x=alt.X("day:Q", title="Day"), y=alt.Y("value:Q", title=None))
    lines = base.mark_line().encode(color=alt.Color("person:N", title=None))
    treated = base.transform_filter("datum.treated").mark_point(size=12, filled=True, color="black")
    return (
        alt.layer(lines, treated, data=long)
        .properties(width=CHART_WIDTH, height=110)
        .facet(column=alt.Column("measure:N", title=None, sort=["pain (NRS)", "PHQ-9", "ISI"]))
        .resolve_scale(y="independent")
        .properties(title="A few explored people (black dots: on treatment)")
    )


def coupling_chart(x: Exploration) -> alt.Chart:
    """Each coupling's current strength as a share of its declared range."""
    data = x.coupling_strengths()
    return (
        alt.Chart(data, title="The loop's couplings now (x default; 0 = arrow cut)")
        .mark_bar(color=EXPLORED_BLUE)
        .encode(
            y=alt.Y("edge:N", title=None, sort=None, axis=alt.Axis(labelLimit=420)),
            x=alt.X("relative:Q", title="x default", scale=alt.Scale(domainMin=0)),
            tooltip=["parameter", "value", "relative"],
        )
        .properties(width=2 * CHART_WIDTH, height=alt.Step(14))
    )


def causal_graph_chart(x: Exploration) -> alt.LayerChart:
    """The whole causal graph, each arrow as wide as its coupling is set now (cut arrows thin)."""
    from simulation.graph import current_weights, graph_chart

    chart = graph_chart(current_weights(x.explored.params), title="The causal graph as set now")
    return chart.properties(
        width=900,
        height=520,
        title=alt.Title("The causal graph as set now", subtitle="arrow width: the coupling's current value as a "
                        "share of its declared upper bound; hover an arrow for its parameter and source"),
    )  # fmt: skip


CHARTS = (
    prevalence_chart,
    difference_chart,
    distribution_chart,
    trajectories_chart,
    coupling_chart,
    causal_graph_chart,
)


# -- the page --------------------------------------------------------------------------------


class Session:
    """One dashboard's state: the exploration, a lock (the play thread steps while a frame reads),
    and the frame-rate meter."""

    def __init__(self, scenario: Scenario | None, out_dir: Path, days_per_frame: int = 7, population=None):
        self.exploration = Exploration(scenario, population=population)
        self.lock = threading.Lock()
        self.out_dir = Path(out_dir)
        self.days_per_frame = days_per_frame
        self.frame_times: list[float] = []

    def advance(self, days: int) -> None:
        """Step both models `days` days (under the lock: the page and the player share them)."""
        with self.lock:
            for _ in range(days):
                if not self.exploration.running:
                    break
                self.exploration.step()

    def frame_rate(self) -> float:
        """Frames per second over the last 20 frames (0 until there are enough)."""
        times = self.frame_times[-20:]
        return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 2 and times[-1] > times[0] else 0.0

    def save(self) -> Path:
        """Write the explored settings as a scenario file `painsim run` accepts."""
        scenario = self.exploration.scenario()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / f"{scenario.name}.yaml"
        path.write_text(self.exploration.scenario_yaml())
        return path


@solara.component
def Controls(session: Session, refresh, frame: int = 0):
    """The side panel: size, seed, couplings, interventions and the player's buttons."""
    x = session.exploration
    s = x.settings
    with solara.Card("Run"):
        solara.SliderInt("Population (on replay)", value=s.population, min=500, max=50_000, step=500,
                         on_value=lambda v: setattr(s, "population", v))  # fmt: skip
        solara.SliderFloat("Years (on replay)", value=round(s.years, 2), min=0.25, max=20.0, step=0.25,
                           on_value=lambda v: setattr(s, "years", v))  # fmt: skip
        solara.InputInt("Seed (on replay)", value=s.seed, on_value=lambda v: setattr(s, "seed", int(v)))
        solara.SliderInt("Days per frame", value=session.days_per_frame, min=1, max=60,
                         on_value=lambda v: setattr(session, "days_per_frame", v))  # fmt: skip
    with solara.Card("Couplings of the loop (from today; hover for unit and source)"):
        for c in main_couplings():
            group, _, name = c.parameter.partition(".")
            current = getattr(getattr(x.explored.params, group), name)

            def moved(value, c=c, current=current):
                if abs(value - current) < 1e-9:
                    return  # the browser's slider echoing the value it was given
                with session.lock:
                    x.set_coupling(c.parameter, value)
                refresh()

            with solara.Tooltip(c.hover), solara.Column(gap="0px"):
                solara.Text(f"{c.label}: {current:.3g} ({c.unit})", style={"font-size": "0.85em"})
                solara.SliderFloat("", value=current, min=c.lower, max=c.upper,
                                   step=SLIDER_STEP, on_value=moved, thumb_label=False)  # fmt: skip
    with solara.Card("Interventions (from their start day, or today)"):
        for kind in PRESETS:
            block = s.interventions.get(kind)

            def switched(on, kind=kind):
                with session.lock:
                    x.set_intervention(kind, on, DEFAULT_COVERAGE, 0)
                refresh()

            solara.Switch(label=kind.replace("_", " "), value=block is not None, on_value=switched)
            if block is not None:

                def covered(value, kind=kind):
                    with session.lock:
                        x.set_intervention(kind, True, value, s.interventions[kind].get("start_day", 0))
                    refresh()

                def started(value, kind=kind):
                    with session.lock:
                        x.set_intervention(kind, True, s.interventions[kind].get("coverage", DEFAULT_COVERAGE), value)
                    refresh()

                solara.SliderFloat(f"{kind} coverage (share of eligible)", value=block.get("coverage", 1.0),
                                   min=0.0, max=1.0, step=0.05, on_value=covered)  # fmt: skip
                solara.SliderInt(f"{kind} start day", value=block.get("start_day", 0), min=0,
                                 max=max(1, x.duration_days - 1), step=7, on_value=started)  # fmt: skip


@solara.component
def Dashboard(scenario: Scenario | None = None, out_dir: str | Path = ".", population: int | None = None):
    """The whole dashboard: controls on the left, live charts on the right."""
    session = solara.use_memo(lambda: Session(scenario, Path(out_dir), population=population), [])
    frame, set_frame = solara.use_state(0)
    playing = solara.use_reactive(False)
    message = solara.use_reactive("")

    def refresh():
        set_frame(lambda n: n + 1)

    def play_loop():
        session.frame_times.clear()  # the rate shown is the rate while playing
        while playing.value and session.exploration.running:
            session.advance(session.days_per_frame)
            session.frame_times.append(time.perf_counter())
            refresh()
            time.sleep(0.01)  # lets the browser's messages (a slider moved) in between frames
        playing.value = False

    def play_pause():
        if playing.value:
            playing.value = False  # the loop ends after its current frame
            return
        playing.value = True
        # A thread of its own, so the page stays live while it plays (solara gives threads
        # started here the page's context, so their updates reach the browser).
        threading.Thread(target=play_loop, name="painsim-play", daemon=True).start()

    x = session.exploration

    def step():
        session.advance(session.days_per_frame)
        refresh()

    def run_to_end():
        session.advance(x.duration_days)
        refresh()

    def replay():
        playing.value = False
        with session.lock:
            x.reset()
        session.frame_times.clear()
        refresh()

    def defaults():
        playing.value = False
        with session.lock:
            x.settings = Settings.of(x.base)
            x.reset()
        refresh()

    def save():
        message.value = f"wrote {session.save()} (run it with: painsim run FILE)"

    with solara.Columns([1, 3]):
        with solara.Column():
            with solara.Row(style={"flex-wrap": "wrap"}):
                solara.Button("Pause" if playing.value else "Play", color="primary",
                              on_click=play_pause, disabled=not x.running)  # fmt: skip
                solara.Button("Step", on_click=step, disabled=playing.value or not x.running)
                solara.Button("Run to end", on_click=run_to_end, disabled=playing.value or not x.running)
            with solara.Row(style={"flex-wrap": "wrap"}):
                solara.Button("Replay from day 0", on_click=replay)
                solara.Button("Defaults", on_click=defaults)
                solara.Button("Save scenario", on_click=save, color="secondary")
            if message.value:
                solara.Info(message.value)
            Controls(session, refresh, frame)
        with solara.Column():
            with session.lock:
                charts = [make(x) for make in CHARTS]
                status = (
                    f"Day {x.day} of {x.duration_days} - {x.settings.population:,} people x 2 models - "
                    f"{session.frame_rate():.1f} frames/s ({session.days_per_frame} days a frame)"
                )
            solara.Text(f"{x.base.name}: {status}", style={"font-weight": "bold"})
            for chart in charts:
                solara.FigureAltair(chart)


def _from_environment() -> tuple[Scenario | None, Path, int | None]:
    path = os.environ.get("PAINSIM_EXPLORE_SCENARIO") or None
    population = os.environ.get("PAINSIM_EXPLORE_POPULATION")
    scenario = load_scenario(path) if path else None
    return scenario, Path(os.environ.get("PAINSIM_EXPLORE_OUT", ".")), int(population) if population else None


@solara.component
def Page():
    """What `painsim explore` serves (its scenario comes through the environment)."""
    scenario, out_dir, population = solara.use_memo(_from_environment, [])
    solara.Title("painsim explore")
    Dashboard(scenario, out_dir, population)
