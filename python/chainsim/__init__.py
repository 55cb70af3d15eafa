"""chainsim from Python: load a scenario, run it, compare, sweep and optimize, and step it.

    import chainsim
    s = chainsim.load("scenarios/beer_game.yaml", set={"horizon": 52})
    r = s.run(replications=20, jobs=4)
    r.kpi("network", "", "total_cost")     # {'mean': ..., 'low': ..., 'high': ..., ...}
    r.series["on_hand"]                    # NumPy array, periods x stocks (mean over replications)

    env = s.environment(seed=1, agents=["retailer"])
    obs = env.reset()
    while True:
        obs, reward, done, info = env.step(max(0, 20 - obs[4]))
        if done:
            break

docs/python.md has the whole walkthrough. The simulation is chainsim's C++ core
(chainsim._core); the GIL is released while it runs.
"""
from __future__ import annotations

import csv
import json
import math
import os
import tempfile
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from . import _core

__version__ = _core.__version__
__all__ = ["load", "compare", "sweep", "optimize", "Scenario", "Results", "Environment", "ScenarioError", "ModelError",
           "OBSERVATION_FIELDS"]


class ScenarioError(ValueError):
    """A scenario that does not load or check.

    str(error) has every problem, one a line, as the command line prints them
    (``file:line:col: error: key.path: what is wrong (got X)``); ``diagnostics``
    is the list of those lines.
    """

    def __init__(self, message: str, diagnostics: Sequence[str] = ()):
        super().__init__(message)
        self.diagnostics = list(diagnostics) if diagnostics else [message]


_core._set_scenario_error(ScenarioError)
ModelError = _core.ModelError

# What an observation holds, in order (docs/python.md).
OBSERVATION_FIELDS = ("period", "on_hand", "backlog", "on_order", "position", "demand_signal")


