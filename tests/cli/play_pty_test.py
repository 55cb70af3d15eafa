#!/usr/bin/env python3
"""chainsim play, driven in a pseudo-terminal as a student plays it.

usage: play_pty_test.py CHAINSIM ROOT WORKDIR

Plays the beer game as the wholesaler: a full game with a bad answer of each
kind on the way (letters, a negative, a huge number, an empty line), then
checks the written scenario replays to the same files with chainsim run; a
game quit with q after three weeks; a game ended by end of input; a role
that does not exist. Exits non-zero on the first failure.
"""
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def play(chainsim, args, answers, cwd, close_early=False, timeout=60):
    """Runs chainsim play in a pty, answering each prompt with the next answer.

    Returns (exit status, everything it printed)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        os.execv(chainsim, [chainsim, "play"] + args)
    out = b""
    pending = list(answers)
    deadline = time.time() + timeout
    prompts_answered = 0
    while True:
        if time.time() > deadline:
            os.kill(pid, 9)
            fail("chainsim play did not finish in time; it printed:\n" + out.decode(errors="replace")[-2000:])
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break  # the child closed the terminal
            if not chunk:
                break
            out += chunk
            prompts = out.count(b"order (whole units, q to quit): ")
            while prompts_answered < prompts:
                prompts_answered += 1
                if pending:
                    os.write(fd, (pending.pop(0) + "\n").encode())
                elif close_early:
                    os.write(fd, b"\x04")  # ctrl-D: end of input at the terminal
                else:
                    os.write(fd, b"4\n")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def main():
    chainsim, root, work = (os.path.abspath(a) for a in sys.argv[1:4])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    scenario = os.path.join(root, "scenarios", "beer_game.yaml")

    # A full game as the wholesaler, bad answers included.
    answers = ["4", "abc", "-3", "99999999999", "", "8"] + ["6"] * 34
    status, out = play(chainsim, [scenario, "--role", "wholesaler", "--out", "full"], answers, work)
    if status != 0:
        fail(f"a full game exited {status}:\n{out[-2000:]}")
    for bad in ["'abc' is not an order", "'-3' is not an order", "'99999999999' is not an order"]:
        if bad not in out:
            fail(f"no '{bad}' message for a bad answer")
    if "week 36 of 36" not in out or "you are the wholesaler" not in out:
        fail("the game did not show 36 weeks of the wholesaler")
    if "Debrief" not in out or "<- you" not in out:
        fail("no debrief")
    full = os.path.join(work, "full")
    for f in ["played.yaml", "summary.json", "timeseries.csv", "report.html", "manifest.json"]:
        if not os.path.exists(os.path.join(full, f)):
            fail(f"the game wrote no {f}")
    # chainsim run of the written scenario is the game, to the byte.
    subprocess.run([chainsim, "run", "full/played.yaml", "--quiet", "--out", "replay"], cwd=work, check=True)
    if open(os.path.join(full, "timeseries.csv")).read() != open(os.path.join(work, "replay", "timeseries.csv")).read():
        fail("chainsim run of played.yaml does not reproduce the game's timeseries.csv")
    played = json.load(open(os.path.join(full, "summary.json")))
    replayed = json.load(open(os.path.join(work, "replay", "summary.json")))
    if played["kpis"] != replayed["kpis"]:
        fail("chainsim run of played.yaml does not reproduce the game's KPIs")
    # The player's orders are the wholesaler's orders in the files.
    rows = [line.split(",") for line in open(os.path.join(full, "timeseries.csv")).read().splitlines()]
    head = rows[0]
    ordered = [float(r[head.index("ordered")]) for r in rows[1:] if r[head.index("node")] == "wholesaler"]
    if ordered[:3] != [4.0, 8.0, 6.0] or len(ordered) != 36:
        fail(f"the wholesaler's orders in timeseries.csv are not the ones typed: {ordered[:5]}...")

    # q after three weeks: the three weeks are written.
    status, out = play(chainsim, [scenario, "--out", "quit"], ["5", "5", "5", "q"], work)
    if status != 0 or "horizon: 3" not in open(os.path.join(work, "quit", "played.yaml")).read():
        fail(f"quitting after three weeks did not write a three-week game (exit {status})")

    # End of input (ctrl-D) after two weeks: the same.
    status, out = play(chainsim, [scenario, "--out", "eof"], ["7", "7"], work, close_early=True)
    if status != 0 or "horizon: 2" not in open(os.path.join(work, "eof", "played.yaml")).read():
        fail(f"end of input after two weeks did not write a two-week game (exit {status}):\n{out[-1500:]}")

    # A role that is not a node: refused before anything is shown or written.
    r = subprocess.run([chainsim, "play", scenario, "--role", "brewer", "--out", "none"], cwd=work,
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if r.returncode != 2 or "no node 'brewer'" not in r.stderr or os.path.exists(os.path.join(work, "none")):
        fail(f"an unknown role: exit {r.returncode}, {r.stderr!r}")
    print("chainsim play: a full game, q, end of input and a bad role behave")


if __name__ == "__main__":
    main()
