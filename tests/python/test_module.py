"""The Python module (python/, docs/python.md), run by CTest with pytest.

Environment: PYTHONPATH has the built package; CHAINSIM_EXE is the command
line program (results must agree with it); CHAINSIM_SOURCE_DIR the tree.
"""
import json
import math
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import chainsim

ROOT = os.environ["CHAINSIM_SOURCE_DIR"]
EXE = os.environ["CHAINSIM_EXE"]
SERIAL = os.path.join(ROOT, "tests", "bench", "serial_chain.yaml")
REGIME = os.path.join(ROOT, "scenarios", "regime_change.yaml")
OPERATING = ("cost_holding", "cost_backorder", "cost_lost_sale", "cost_ordering", "cost_transport",
             "cost_production")


def serial(horizon=200, **sets):
    return chainsim.load(SERIAL, set={"horizon": horizon, **sets})


def test_a_run_gives_what_the_command_line_gives(tmp_path):
    s = chainsim.load(os.path.join(ROOT, "scenarios", "serial_base_stock.yaml"))
    r = s.run(replications=4, seed=9, jobs=2)
    subprocess.run([EXE, "run", s.file, "--replications", "4", "--seed", "9", "--out", str(tmp_path),
                    "--quiet", "--no-report", "--timeseries", "none"], check=True)
    with open(tmp_path / "summary.json") as f:
        summary = json.load(f)
    compared = 0
    for scope in ("network",):
        for kpi, v in summary["kpis"][scope].items():
            if isinstance(v, dict) and "mean" in v and v["mean"] is not None:
                assert r.kpi(scope, "", kpi)["mean"] == pytest.approx(v["mean"], rel=1e-12, abs=1e-12), kpi
                compared += 1
    assert compared >= 10
    assert r.replications == 4


def test_replications_are_kept_with_the_summary_and_jobs_do_not_change_them():
    s = serial()
    one = s.run(replications=6, seed=3, jobs=1)
    two = s.run(replications=6, seed=3, jobs=2)
    assert one.kpi_values.shape == (6, len(one.kpi_keys))
    assert np.array_equal(one.kpi_values, two.kpi_values, equal_nan=True)
    cost = one.values("network", "", "total_cost")
    assert one.kpi("network", "", "total_cost")["mean"] == pytest.approx(cost.mean(), rel=1e-12)
    assert one.kpi("network", "", "total_cost")["n"] == 6
    other_seed = s.run(replications=6, seed=4)
    assert not np.array_equal(one.values("network", "", "total_cost"), other_seed.values("network", "", "total_cost"))
    with pytest.raises(KeyError, match="no KPI network//no_such_kpi"):
        one.kpi("network", "", "no_such_kpi")


def test_the_time_series_are_numpy_arrays_of_periods_by_stocks():
    s = serial(horizon=50)
    r = s.run(replications=3, seed=1)
    assert r.stocks == ["factory/item", "distributor/item", "wholesaler/item", "retailer/item"]
    on_hand = r.series["on_hand"]
    assert isinstance(on_hand, np.ndarray) and on_hand.shape == (50, 4)
    assert r.series_sd["on_hand"].shape == (50, 4)
    assert set(r.series) == {name for name, _ in chainsim._core.series_columns()}
    # Little's law-like bookkeeping: the mean on hand over the run is the KPI's.
    retail = r.series["on_hand"][:, 3].mean()
    assert retail == pytest.approx(r.kpi("stock", "retailer/item", "on_hand_mean")["mean"], rel=0.05)
    assert not s.run(replications=1, series=False).series
    pd = pytest.importorskip("pandas")
    frame = r.series_frame()
    assert len(frame) == 200 and list(frame.columns[:2]) == ["period", "stock"]
    table = r.to_pandas()
    assert isinstance(table, pd.DataFrame) and {"scope", "kpi", "mean", "low", "high"} <= set(table.columns)


