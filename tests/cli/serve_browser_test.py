#!/usr/bin/python3
"""A class plays chainsim serve in headless Chromium: two teams of four, a whole game.

Starts `chainsim serve scenarios/beer_game.yaml --port 0`, opens Debian's
headless Chromium (driven over the DevTools protocol with python3-websocket,
as tests/models/report/browser_check.py does) with one tab for the teacher
and one for each of eight students, and:

  - the teacher creates a session of two teams on the teacher's page and
    reads the eight join links from it; each student opens theirs and takes
    the seat with the page's button; the teacher starts the game with the
    page's button;
  - for 36 weeks every student reads their board from the page (incoming
    order and shipment, stock, backlog) and types an order into it; each
    page must show its own stage only: its title names the student's node
    and no other node's name appears anywhere on it;
  - at the end each student's page shows their cost, and it equals the
    node's total_cost of `chainsim run` of the team's written played.yaml
    (to the cent it shows); the teacher's debrief page has a chart of
    orders per team and a cost table whose every stage agrees with that run;
  - no page throws, logs an error or asks anything of another origin;
  - screenshots: the teacher's page, a student's board, a student's end and
    the debrief (OUT/*.png).

Whole in under a minute. Exits 1 with every failure listed; chromium
missing is a failure, not a skip (scripts/setup.sh test installs it).

Usage: serve_browser_test.py CHAINSIM SOURCE_DIR OUT_DIR [--chromium PATH]
"""

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "report"))
from browser_check import DevTools, launch  # noqa: E402  (the same DevTools client as the report's test)

DEADLINE_S = 60.0
ROLES = ["retailer", "wholesaler", "distributor", "factory"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def start_server(chainsim, scenario, out):
    proc = subprocess.Popen([chainsim, "serve", scenario, "--port", "0", "--out", out],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    end = time.monotonic() + 20
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if line.startswith("teacher: "):
            return proc, line.split()[1]
        if not line:
            break
    proc.kill()
    raise RuntimeError("chainsim serve did not start: " + proc.stderr.read())


class Tab:
    """One browser tab: a DevTools session on its own page target."""

    def __init__(self, port, url, origin):
        req = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(req, timeout=10) as r:
            target = json.load(r)
        self.dt = DevTools(target["webSocketDebuggerUrl"])
        self.origin = origin
        for m in ("Runtime.enable", "Log.enable", "Page.enable", "Network.enable"):
            self.dt.call(m)
        self.dt.call("Emulation.setDeviceMetricsOverride",
                     {"width": 900, "height": 700, "deviceScaleFactor": 1, "mobile": False})
        self.go(url)

    def go(self, url):
        self.dt.events = [e for e in self.dt.events if e["method"] != "Page.loadEventFired"]
        self.dt.call("Page.navigate", {"url": url})
        self.dt.wait_event("Page.loadEventFired", timeout=20)

    def js(self, expression, await_promise=False):
        r = self.dt.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                              "awaitPromise": await_promise})
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression[:80]}: {json.dumps(r['exceptionDetails'])[:300]}")
        return r["result"].get("value")

    def wait(self, expression, what, timeout=10.0, refresh=None):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if refresh:
                self.js(refresh, await_promise=True)
            if self.js(expression):
                return True
            time.sleep(0.02)
        raise TimeoutError(f"{what}: not within {timeout} s")

    def screenshot(self, path):
        metrics = self.dt.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        self.dt.call("Emulation.setDeviceMetricsOverride",
                     {"width": 900, "height": int(min(max(size["height"], 300), 8000)), "deviceScaleFactor": 1,
                      "mobile": False})
        shot = self.dt.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, timeout=30)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        self.dt.call("Emulation.setDeviceMetricsOverride",
                     {"width": 900, "height": 700, "deviceScaleFactor": 1, "mobile": False})

    def problems(self, name):
        out = []
        for e in self.dt.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(f"{name}: exception " + json.dumps(p.get("exceptionDetails", {}))[:300])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                out.append(f"{name}: console {p['type']} " + json.dumps(p.get("args", []))[:300])
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
                out.append(f"{name}: browser log " + p["entry"].get("text", "")[:300])
            elif m == "Network.requestWillBeSent":
                url = p.get("request", {}).get("url", "")
                if not (url.startswith(self.origin) or url.startswith("data:") or url == "about:blank"):
                    out.append(f"{name}: requested {url}")
        return out


