#!/usr/bin/python3
"""chainsim serve over real sockets: hostile clients, a class of two teams, a restart.

1. Starts `chainsim serve scenarios/beer_game.yaml --port 0 --out DIR` and
   reads the address and the teacher's key it prints.
2. Sends what a hostile or broken client sends, each on its own connection:
   garbage, a header of 64 KiB, a body of 1 MiB (both answered 413), a lying
   Content-Length, a bad chunked body, a request line with bytes that are not
   ASCII, a path out of the tree, a request trickled in and abandoned, 700
   idle connections held open (more than the 512 the server keeps). After each, an ordinary request must be answered (the server keeps
   serving), and a 4xx must come back where an answer is due.
3. Plays a session of two teams over HTTP: team 1 has all four stages
   played, team 2 three (the factory follows its policy). Each week every
   player orders (different rules per stage and team).
4. Checks the debrief's numbers (team.json, the CSV) against `chainsim run`
   of each team's played.yaml (costs, amplification, orders, node by node)
   and of the scenario itself (the cost by the rule).
5. Stops the server (SIGTERM: exit 0), starts it again on the same folder
   and checks the finished session is still there, CSV byte for byte.
7. --timer 1 with a player who never orders: the policy orders for them,
   a week a second. The servers' standard error holds no error.
6. Bad command lines: a missing scenario (exit 2), --bind that is not an
   address (exit 2), a port already in use (exit 1).

Usage: serve_http_test.py CHAINSIM SOURCE_DIR WORK_DIR
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def start(chainsim, scenario, out, extra=(), log=None):
    """The server, its address and key; its standard error goes to `log` (a file), read at the end."""
    err = open(log, "a") if log else subprocess.DEVNULL
    proc = subprocess.Popen([chainsim, "serve", scenario, "--port", "0", "--out", out, *extra],
                            stdout=subprocess.PIPE, stderr=err, text=True)
    lines = []
    end = time.monotonic() + 20
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("teacher: "):
            url = line.split()[1]
            parsed = urllib.parse.urlparse(url)
            key = urllib.parse.parse_qs(parsed.query)["key"][0]
            return proc, f"{parsed.scheme}://{parsed.netloc}", key, parsed.port
    proc.kill()
    raise RuntimeError("chainsim serve did not start: " + "".join(lines) + (open(log).read() if log else ""))


def request(base, method, path, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    r = urllib.request.Request(base + path, data=body, method=method)
    try:
        with urllib.request.urlopen(r, timeout=10) as f:
            return f.status, f.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def raw(port, payload, read=True, timeout=5.0):
    """Sends bytes on a new connection; returns the status line's code (0: none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if not read:
            return 0
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    first = data.split(b"\r\n", 1)[0].split()
    return int(first[1]) if len(first) >= 2 and first[1].isdigit() else 0


def still_serving(base, what):
    try:
        code, _ = request(base, "GET", "/")
    except Exception as e:  # noqa: BLE001 - any failure is the finding
        code = str(e)
    check(code == 200, f"after {what}: GET / answered {code}, not 200")