def test_bad_input_raises_scenario_error_with_every_file_line_col_message():
    with pytest.raises(chainsim.ScenarioError) as e:
        chainsim.load(SERIAL, set={"horizon": -5, "nodes.retailer.policy.S": "many"})
    lines = e.value.diagnostics
    assert len(lines) == 2
    assert all(": error: " in line for line in lines)
    assert any("horizon" in line for line in lines) and any("nodes.retailer.policy.S" in line for line in lines)
    assert str(e.value) == "\n".join(lines)
    with pytest.raises(chainsim.ScenarioError, match="no_such_file.yaml"):
        chainsim.load(os.path.join(ROOT, "no_such_file.yaml"))
    with pytest.raises(chainsim.ScenarioError, match=r"<text>:2:\d+: error: "):
        chainsim.load("name: x\nhorizon: [1, 2]\n")
    with pytest.raises(ValueError, match="finite"):
        chainsim.load(SERIAL, set={"horizon": float("nan")})
    with pytest.raises(ValueError, match="replications must be >= 1"):
        serial().run(replications=0)


def test_a_scenario_from_text_and_with_more_overrides():
    with open(SERIAL) as f:
        text = f.read()
    s = chainsim.load(text, set=["horizon=30"])
    assert s.horizon == 30 and s.file == "<text>"
    t = s.with_set({"nodes.retailer.policy.S": 60})
    assert t.horizon == 30
    assert "S: 60" in t.yaml
    assert t.run(replications=2).kpi("stock", "retailer/item", "on_hand_mean")["mean"] > \
        s.run(replications=2).kpi("stock", "retailer/item", "on_hand_mean")["mean"]


def play(env, policy, **reset):
    obs = env.reset(**reset)
    total, steps, done = 0.0, 0, False
    while not done:
        obs, reward, done, info = env.step(policy(obs, info if steps else env.info))
        total += reward
        steps += 1
    assert not obs.any()  # zeros at the end
    return total, steps


def test_a_python_base_stock_agent_gives_the_scenario_own_run_bit_for_bit():
    s = serial(horizon=365)
    own = s.run(replications=1, seed=5)
    env = s.environment(seed=5, agents="retailer")
    assert env.agents == ["retailer/item"]
    assert env.observation_space["names"] == chainsim.OBSERVATION_FIELDS
    position = chainsim.OBSERVATION_FIELDS.index("position")
    total, steps = play(env, lambda obs, info: max(0.0, 40.0 - obs[position]))
    assert steps == 365
    kpis = env.kpis()
    for j, key in enumerate(own.kpi_keys):
        a, b = own.kpi_values[0, j], kpis[key]
        assert a == b or (math.isnan(a) and math.isnan(b)), key
    operating = sum(v for k in OPERATING if not math.isnan(v := kpis[("network", "", k)]))
    assert total == pytest.approx(-operating, rel=1e-9)


def test_several_agents_take_turns_and_misuse_is_refused():
    s = serial(horizon=20)
    env = s.environment(agents=["retailer", "wholesaler"], seed=1)
    seen = []
    position = chainsim.OBSERVATION_FIELDS.index("position")

    def policy(obs, info):
        seen.append(info["agent"])
        return max(0.0, 40.0 - obs[position])

    play(env, policy)
    assert seen[:4] == ["retailer/item", "wholesaler/item"] * 2 and len(seen) == 40
    with pytest.raises(ValueError, match="agent 'brewer': no such node"):
        s.environment(agents="brewer")
    with pytest.raises(ValueError, match="reward must be 'cost' or 'profit'"):
        s.environment(reward="happiness")
    with pytest.raises(RuntimeError, match="reset first"):
        s.environment().step(1)
    env.reset()
    with pytest.raises(ValueError, match="an order must be a finite number >= 0"):
        env.step(-3)
    env.step(np.array([4.0]))  # an action array of one


def test_the_gil_is_released_while_simulating():
    s = serial(horizon=20000)
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=count)
    t.start()
    before = len(ticks)
    start = time.monotonic()
    s.run(replications=4, series=False)
    elapsed = time.monotonic() - start
    during = len(ticks) - before
    stop.set()
    t.join()
    # Held, the counter could not run at all while the run lasted.
    assert elapsed < 0.02 or during >= 2