def _yaml_value(value: Any) -> str:
    """A Python value as the YAML text of an override."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise ValueError(f"an override must be a finite number (got {value})")
        return repr(float(value))
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value)  # JSON is YAML's flow style
    raise TypeError(f"an override's value must be a number, a string, a list or a dict (got {type(value).__name__})")


def _overrides(set: Mapping[str, Any] | Iterable[str] | None) -> list[str]:
    if set is None:
        return []
    if isinstance(set, Mapping):
        return [f"{path}={_yaml_value(v)}" for path, v in set.items()]
    if isinstance(set, str):
        return [set]
    return [str(s) for s in set]


def load(source: str | os.PathLike, set: Mapping[str, Any] | Iterable[str] | None = None,
         allow_dirs: Iterable[str | os.PathLike] = ()) -> "Scenario":
    """Loads a scenario from a file path, or from YAML text (a string with a newline).

    ``set`` overrides keys as ``chainsim run --set`` does: a dict
    ``{"nodes.retailer.policy.S": 40}`` or a list of ``"path=value"`` strings.
    ``allow_dirs``: folders besides the scenario's own whose files it may read.
    Raises ScenarioError with every problem found.
    """
    sets = _overrides(set)
    dirs = [os.fspath(d) for d in allow_dirs]
    if isinstance(source, os.PathLike) or "\n" not in source:
        path = os.fspath(source)
        return Scenario(_core.load_path(path, sets, dirs), ("path", path), sets, dirs)
    return Scenario(_core.load_text(source, "<text>", os.getcwd(), sets, dirs), ("text", source), sets, dirs)


class Scenario:
    """A loaded, checked scenario (``chainsim.load``)."""

    def __init__(self, core, source, sets, dirs):
        self._core = core
        self._source = source
        self._sets = list(sets)
        self._dirs = list(dirs)

    name = property(lambda self: self._core.name)
    file = property(lambda self: self._core.file)
    horizon = property(lambda self: self._core.horizon)
    seed = property(lambda self: self._core.seed)
    replications = property(lambda self: self._core.replications)
    nodes = property(lambda self: list(self._core.nodes))
    yaml = property(lambda self: self._core.yaml, doc="The scenario as run (after extends and overrides), as YAML.")
    warnings = property(lambda self: list(self._core.warnings))

    def with_set(self, set: Mapping[str, Any] | Iterable[str]) -> "Scenario":
        """The same scenario with more overrides (applied after this one's)."""
        kind, src = self._source
        sets = self._sets + _overrides(set)
        if kind == "path":
            return Scenario(_core.load_path(src, sets, self._dirs), self._source, sets, self._dirs)
        return Scenario(_core.load_text(src, "<text>", os.getcwd(), sets, self._dirs), self._source, sets, self._dirs)

    def run(self, replications: int | None = None, seed: int | None = None, jobs: int = 1,
            series: bool = True) -> "Results":
        """Runs the replications (the scenario's count and seed unless given) on ``jobs`` threads."""
        reps = self.replications if replications is None else int(replications)
        if reps < 1:
            raise ValueError(f"replications must be >= 1 (got {reps})")
        if int(jobs) < 1:
            raise ValueError(f"jobs must be >= 1 (got {jobs})")
        raw = _core.run(self._core, reps, self.seed if seed is None else int(seed), int(jobs), bool(series))
        return Results(raw)

    def environment(self, seed: int | None = None, agents: Iterable[str] | str | None = None,
                    reward: str = "cost", replication: int = 0) -> "Environment":
        """A step environment in which ``agents`` (nodes, or "node/product" stocks) order
        instead of their policies; see Environment."""
        if isinstance(agents, str):
            agents = [agents]
        return Environment(self, list(agents or []), reward, self.seed if seed is None else int(seed), replication)

    def __repr__(self) -> str:
        return f"<chainsim.Scenario {self.name!r}: {len(self.nodes)} nodes, horizon {self.horizon}>"


class Results:
    """What ``Scenario.run`` returns.

    ``summary``: {(scope, name, kpi): {"mean", "half_width", "low", "high", "stddev", "n"}}
    across replications (95% Student t). ``kpi_keys`` and ``kpi_values``: every
    replication's KPIs, a (replications x KPIs) array with its column keys.
    ``series``: {column: array (periods x stocks)}, each cell the mean across
    replications (``series_sd`` its standard deviation); ``stocks`` names the
    stock axis ("node/product").
    """

    def __init__(self, raw: dict):
        self.summary: dict = raw["summary"]
        self.kpi_keys: list = [tuple(k) for k in raw["kpi_keys"]]
        self.kpi_values: np.ndarray = raw["kpi_values"]
        self.series: dict = raw["series"]
        self.series_sd: dict = raw["series_sd"]
        self.stocks: list = list(raw["stocks"])
        self.horizon: int = raw["horizon"]
        self.deterministic: bool = raw["deterministic"]

    @property
    def replications(self) -> int:
        return int(self.kpi_values.shape[0])

    def kpi(self, scope: str, name: str, kpi: str) -> dict:
        """The summary of one KPI; KeyError naming it when the run has none."""
        try:
            return self.summary[(scope, name, kpi)]
        except KeyError:
            raise KeyError(f"no KPI {scope}/{name}/{kpi} in this run") from None

    def values(self, scope: str, name: str, kpi: str) -> np.ndarray:
        """One KPI's value in every replication."""
        try:
            j = self.kpi_keys.index((scope, name, kpi))
        except ValueError:
            raise KeyError(f"no KPI {scope}/{name}/{kpi} in this run") from None
        return self.kpi_values[:, j]

    def to_pandas(self):
        """The summary as a pandas DataFrame (needs pandas)."""
        import pandas as pd  # optional: only this method needs it
        rows = [dict(scope=k[0], name=k[1], kpi=k[2], **v) for k, v in self.summary.items()]
        return pd.DataFrame(rows, columns=["scope", "name", "kpi", "mean", "half_width", "low", "high", "stddev", "n"])

    def series_frame(self):
        """The mean time series as a tidy pandas DataFrame: period, stock, then a column each."""
        import pandas as pd
        periods = next(iter(self.series.values())).shape[0] if self.series else 0
        frame = {"period": np.repeat(np.arange(periods), len(self.stocks)),
                 "stock": np.tile(np.array(self.stocks, dtype=object), periods)}
        for column, a in self.series.items():
            frame[column] = a.reshape(-1)
        return pd.DataFrame(frame)


class Environment:
    """A scenario stepped one decision at a time (Gym's conventions, without Gym).

    The agents (stocks) order instead of their replenishment policies. At each
    review of an agent's stock the run stops and ``step`` returns what the policy
    would have seen:

        obs, reward, done, info = env.step(order)

    ``obs`` is a float64 array of OBSERVATION_FIELDS (the period, on hand,
    backlog, on order, position = on hand + on order - backlog, the demand seen
    since the previous review); ``info`` names the agent deciding ("agent", its
    index "agent_index"), the "time" and, with shared customer state, the
    "expected_demand". ``reward`` is what happened since the previous decision:
    minus the network's operating costs (reward="cost") or the change in its
    profit (reward="profit"). The order (a number >= 0) goes through the stock's
    order adjustments (lot size, minimum, maximum) as a policy's would. At the end
    ``done`` is True, obs is zeros, and ``kpis()`` has the run's KPIs.
    """

    def __init__(self, scenario: Scenario, agents: list, reward: str, seed: int, replication: int):
        self._env = _core.Environment(scenario._core, agents, reward)
        self.seed = seed
        self.replication = replication
        self.agents = list(self._env.agents)
        n = len(OBSERVATION_FIELDS)
        low = np.zeros(n)
        low[4] = -np.inf  # position may be negative (backlog)
        self.observation_space = {"shape": (n,), "dtype": "float64", "low": low, "high": np.full(n, np.inf),
                                  "names": OBSERVATION_FIELDS}
        self.action_space = {"shape": (), "dtype": "float64", "low": 0.0, "high": np.inf}

    def _unpack(self, t):
        done, agent, obs, reward, time, expected = t
        info = {"agent": self.agents[agent], "agent_index": agent, "time": time}
        if not math.isnan(expected):
            info["expected_demand"] = expected
        return obs, reward, done, info

    def reset(self, seed: int | None = None, replication: int | None = None):
        """Starts the run afresh (this seed and replication unless given); returns the first observation."""
        if seed is not None:
            self.seed = int(seed)
        if replication is not None:
            self.replication = int(replication)
        obs, _, done, info = self._unpack(self._env.reset(self.seed, self.replication))
        self.info = info
        return obs

    def step(self, order):
        """Orders ``order`` units for the agent deciding; runs to the next decision or the end."""
        q = float(np.asarray(order, dtype=float).reshape(-1)[0]) if np.ndim(order) else float(order)
        return self._unpack(self._env.step(q))

    @property
    def done(self) -> bool:
        return self._env.done

    def kpis(self) -> dict:
        """The finished run's KPIs: {(scope, name, kpi): value}."""
        return {(s, n, k): v for s, n, k, v in self._env.kpis()}


def _as_path(scenario: Scenario | str | os.PathLike) -> tuple[str, list]:
    if isinstance(scenario, Scenario):
        kind, src = scenario._source
        if kind != "path":
            raise ValueError("a sweep needs a scenario loaded from a file")
        return src, scenario._sets
    return os.fspath(scenario), []


def compare(baseline: Scenario, variant: Scenario, replications: int | None = None, seed: int | None = None,
            jobs: int = 1, level: float = 0.95):
    """Compares two scenarios KPI by KPI under common random numbers, as ``chainsim compare``:
    a list of {"scope", "name", "kpi", "baseline", "variant", "difference" (paired, variant -
    baseline), "significant" (its interval excludes 0), "exact", "relative"}."""
    reps = baseline.replications if replications is None else int(replications)
    return Comparison(_core.compare(baseline._core, variant._core, reps,
                                    baseline.seed if seed is None else int(seed), int(jobs), float(level)))


class Comparison(list):
    def to_pandas(self):
        import pandas as pd
        rows = []
        for c in self:
            row = {"scope": c["scope"], "name": c["name"], "kpi": c["kpi"]}
            for part in ("baseline", "variant", "difference"):
                row[f"{part}_mean"] = c[part]["mean"]
                row[f"{part}_half_width"] = c[part]["half_width"]
            row["significant"] = c["significant"]
            rows.append(row)
        return pd.DataFrame(rows)


def sweep(scenario: Scenario | str | os.PathLike, vary: Mapping[str, Any] | Iterable[str], design: str = "grid",
          samples: int = 0, replications: int | None = None, seed: int | None = None, jobs: int = 1,
          out: str | os.PathLike | None = None, resume: bool = False, set=None,
          allow_dirs: Iterable[str | os.PathLike] = ()) -> dict:
    """Runs a sweep as ``chainsim sweep`` does and returns its rows.

    ``vary``: {path: values} with a list of values, "from:to:step" or "low:high"
    (lhs), or a list of the command line's "PATH=SPEC" strings. The files are
    written to ``out`` (a temporary folder when None). Returns {"rows": the
    sweep.csv rows, "summary": the sweep_summary.csv rows (dicts of floats
    where numeric), "out": the folder, "points", "replications"}.
    """
    path, sets = _as_path(scenario)
    sets = sets + _overrides(set)
    params = _params(vary)
    folder = os.fspath(out) if out is not None else tempfile.mkdtemp(prefix="chainsim-sweep-")
    report = _core.sweep(path, sets, params, design, int(samples), replications, seed, folder, int(jobs),
                         bool(resume), [os.fspath(d) for d in allow_dirs])
    return {"rows": _read_csv(os.path.join(folder, "sweep.csv")),
            "summary": _read_csv(os.path.join(folder, "sweep_summary.csv")),
            "out": folder, "points": report["points"], "replications": report["replications"]}


def _params(vary: Mapping[str, Any] | Iterable[str]) -> list:
    """{path: values or SPEC} or ["PATH=SPEC", ...] as the command line's PATH=SPEC strings."""
    if isinstance(vary, Mapping):
        params = []
        for p, v in vary.items():
            spec = ",".join(_yaml_value(x) for x in v) if isinstance(v, (list, tuple, np.ndarray)) else str(v)
            params.append(f"{p}={spec}")
        return params
    return [str(v) for v in vary]


def _number(text: str):
    if text == "":
        return math.nan
    try:
        return float(text)
    except ValueError:
        return text


def _read_csv(path: str) -> list:
    with open(path, newline="") as f:
        return [{k: _number(v) for k, v in row.items()} for row in csv.DictReader(f)]


def optimize(scenario: Scenario | str | os.PathLike, vary: Mapping[str, Any] | Iterable[str], *,
             minimize: str | None = None, maximize: str | None = None, subject_to: Iterable[str] = (),
             tolerance: float | None = None, indifference: float, alpha: float = 0.05, first_stage: int = 10,
             budget: int = 20000, method: str = "auto", seed: int | None = None, jobs: int = 1, set=None,
             allow_dirs: Iterable[str | os.PathLike] = ()) -> dict:
    """Finds the best point of a grid for a KPI, as ``chainsim optimize`` does (docs/optimize.md).

    ``vary`` as in ``sweep`` (lists or "from:to:step" ranges); ``minimize`` or
    ``maximize`` a KPI column ("network.total_cost"); ``subject_to`` constraints
    "KPI>=x" / "KPI<=x" with ``tolerance``; ``indifference`` the difference worth
    finding. Returns what optimize.json holds ({"best": {"values", "objective",
    "constraints"}, "runners_up", "guarantee", "guarantee_text", "stopped", "method",
    "runs", "settings", ...}; docs/optimize.md), and "trace": {"phase", "point",
    "replication", "objective", "constraints"} as NumPy arrays.
    """
    if (minimize is None) == (maximize is None):
        raise ValueError("give the objective: minimize=KPI or maximize=KPI")
    path, sets = _as_path(scenario)
    sets = sets + _overrides(set)
    params = _params(vary)
    raw = _core.optimize(path, sets, params, minimize or maximize, maximize is not None, list(subject_to),
                         tolerance, float(indifference), float(alpha), int(first_stage), int(budget), method,
                         seed, int(jobs), [os.fspath(d) for d in allow_dirs])
    result = json.loads(raw["json"])  # optimize.json's content, as the command writes it
    result["trace"] = raw["trace"]
    return result