def hostile(base, port, key):
    cases = [
        ("garbage", b"\x00\xff\xfe garbage\r\n\r\n", (400,)),
        ("a 64 KiB header", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n", (413,)),
        ("a 1 MiB body", b"POST /api/seat/0123456789abcdef HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n"
         + b"a" * 1048576, (413,)),
        ("a bad chunked body", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", (400,)),
        ("bytes that are not ASCII in the path", b"GET /\xc3\x28\xff HTTP/1.1\r\nHost: x\r\n\r\n", (400,)),
        ("a path out of the tree", b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", (400,)),
        ("an encoded path out of the tree", b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", (400,)),
        ("a method the server does not take", b"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", (405,)),
        ("the teacher's page without the key", b"GET /teacher HTTP/1.1\r\nHost: x\r\n\r\n", (403,)),
        ("HTTP/1.0 without a Host", b"GET / HTTP/1.0\r\n\r\n", (200,)),
    ]
    for what, payload, wanted in cases:
        code = raw(port, payload)
        check(code in wanted, f"{what}: status {code}, wanted one of {wanted}")
        still_serving(base, what)
    # A lying Content-Length: the body never comes; the server must not wait on it for others.
    lying = socket.create_connection(("127.0.0.1", port))
    lying.sendall(b"POST /api/seat/0123456789abcdef HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\nabc")
    still_serving(base, "a lying Content-Length")
    # A request trickled in and abandoned, and more idle connections than the
    # server keeps (512): the ones waiting longest make way for new clients.
    trickle = socket.create_connection(("127.0.0.1", port))
    trickle.sendall(b"GET / HT")
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(600)]
    still_serving(base, "600 idle connections")
    idle += [socket.create_connection(("127.0.0.1", port)) for _ in range(100)]
    still_serving(base, "700 idle connections")
    for s in idle + [trickle, lying]:
        s.close()
    still_serving(base, "closing them")
    # A session id or a token of the wrong form, through the API.
    code, _ = request(base, "GET", "/api/seat/../../etc/passwd")
    check(code in (400, 404), f"a seat path out of the tree: {code}")
    code, _ = request(base, "POST", f"/api/sessions?key={key}", {"scenario": "beer_game", "teams": "1000"})
    check(code == 400, f"1000 teams: {code}")


def play_class(base, key, out):
    code, body = request(base, "POST", f"/api/sessions?key={key}", {"scenario": "beer_game", "teams": "2"})
    check(code == 201, f"create: {code} {body}")
    session = json.loads(body)["id"]
    state = json.loads(request(base, "GET", f"/api/teacher?key={key}")[1])
    teams = [t for s in state["sessions"] if s["id"] == session for t in s["teams"]]
    seats = [[(seat["role"], seat["token"]) for seat in t["seats"]] for t in teams]
    players = [seats[0], seats[1][:3]]  # team 2's factory stays empty: the policy plays it
    for team in players:
        for _, token in team:
            check(json.loads(request(base, "GET", f"/api/seat/{token}")[1])["state"] == "open", "looking")
            code, body = request(base, "POST", f"/api/seat/{token}", {"join": "1"})
            check(code == 200 and json.loads(body)["state"] == "joining", f"join: {code} {body}")
    code, _ = request(base, "POST", f"/api/start/{session}?key={key}", {})
    check(code == 200, f"start: {code}")
    absent = json.loads(request(base, "GET", f"/api/seat/{seats[1][3][1]}")[1])
    check(absent["state"] == "absent", f"the empty seat: {absent['state']}")
    typed = {}
    for week in range(36):
        for t, team in enumerate(players):
            for s, (role, token) in enumerate(team):
                view = json.loads(request(base, "GET", f"/api/seat/{token}")[1])
                check(view["state"] == "ordering" and view["week"] == week, f"team {t + 1} {role} week {week}: {view}")
                check(set(view["view"]) == {"shipment_in", "order_in", "on_hand", "backlog", "on_order",
                                            "cost_so_far", "customer_demand"}, "the view's fields")
                q = int(view["view"]["order_in"]) + (s + t) % 3 if (week + s) % 4 else 0
                code, body = request(base, "POST", f"/api/seat/{token}", {"order": str(q)})
                check(code == 200, f"order {q}: {code} {body}")
                typed.setdefault((t + 1, role), []).append(q)
    return session, typed


def check_against_runs(chainsim, scenario, base, key, out, session, typed, work):
    code, csv = request(base, "GET", f"/orders/{session}.csv?key={key}")
    check(code == 200, f"the CSV: {code}")
    rows = [line.split(",") for line in csv.strip().split("\n")[1:]]
    # The rule-following benchmark: the scenario itself, every stage on its policy.
    r = subprocess.run([chainsim, "run", scenario, "--out", os.path.join(work, "rules"), "--quiet"],
                       capture_output=True, text=True, timeout=60)
    check(r.returncode == 0, f"chainsim run of the scenario: {r.stderr}")
    rules = json.load(open(os.path.join(work, "rules", "summary.json")))
    for team in (1, 2):
        folder = os.path.join(out, session, f"team-{team}")
        record = json.load(open(os.path.join(folder, "team.json")))
        run_out = os.path.join(work, f"rerun-{team}")
        r = subprocess.run([chainsim, "run", os.path.join(folder, "played.yaml"), "--out", run_out, "--quiet"],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, f"chainsim run of team {team}'s played.yaml: {r.stderr}")
        summary = json.load(open(os.path.join(run_out, "summary.json")))
        for stage in record["stages"]:
            node = stage["node"]
            want = summary["kpis"]["nodes"][node]["total_cost"]["mean"]
            check(abs(stage["cost"] - want) <= 1e-9 * max(1.0, abs(want)),
                  f"team {team} {node}: debrief cost {stage['cost']}, chainsim run {want}")
            stock = [s for s in summary["kpis"]["stocks"] if s.startswith(node)]
            bull = summary["kpis"]["stocks"][stock[0]]["bullwhip_cumulative"]["mean"] if stock else None
            check(stage["bullwhip"] == bull, f"team {team} {node}: amplification {stage['bullwhip']}, run {bull}")
            rule = rules["kpis"]["nodes"][node]["total_cost"]["mean"]
            check(abs(stage["cost_benchmark"] - rule) <= 1e-9 * max(1.0, abs(rule)),
                  f"team {team} {node}: cost by the rule {stage['cost_benchmark']}, chainsim run {rule}")
            if (team, node) in typed:
                check(stage["orders"] == typed[(team, node)], f"team {team} {node}: the orders recorded")
                check(stage["player"], f"team {team} {node}: played")
            csv_orders = [float(r[5]) for r in rows if r[1] == str(team) and r[3] == node]
            check(csv_orders == stage["orders"], f"team {team} {node}: the CSV's orders")
        check(record["players"] == [role for (t, role) in typed if t == team], f"team {team}: players")
    code, html = request(base, "GET", f"/debrief/{session}?key={key}")
    check(code == 200 and html.count('data-chart="line"') == 2, "the debrief has a chart of orders per team")
    return csv


def bad_command_lines(chainsim, source, work, port):
    r = subprocess.run([chainsim, "serve", os.path.join(work, "missing.yaml"), "--out", os.path.join(work, "o1")],
                       capture_output=True, text=True, timeout=30)
    check(r.returncode == 2 and "missing.yaml" in r.stderr, f"a missing scenario: {r.returncode} {r.stderr}")
    r = subprocess.run([chainsim, "serve", os.path.join(source, "scenarios/beer_game.yaml"), "--bind", "nowhere",
                        "--out", os.path.join(work, "o2")], capture_output=True, text=True, timeout=30)
    check(r.returncode == 2 and "--bind" in r.stderr, f"--bind nowhere: {r.returncode} {r.stderr}")
    r = subprocess.run([chainsim, "serve", os.path.join(source, "scenarios/beer_game.yaml"), "--port", str(port),
                        "--out", os.path.join(work, "o3")], capture_output=True, text=True, timeout=30)
    check(r.returncode == 1 and "cannot listen" in r.stderr, f"a port in use: {r.returncode} {r.stderr}")


def timer(chainsim, scenario, work):
    """--timer 1: a player who never orders; the policy orders for them, week after week."""
    proc, base, key, _ = start(chainsim, scenario, os.path.join(work, "timed"), ("--timer", "1"),
                               os.path.join(work, "stderr.txt"))
    try:
        session = json.loads(request(base, "POST", f"/api/sessions?key={key}",
                                     {"scenario": "beer_game", "teams": "1"})[1])["id"]
        state = json.loads(request(base, "GET", f"/api/teacher?key={key}")[1])
        token = state["sessions"][0]["teams"][0]["seats"][1]["token"]  # the wholesaler
        request(base, "POST", f"/api/seat/{token}", {"join": "1"})
        started = time.monotonic()
        request(base, "POST", f"/api/start/{session}?key={key}", {})
        view = json.loads(request(base, "GET", f"/api/seat/{token}")[1])
        check(0 < view["seconds_left"] <= 1, f"the timer: {view['seconds_left']} s left")
        while view["week"] < 2 and time.monotonic() < started + 15:
            time.sleep(0.05)
            view = json.loads(request(base, "GET", f"/api/seat/{token}")[1])
        took = time.monotonic() - started
        check(view["week"] >= 2 and took >= 1.9, f"week {view['week']} after {took:.1f} s of a 1 s timer")
        check(len(view["orders"]) == view["week"], f"orders {view['orders']} at week {view['week']}")
        check(all(q == int(q) and q >= 0 for q in view["orders"]), f"the policy's orders: {view['orders']}")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


def main():
    chainsim, source, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    out = os.path.join(work, "classroom")
    log = os.path.join(work, "stderr.txt")
    scenario = os.path.join(source, "scenarios", "beer_game.yaml")
    proc, base, key, port = start(chainsim, scenario, out, (), log)
    try:
        hostile(base, port, key)
        session, typed = play_class(base, key, out)
        csv = check_against_runs(chainsim, scenario, base, key, out, session, typed, work)
        bad_command_lines(chainsim, source, work, port)
        still_serving(base, "the whole test")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = "hung"
    check(code == 0, f"SIGTERM: exit {code}")
    proc, base, key, port = start(chainsim, scenario, out, (), log)
    try:
        state = json.loads(request(base, "GET", f"/api/teacher?key={key}")[1])
        ids = [s["id"] for s in state["sessions"]]
        check(ids == [session], f"after a restart the sessions are {ids}")
        check(request(base, "GET", f"/orders/{session}.csv?key={key}")[1] == csv, "after a restart, the same CSV")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    timer(chainsim, scenario, work)
    errors = [line for line in open(log) if "error" in line]
    check(not errors, f"the server's standard error: {errors[:5]}")
    if failures:
        print(f"{len(failures)} failures", file=sys.stderr)
        return 1
    print("chainsim serve: hostile requests refused, a class of two teams played, the debrief is the run, "
          "a restart keeps the games")
    return 0


if __name__ == "__main__":
    sys.exit(main())