def play(chainsim, source, out, chromium):
    started = time.monotonic()
    server, teacher_url = start_server(chainsim, os.path.join(source, "scenarios", "beer_game.yaml"),
                                       os.path.join(out, "classroom"))
    origin = teacher_url.split("/teacher")[0]
    profile = tempfile.mkdtemp(prefix="chainsim-chromium-")
    browser = None
    try:
        browser, port = launch(chromium, profile)
        teacher = Tab(port, teacher_url, origin)
        teacher.wait("document.querySelectorAll('#scenario option').length === 1", "the scenario list")
        teacher.js("document.getElementById('teams').value = '2'; document.querySelector('#create button').click()")
        teacher.wait("document.querySelectorAll('.session span[data-join], .session div[data-join]').length === 8",
                     "eight join links")
        links = teacher.js("[...document.querySelectorAll('.session [data-join]')].map(e => [e.dataset.role, "
                           "e.dataset.join])")
        check([r for r, _ in links] == ROLES * 2, f"the seats: {[r for r, _ in links]}")
        students = []
        for i, (role, link) in enumerate(links):
            tab = Tab(port, link, origin)
            tab.wait("document.body.dataset.state === 'open' && !document.getElementById('join').hidden",
                     f"student {i} sees the seat")
            tab.js("document.getElementById('take').click()")
            tab.wait("document.body.dataset.state === 'joining'", f"student {i} takes it")
            students.append((i // 4 + 1, role, tab))
        teacher.wait("document.querySelectorAll('.seat-joined').length === 8", "the teacher sees eight joined",
                     refresh="refresh()")
        teacher.screenshot(os.path.join(out, "teacher.png"))
        teacher.js("document.querySelector('.session button.start').click()")
        typed = play_weeks(students)
        for team, role, tab in students:
            tab.wait("document.body.dataset.state === 'over'", f"team {team} {role}: the end", refresh="refresh()")
        students[0][2].screenshot(os.path.join(out, "player-end.png"))
        check_against_runs(chainsim, out, teacher, students, typed)
        for team, role, tab in students:
            failures.extend(tab.problems(f"team {team} {role}"))
        failures.extend(teacher.problems("teacher"))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
        if browser is not None:
            browser.terminate()
            try:
                browser.wait(timeout=10)
            except subprocess.TimeoutExpired:
                browser.kill()
        shutil.rmtree(profile, ignore_errors=True)
    took = time.monotonic() - started
    check(took < DEADLINE_S, f"took {took:.0f} s (deadline {DEADLINE_S:.0f} s)")
    return took


def play_weeks(students):
    typed = {}
    others = {role: [r for r in ROLES if r != role] for role in ROLES}
    for week in range(36):
        for team, role, tab in students:
            tab.wait(f"document.body.dataset.state === 'ordering' && document.body.dataset.week === '{week}'",
                     f"team {team} {role}: week {week}", refresh="refresh()")
            board = tab.js("({title: document.getElementById('title').textContent, text: document.body.innerText, "
                           "order_in: document.getElementById('order_in').textContent})")
            check(role in board["title"] and f"Team {team}" in board["title"], f"{role}'s title: {board['title']}")
            seen = [r for r in others[role] if r in board["text"].lower()]
            check(not seen, f"team {team} {role}, week {week}: the page names {seen}")
            incoming = int(board["order_in"].replace(",", ""))
            q = incoming + (4 if week % 6 == 2 and team == 1 else 0)
            typed.setdefault((team, role), []).append(q)
            tab.js(f"document.getElementById('quantity').value = '{q}'; "
                   "document.getElementById('send').click()")
            if week == 10 and team == 1 and role == "wholesaler":
                tab.wait("document.body.dataset.state === 'ordered'", "ordered")
                tab.screenshot(os.path.join(sys.argv[3], "player.png"))
    return typed


def check_against_runs(chainsim, out, teacher, students, typed):
    classroom = os.path.join(out, "classroom")
    sessions = [d for d in os.listdir(classroom) if len(d) == 8]
    check(len(sessions) == 1, f"sessions written: {sessions}")
    session = sessions[0]
    costs = {}
    for team in (1, 2):
        folder = os.path.join(classroom, session, f"team-{team}")
        rerun = os.path.join(out, f"rerun-{team}")
        r = subprocess.run([chainsim, "run", os.path.join(folder, "played.yaml"), "--out", rerun, "--quiet"],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, f"chainsim run of team {team}: {r.stderr}")
        summary = json.load(open(os.path.join(rerun, "summary.json")))
        for role in ROLES:
            costs[(team, role)] = summary["kpis"]["nodes"][role]["total_cost"]["mean"]
        record = json.load(open(os.path.join(folder, "team.json")))
        for stage in record["stages"]:
            check(stage["orders"] == typed[(team, stage["node"])], f"team {team} {stage['node']}: orders recorded")
    for team, role, tab in students:
        shown = tab.js("document.getElementById('cost').textContent")
        check(shown == f"{costs[(team, role)]:.2f}", f"team {team} {role}: the page shows cost {shown}, "
              f"chainsim run {costs[(team, role)]:.2f}")
    teacher.go(teacher.js("document.querySelector('.session a[href^=\"/debrief/\"]').href"))
    charts = teacher.js("document.querySelectorAll('svg[data-chart=\"line\"]').length")
    check(charts == 2, f"the debrief has {charts} charts of orders, not 2")
    rows = teacher.js("[...document.querySelectorAll('table tr')].map(tr => [...tr.cells].map(c => c.textContent))")
    seen = 0
    for row in rows:
        if len(row) >= 4 and row[0] in ("1", "2") and row[1] in ROLES:
            want = f"{round(costs[(int(row[0]), row[1])]):,}"
            check(row[3] == want, f"debrief team {row[0]} {row[1]}: cost {row[3]}, chainsim run {want}")
            seen += 1
    check(seen == 8, f"the debrief's cost table has {seen} stage rows, not 8")
    teacher.screenshot(os.path.join(out, "debrief.png"))


def main():
    chainsim, source, out = sys.argv[1:4]
    chromium = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--chromium" else "/usr/bin/chromium"
    if not (os.path.isfile(chromium) and os.access(chromium, os.X_OK)):
        print(f"FAIL: chromium not found at {chromium}: `scripts/setup.sh test` installs Debian's chromium",
              file=sys.stderr)
        return 1
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    try:
        took = play(chainsim, source, out, chromium)
    except Exception as e:  # a hang, a crash, a protocol error: all fail the test
        failures.append(f"{type(e).__name__}: {e}")
        took = float("nan")
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    if failures:
        return 1
    print(f"two teams of four played 36 weeks in headless Chromium in {took:.1f} s; screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