def test_compare_pairs_the_replications_as_the_command_line_does():
    base = serial(horizon=200)
    more = base.with_set({"nodes.retailer.policy.S": 60})
    c = chainsim.compare(base, more, replications=5, seed=2)
    row = next(x for x in c if x["scope"] == "stock" and x["name"] == "retailer/item" and x["kpi"] == "on_hand_mean")
    assert row["significant"] and row["difference"]["mean"] > 10
    assert row["difference"]["mean"] == pytest.approx(row["variant"]["mean"] - row["baseline"]["mean"], rel=1e-9)
    assert row["difference"]["n"] == 5


def test_sweep_runs_a_grid_and_each_point_is_the_run_at_its_values(tmp_path):
    out = chainsim.sweep(SERIAL, {"nodes.retailer.policy.S": [30, 50]}, replications=3, seed=4, jobs=2,
                         set={"horizon": 100}, out=tmp_path / "sweep")
    assert out["points"] == 2 and len(out["rows"]) == 6
    assert os.path.exists(tmp_path / "sweep" / "sweep.json")
    row = next(x for x in out["summary"] if x["point"] == 1 and x["kpi"] == "network.total_cost")
    assert row["nodes.retailer.policy.S"] == 50
    direct = serial(horizon=100, **{"nodes.retailer.policy.S": 50}).run(replications=3, seed=4)
    assert row["mean"] == pytest.approx(direct.kpi("network", "", "total_cost")["mean"], rel=1e-9)
    with pytest.raises(chainsim.ScenarioError, match="nodes.shop.policy.S"):
        chainsim.sweep(SERIAL, {"nodes.shop.policy.S": [1, 2]}, out=tmp_path / "bad")


def test_the_example_policy_beats_base_stock_on_the_regime_change():
    result = subprocess.run([sys.executable, os.path.join(ROOT, "docs", "examples", "regime_change.py")],
                            capture_output=True, text=True, env=dict(os.environ))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoothed order-up-to" in result.stdout


def test_optimize_finds_the_base_stock_optimum_as_the_command_line_does(tmp_path):
    single = os.path.join(ROOT, "tests", "validation", "optimize", "single_stage.yaml")
    r = chainsim.optimize(single, {"nodes.shop.policy.S": "6:26:1"}, minimize="network.total_cost",
                          indifference=200, seed=1, jobs=2)
    assert r["method"] == "kim-nelson" and r["guarantee"]
    assert r["best"]["values"] == {"nodes.shop.policy.S": "14"}  # the critical fractile (validation.md)
    assert len(r["trace"]["point"]) == r["runs"] and r["trace"]["objective"].dtype == np.float64
    subprocess.run([EXE, "optimize", single, "--vary", "nodes.shop.policy.S=6:26:1", "--minimize",
                    "network.total_cost", "--indifference", "200", "--seed", "1", "--out", str(tmp_path),
                    "--quiet"], check=True)
    with open(tmp_path / "optimize.json") as f:
        cli = json.load(f)
    assert cli["best"]["values"] == r["best"]["values"] and cli["runs"] == r["runs"]
    assert cli["best"]["objective"]["mean"] == pytest.approx(r["best"]["objective"]["mean"], rel=1e-12)
    with pytest.raises(ValueError, match="minimize=KPI or maximize=KPI"):
        chainsim.optimize(single, {"nodes.shop.policy.S": [1, 2]}, indifference=1)
    with pytest.raises(chainsim.ScenarioError, match="no KPI column 'network.nope'"):
        chainsim.optimize(single, {"nodes.shop.policy.S": [10, 12]}, minimize="network.nope", indifference=1)
    with pytest.raises(ValueError, match="write KPI>=VALUE or KPI<=VALUE"):
        chainsim.optimize(single, {"nodes.shop.policy.S": [10, 12]}, minimize="network.total_cost",
                          subject_to=["fill_rate=1"], indifference=1)
