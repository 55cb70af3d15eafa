#!/usr/bin/python3
"""Opens a chainsim report in headless Chromium and checks it as a reader's browser sees it.

Runs `chainsim run SCENARIO --out OUT` and opens OUT/report.html or, with
--variant, `chainsim compare SCENARIO VARIANT --replications R --out OUT` and
opens OUT/compare.html, from disk in Debian's headless Chromium, and drives it
over the DevTools protocol (python3-websocket):

  - no JavaScript exception, no console error, no error in the browser log;
  - no request for anything but the file itself (file: and data: URLs only);
  - every chart has its data points, counted in the DOM after load: each
    <polyline class="series"> has as many parsed points as its data-points
    (> 0), each band twice as many, each bar chart as many bars as data-bars,
    the network as many nodes and lanes as it says, each forest plot as many
    rows as data-rows, each row an interval (line.ci) with its estimate
    (circle.est) drawn inside it and marked exactly when it excludes 0; every
    chart has a <title> and <desc> that its aria-labelledby names;
  - at least --min-charts charts;

and with --screenshots saves a full-page screenshot (OUT/report.png), one in
print media at the width of a page (OUT/report-print.png) and the printed PDF
(OUT/report.pdf); compare.png, compare-print.png and compare.pdf for a
comparison. (They take most of the time: 4 s and 9 s for a page of 26,000
px, so the suite takes them of a few pages only.) Exits 1 with every failure listed; chromium missing is a
failure, not a skip (scripts/setup.sh test installs it).

Usage: browser_check.py --chromium /usr/bin/chromium --chainsim PATH
         --scenario scenarios/beer_game.yaml --out DIR [--min-charts N]
         [--variant scenarios/VARIANT.yaml --replications R] [--screenshots]
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

DEADLINE_S = 90.0  # the whole check; CTest's TIMEOUT is a little longer

# Counted in the page after load; returns one entry per chart.
COUNT_JS = r"""
(() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg[data-chart]')) {
    const kind = svg.dataset.chart, problems = [];
    let points = 0;
    const ids = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    if (svg.getAttribute('role') !== 'img') problems.push('role is not img');
    if (ids.length < 2) problems.push('aria-labelledby names fewer than a title and a desc');
    for (const id of ids) {
      const el = document.getElementById(id);
      if (!el || !el.textContent.trim()) problems.push('aria-labelledby names a missing or empty #' + id);
    }
    if (!svg.querySelector(':scope > title') || !svg.querySelector(':scope > desc')) problems.push('no title/desc');
    if (kind === 'line') {
      const series = svg.querySelectorAll('polyline.series');
      if (series.length === 0) problems.push('no series');
      if (String(series.length) !== svg.dataset.series) problems.push('data-series ' + svg.dataset.series + ' but ' + series.length + ' series');
      for (const p of series) {
        const n = p.points.numberOfItems, want = Number(p.dataset.points);
        points += n;
        if (!(n > 0) || n !== want) problems.push(p.dataset.series + ': ' + n + ' points, data-points ' + want);
      }
      for (const b of svg.querySelectorAll('polygon.band')) {
        const n = b.points.numberOfItems, want = 2 * Number(b.dataset.points);
        if (!(n > 0) || n !== want) problems.push('band ' + b.dataset.band + ': ' + n + ' points, want ' + want);
      }
    } else if (kind === 'bar') {
      const bars = svg.querySelectorAll('rect.bar');
      points = bars.length;
      if (bars.length === 0 || String(bars.length) !== svg.dataset.bars) problems.push(bars.length + ' bars, data-bars ' + svg.dataset.bars);
      for (const r of bars) if (!(r.width.baseVal.value > 0)) problems.push('a bar of zero width');
    } else if (kind === 'forest') {
      const rows = svg.querySelectorAll('g.forest-row');
      points = rows.length;
      if (rows.length === 0 || String(rows.length) !== svg.dataset.rows) problems.push(rows.length + ' rows, data-rows ' + svg.dataset.rows);
      for (const g of rows) {
        const ci = g.querySelector('line.ci'), est = g.querySelector('circle.est'), name = g.dataset.row;
        const lo = Number(g.dataset.lower), hi = Number(g.dataset.upper), m = Number(g.dataset.estimate);
        if (!ci || !est) { problems.push(name + ': no interval or no estimate'); continue; }
        if (!(lo <= m && m <= hi)) problems.push(name + ': estimate ' + m + ' outside [' + lo + ', ' + hi + ']');
        const x1 = ci.x1.baseVal.value, x2 = ci.x2.baseVal.value, cx = est.cx.baseVal.value;
        if (!(x1 <= cx + 0.05 && cx <= x2 + 0.05)) problems.push(name + ': dot at ' + cx + ' outside its whisker ' + x1 + '..' + x2);
        if ((g.dataset.marked === 'true') !== (lo > 0 || hi < 0)) problems.push(name + ': marked is ' + g.dataset.marked + ' for [' + lo + ', ' + hi + ']');
      }
    } else if (kind === 'network') {
      const nodes = svg.querySelectorAll('g.node').length, lanes = svg.querySelectorAll('path.lane').length;
      points = nodes;
      if (nodes === 0 || String(nodes) !== svg.dataset.nodes) problems.push(nodes + ' nodes, data-nodes ' + svg.dataset.nodes);
      if (String(lanes) !== svg.dataset.lanes) problems.push(lanes + ' lanes, data-lanes ' + svg.dataset.lanes);
    } else {
      problems.push('unknown chart kind ' + kind);
    }
    const box = svg.getBoundingClientRect();
    if (!(box.width > 50 && box.height > 20)) problems.push('rendered ' + box.width + 'x' + box.height);
    out.push({id: svg.id, kind, points, problems});
  }
  return out;
})()
"""


class DevTools:
    def __init__(self, ws_url):
        import websocket  # Debian's python3-websocket
        self.ws = websocket.create_connection(ws_url, timeout=20, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, params=None, timeout=30.0):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params or {}}))
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)
        raise TimeoutError(f"{method}: no answer in {timeout} s")

    def wait_event(self, name, timeout):
        end = time.monotonic() + timeout
        for e in self.events:
            if e["method"] == name:
                return e
        while time.monotonic() < end:
            msg = json.loads(self.ws.recv())
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == name:
                    return msg
        raise TimeoutError(f"no {name} in {timeout} s")


def launch(chromium, profile):
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
            f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1200,900", "about:blank"]
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    port_file = os.path.join(profile, "DevToolsActivePort")
    end = time.monotonic() + 30
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"chromium exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        if os.path.exists(port_file):
            lines = open(port_file).read().split()
            if len(lines) >= 2:
                return proc, int(lines[0])
        time.sleep(0.05)
    proc.kill()
    raise TimeoutError("chromium did not open its DevTools port in 30 s")


def page_ws_url(port):
    end = time.monotonic() + 15
    while time.monotonic() < end:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
            targets = json.load(r)
        for t in targets:
            if t.get("type") == "page" and "webSocketDebuggerUrl" in t:
                return t["webSocketDebuggerUrl"]
        time.sleep(0.1)
    raise TimeoutError("no page target")


def check(args):
    failures = []
    started = time.monotonic()
    if not (os.path.isfile(args.chromium) and os.access(args.chromium, os.X_OK)):
        return [f"chromium not found at {args.chromium}: `scripts/setup.sh test` installs Debian's chromium"]
    os.makedirs(args.out, exist_ok=True)
    if args.variant:
        command = [args.chainsim, "compare", args.scenario, args.variant, "--replications", str(args.replications)]
        stem = "compare"
    else:
        command = [args.chainsim, "run", args.scenario]
        stem = "report"
    run = subprocess.run(command + ["--out", args.out, "--quiet"], capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        return [f"chainsim {command[1]} failed ({run.returncode}): {run.stderr}"]
    report = os.path.abspath(os.path.join(args.out, stem + ".html"))
    url = "file://" + report
    profile = tempfile.mkdtemp(prefix="chainsim-chromium-")
    proc = None
    try:
        proc, port = launch(args.chromium, profile)
        dt = DevTools(page_ws_url(port))
        for m in ("Runtime.enable", "Log.enable", "Page.enable", "Network.enable"):
            dt.call(m)
        dt.call("Emulation.setDeviceMetricsOverride",
                {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        dt.call("Page.navigate", {"url": url})
        dt.wait_event("Page.loadEventFired", timeout=30)
        charts = dt.call("Runtime.evaluate", {"expression": COUNT_JS, "returnByValue": True})["result"]["value"]
        time.sleep(0.2)  # let late console messages arrive
        dt.call("Runtime.evaluate", {"expression": "1", "returnByValue": True})

        for e in dt.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.exceptionThrown":
                failures.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:500])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                failures.append(f"console {p['type']}: " + json.dumps(p.get("args", []))[:500])
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
                failures.append("browser log: " + p["entry"].get("text", "")[:500])
            elif m == "Network.requestWillBeSent":
                req = p.get("request", {}).get("url", "")
                if not (req == url or req.startswith("data:")):
                    failures.append("the page requested " + req)

        for c in charts:
            for problem in c["problems"]:
                failures.append(f"chart #{c['id']} ({c['kind']}): {problem}")
        if len(charts) < args.min_charts:
            failures.append(f"{len(charts)} charts, expected at least {args.min_charts}")

        metrics = dt.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        height = int(min(size["height"], 30000))
        if args.screenshots:
            save_screenshots(dt, args.out, stem, height)
        points = sum(c["points"] for c in charts)
        saved = f", screenshot {os.path.join(args.out, stem + '.png')}" if args.screenshots else ""
        print(f"{args.scenario}: {len(charts)} charts, {points} data points/bars/nodes, "
              f"page {os.path.getsize(report)} bytes, {height} px tall{saved}, {time.monotonic() - started:.1f} s")
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
    if time.monotonic() - started > DEADLINE_S:
        failures.append(f"took {time.monotonic() - started:.0f} s (deadline {DEADLINE_S:.0f} s)")
    return failures


def save_screenshots(dt, out, stem, height):
    """The full page, the page as printed, and the printed PDF, into OUT."""
    dt.call("Emulation.setDeviceMetricsOverride",
            {"width": 1200, "height": height, "deviceScaleFactor": 1, "mobile": False})
    shot = dt.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, timeout=60)
    with open(os.path.join(out, stem + ".png"), "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    # The page as printed: print media at the width of an A4 page's text.
    dt.call("Emulation.setEmulatedMedia", {"media": "print"})
    dt.call("Emulation.setDeviceMetricsOverride", {"width": 720, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    metrics = dt.call("Page.getLayoutMetrics")
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    dt.call("Emulation.setDeviceMetricsOverride",
            {"width": 720, "height": int(min(size["height"], 30000)), "deviceScaleFactor": 1, "mobile": False})
    shot = dt.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, timeout=60)
    with open(os.path.join(out, stem + "-print.png"), "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    dt.call("Emulation.setEmulatedMedia", {"media": ""})
    pdf = dt.call("Page.printToPDF", {"printBackground": False, "preferCSSPageSize": True}, timeout=60)
    with open(os.path.join(out, stem + ".pdf"), "wb") as f:
        f.write(base64.b64decode(pdf["data"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--chainsim", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--min-charts", type=int, default=1)
    ap.add_argument("--variant", help="compare SCENARIO (the baseline) with this variant and open compare.html")
    ap.add_argument("--replications", type=int, default=3, help="replications of each, with --variant")
    ap.add_argument("--screenshots", action="store_true",
                    help="save the page's screenshots and printed PDF in OUT")
    args = ap.parse_args()
    try:
        failures = check(args)
    except Exception as e:  # a hang, a crash, a protocol error: all fail the test
        failures = [f"{type(e).__name__}: {e}"]
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
