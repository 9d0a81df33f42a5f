"""End to end, as a person would: `painsim explore` on a local port, opened in headless Chromium;
play, move a slider, switch an intervention on, wait for the charts to change, keep screenshots.

Needs Chromium (Debian's `chromium`, installed by .ci/run) and playwright (the test extra);
skipped where either is missing. Screenshots go to results/screenshots/ (CI keeps them)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulation.exploration import main_couplings
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

CHROMIUM = next((p for p in (os.environ.get("PAINSIM_CHROMIUM"), shutil.which("chromium"),
                             shutil.which("chromium-browser")) if p), None)  # fmt: skip
SHOTS = ROOT / "results" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    pytest.importorskip("solara")
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    port = _free_port()
    painsim = Path(sys.executable).with_name("painsim")
    server = subprocess.Popen(
        [str(painsim), "explore", "-n", "20000", "--port", str(port), "--out", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None, server.stdout.read()
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/", tmp_path
    finally:
        server.terminate()
        server.wait(timeout=30)


def _status(page) -> str:
    return page.locator("text=/people x 2 models/").first.inner_text()


def _day(page) -> int:
    return int(_status(page).split("Day ")[1].split(" ")[0])


def test_a_person_plays_moves_a_slider_and_switches_cbt_on(served):
    sync_api = pytest.importorskip("playwright.sync_api")
    url, out = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1500})
        page.goto(url)
        page.wait_for_selector("text=/Day 0 of/", timeout=180_000)  # 20,000 people settle first
        page.wait_for_selector("canvas, svg.marks", timeout=60_000)
        time.sleep(2)
        # loading the page moved nothing: every coupling is at its default
        for c in main_couplings():
            assert page.locator(f"text={c.label}: {c.default:.3g} (").count() >= 1, c.parameter

        # play for a few seconds: the day advances and the rate is shown
        page.get_by_role("button", name="Play", exact=True).click()
        deadline = time.monotonic() + 60
        while _day(page) < 150 and time.monotonic() < deadline:
            time.sleep(0.5)
        page.get_by_role("button", name="Pause", exact=True).click()
        time.sleep(1)
        played = _day(page)
        assert played >= 28, _status(page)
        rate = float(_status(page).split(" - ")[-1].split(" frames/s")[0])
        assert rate > 0
        page.screenshot(path=str(SHOTS / "explore_playing.png"), full_page=True)

        # cut the first coupling (poor sleep -> pain): move its slider to the far left
        slider = page.get_by_role("slider").nth(3)  # population, years, days per frame, then the couplings
        slider.focus()
        page.keyboard.press("Home")  # to the slider's lower bound, 0
        page.wait_for_selector("text=/poor sleep \\(night\\) -> pain: 0 \\(/", timeout=30_000)
        # switch CBT on: its coverage slider appears
        page.locator(".v-input--switch").first.click()
        page.wait_for_selector("text=cbt coverage", timeout=30_000)

        # step on: the explored line leaves the reference, so the difference chart moves off zero
        for _ in range(8):
            page.get_by_role("button", name="Step", exact=True).click()
            time.sleep(0.5)
        assert _day(page) >= played + 8 * 7 - 7
        page.screenshot(path=str(SHOTS / "explore_after_slider.png"), full_page=True)

        page.get_by_role("button", name="Save scenario", exact=True).click()
        page.wait_for_selector("text=/wrote/", timeout=30_000)
        browser.close()
    saved = (out / "baseline_explored.yaml").read_text()
    assert "from_poor_sleep: 0.0" in saved and "type: cbt" in saved
    print(f"dashboard at 20,000 people: {rate:.1f} frames/s while playing (7 days a frame)")
