// chainsim._core: the bindings under the Python package `chainsim`
// (python/chainsim/__init__.py, docs/python.md). Thin: each call hands its
// arguments to the models layer and turns the results into Python values and
// NumPy arrays; the package's Python side shapes them for the user. The GIL
// is released while anything simulates.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "chainsim_version.h"
#include "models/chain/spec_checks.h"
#include "models/experiment/compare.h"
#include "models/experiment/environment.h"
#include "models/experiment/experiment.h"
#include "models/experiment/optimize.h"
#include "models/experiment/sweep.h"
#include "models/measure/series.h"
#include "models/scenario/loader.h"

namespace py = pybind11;
using namespace chainsim::models;

namespace {

// A loaded scenario: the spec, and the document as run (its YAML).
struct Scenario {
  LoadedScenario loaded;
};

Scenario load_path(const std::string& path, const std::vector<std::string>& sets,
                   const std::vector<std::string>& allow_dirs) {
  return Scenario{load_scenario(path, LoadOptions(sets, "set", allow_dirs))};
}

Scenario load_text(const std::string& text, const std::string& name, const std::string& base_dir,
                   const std::vector<std::string>& sets, const std::vector<std::string>& allow_dirs) {
  return Scenario{load_scenario_text(text, name, base_dir, LoadOptions(sets, "set", allow_dirs))};
}

py::dict interval_dict(const chainsim::sim::Interval& i) {
  py::dict d;
  d["mean"] = i.mean;
  d["half_width"] = i.half_width;
  d["low"] = i.lower();
  d["high"] = i.upper();
  d["stddev"] = i.stddev;
  d["n"] = i.n;
  return d;
}

py::tuple key_of(const std::string& scope, const std::string& name, const std::string& kpi) {
  return py::make_tuple(scope, name, kpi);
}

// What Scenario.run returns to the Python side (which wraps it in Results).
py::dict run(const Scenario& s, int replications, std::uint64_t seed, int jobs, bool series) {
  ExperimentOptions o;
  o.seed = seed;
  o.replications = replications;
  o.jobs = jobs;
  o.series = series ? SeriesMode::kMean : SeriesMode::kNone;
  o.spec_checked = true;
  ExperimentResult r;
  {
    py::gil_scoped_release release;
    r = run_experiment(s.loaded.spec, o);
  }
  py::dict out;
  py::dict summary;
  for (const KpiSummary& k : r.summary) summary[key_of(k.scope, k.name, k.kpi)] = interval_dict(k.interval);
  out["summary"] = summary;
  py::list keys;
  const std::size_t n_kpis = r.kpis.empty() ? 0 : r.kpis.front().values.size();
  if (!r.kpis.empty()) {
    for (const KpiValue& v : r.kpis.front().values) keys.append(key_of(v.scope, v.name, v.kpi));
  }
  out["kpi_keys"] = keys;
  py::array_t<double> values({r.kpis.size(), n_kpis});
  auto w = values.mutable_unchecked<2>();
  for (std::size_t i = 0; i < r.kpis.size(); ++i) {
    for (std::size_t j = 0; j < n_kpis; ++j) {
      w(i, j) = j < r.kpis[i].values.size() ? r.kpis[i].values[j].value : std::nan("");
    }
  }
  out["kpi_values"] = values;
  py::list stocks;
  for (const auto& st : r.info.stocks) stocks.append(st.name);
  out["stocks"] = stocks;
  out["horizon"] = r.info.horizon;
  out["deterministic"] = r.deterministic;
  py::dict mean, sd;
  if (r.series) {
    const SeriesAccumulator& a = *r.series;
    for (const std::size_t c : a.columns()) {
      py::array_t<double> m({a.periods(), a.stocks()}), v({a.periods(), a.stocks()});
      auto mw = m.mutable_unchecked<2>();
      auto vw = v.mutable_unchecked<2>();
      for (std::size_t p = 0; p < a.periods(); ++p) {
        for (std::size_t st = 0; st < a.stocks(); ++st) {
          const CellStats cell = a.at(p, st, c);
          mw(p, st) = cell.mean();
          vw(p, st) = cell.stddev();
        }
      }
      mean[py::str(series_columns()[c].name)] = m;
      sd[py::str(series_columns()[c].name)] = v;
    }
  }
  out["series"] = mean;
  out["series_sd"] = sd;
  return out;
}

py::list compare(const Scenario& baseline, const Scenario& variant, int replications, std::uint64_t seed, int jobs,
                 double level) {
  CompareOptions o;
  o.seed = seed;
  o.replications = replications;
  o.jobs = jobs;
  o.level = level;
  Comparison c;
  {
    py::gil_scoped_release release;
    c = compare_scenarios(baseline.loaded.spec, variant.loaded.spec, o);
  }
  py::list out;
  for (const KpiComparison& k : c.kpis) {
    py::dict d;
    d["scope"] = k.scope;
    d["name"] = k.name;
    d["kpi"] = k.kpi;
    d["baseline"] = interval_dict(k.baseline);
    d["variant"] = interval_dict(k.variant);
    d["difference"] = interval_dict(k.difference);
    d["exact"] = k.exact;
    d["significant"] = k.excludes_zero;
    d["relative"] = k.relative;
    out.append(d);
  }
  return out;
}

// Runs a sweep into `out_dir` as `chainsim sweep` does (the package reads
// its files); returns what the report says.
py::dict sweep(const std::string& scenario, const std::vector<std::string>& sets,
               const std::vector<std::string>& params, const std::string& design, std::size_t samples,
               std::optional<int> replications, std::optional<std::uint64_t> seed, const std::string& out_dir,
               int jobs, bool resume, const std::vector<std::string>& allow_dirs) {
  SweepSpec spec;
  spec.scenario = scenario;
  spec.sets = sets;
  spec.params = parse_param_options(params);
  spec.design = design;
  spec.samples = samples;
  spec.replications = replications;
  spec.seed = seed;
  spec.allowed_dirs = allow_dirs;
  SweepOptions o;
  o.out_dir = out_dir;
  o.resume = resume;
  o.threads = jobs < 1 ? 1 : jobs;
  o.version = CHAINSIM_VERSION;
  o.git = CHAINSIM_GIT;
  ThreadExecutor executor(jobs);
  SweepReport r;
  {
    py::gil_scoped_release release;
    r = run_sweep(spec, o, executor);
  }
  py::dict out;
  out["points"] = r.points;
  out["replications"] = r.replications;
  out["runs"] = r.runs;
  out["runs_before"] = r.runs_before;
  out["model_note"] = r.model_note;
  return out;
}

// chainsim optimize from Python: optimize.json's text (the package parses
// it, so the two cannot drift apart) and the trace as arrays.
py::dict optimize(const std::string& scenario, const std::vector<std::string>& sets,
                  const std::vector<std::string>& vary, const std::string& objective, bool maximize,
                  const std::vector<std::string>& constraints, std::optional<double> tolerance, double delta,
                  double alpha, int first_stage, std::size_t budget, const std::string& method,
                  std::optional<std::uint64_t> seed, int jobs, const std::vector<std::string>& allow_dirs) {
  OptimizeSpec spec;
  spec.scenario = scenario;
  spec.sets = sets;
  spec.allowed_dirs = allow_dirs;
  spec.params = parse_param_options(vary);
  spec.objective = objective;
  spec.maximize = maximize;
  for (const std::string& c : constraints) spec.constraints.push_back(parse_constraint(c, tolerance));
  spec.delta = delta;
  spec.alpha = alpha;
  spec.first_stage = first_stage;
  spec.budget = budget;
  if (method != "auto" && method != "kn" && method != "compass") {
    throw std::invalid_argument("method must be 'auto', 'kn' or 'compass' (got '" + method + "')");
  }
  spec.method = method == "kn" ? OptimizeMethod::kKimNelson
                : method == "compass" ? OptimizeMethod::kCompass
                                      : OptimizeMethod::kAuto;
  spec.seed = seed;
  spec.jobs = jobs < 1 ? 1 : jobs;
  OptimizeResult r;
  {
    py::gil_scoped_release release;
    r = run_optimize(spec);
  }
  OptimizeMeta meta;
  meta.version = CHAINSIM_VERSION;
  meta.git = CHAINSIM_GIT;
  meta.scenario_file = scenario;
  meta.sets = sets;
  meta.scenario_yaml = to_yaml(load_scenario(scenario, LoadOptions(sets, "set", allow_dirs)).document);
  py::dict out;
  out["json"] = optimize_json(spec, r, meta);
  const std::size_t n = r.trace.size(), k = spec.constraints.size();
  py::array_t<std::int64_t> point(n), replication(n);
  py::array_t<double> value(n), cons({n, k});
  py::list phase;
  auto pw = point.mutable_unchecked<1>();
  auto rw = replication.mutable_unchecked<1>();
  auto vw = value.mutable_unchecked<1>();
  auto cw = cons.mutable_unchecked<2>();
  for (std::size_t i = 0; i < n; ++i) {
    pw(i) = static_cast<std::int64_t>(r.trace[i].point);
    rw(i) = r.trace[i].replication;
    vw(i) = r.trace[i].objective;
    for (std::size_t j = 0; j < k; ++j) cw(i, j) = r.trace[i].constraints[j];
    phase.append(r.trace[i].phase);
  }
  py::dict trace;
  trace["phase"] = phase;
  trace["point"] = point;
  trace["replication"] = replication;
  trace["objective"] = value;
  trace["constraints"] = cons;
  out["trace"] = trace;
  return out;
}

struct PyEnvironment {
  std::unique_ptr<Environment> env;
  std::mutex mutex;
};

// A decision as the Python side reads it: (done, agent, view fields, reward).
py::tuple decision_tuple(const EnvDecision& d) {
  const PolicyView& v = d.view;
  py::array_t<double> obs(6);
  auto w = obs.mutable_unchecked<1>();
  if (d.done) {
    for (int i = 0; i < 6; ++i) w(i) = 0.0;
  } else {
    w(0) = static_cast<double>(v.period);
    w(1) = v.on_hand;
    w(2) = v.backlog;
    w(3) = v.on_order;
    w(4) = v.position;
    w(5) = v.demand_signal;
  }
  return py::make_tuple(d.done, d.agent, obs, d.reward, v.now, v.expected_demand);
}

py::list kpi_list(const KpiSet& k) {
  py::list out;
  for (const KpiValue& v : k.values) out.append(py::make_tuple(v.scope.str(), v.name.str(), v.kpi.str(), v.value));
  return out;
}

void translate(std::exception_ptr p, PyObject* scenario_error, PyObject* model_error) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const LoadError& e) {
    py::list lines;
    for (const Diagnostic& d : e.diagnostics()) lines.append(d.format());
    py::object err = py::reinterpret_borrow<py::object>(scenario_error)(py::str("\n").attr("join")(lines), lines);
    PyErr_SetObject(scenario_error, err.ptr());
  } catch (const SpecError& e) {
    PyErr_SetString(scenario_error, e.what());
  } catch (const ModelError& e) {
    PyErr_SetString(model_error, e.what());
  }
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "chainsim's C++ core (use the package chainsim)";
  m.attr("__version__") = CHAINSIM_VERSION;
  // Kept for the life of the process (never destroyed after the interpreter).
  static auto* model_error = new py::exception<std::runtime_error>(m, "ModelError", PyExc_RuntimeError);
  // ScenarioError is defined in Python (it carries the diagnostics); the
  // package hands it over before anything loads.
  // (A strong reference kept for the life of the process.)
  static PyObject* scenario_error = nullptr;
  m.def("_set_scenario_error", [](py::object cls) {
    Py_XDECREF(scenario_error);
    scenario_error = cls.release().ptr();
  });
  py::register_exception_translator([](std::exception_ptr p) {
    translate(p, scenario_error != nullptr ? scenario_error : PyExc_ValueError, model_error->ptr());
  });

  py::class_<Scenario>(m, "Scenario")
      .def_property_readonly("name", [](const Scenario& s) { return s.loaded.spec.name; })
      .def_property_readonly("file", [](const Scenario& s) { return s.loaded.file; })
      .def_property_readonly("horizon", [](const Scenario& s) { return s.loaded.spec.horizon; })
      .def_property_readonly("seed", [](const Scenario& s) { return s.loaded.spec.seed; })
      .def_property_readonly("replications", [](const Scenario& s) { return s.loaded.spec.replications; })
      .def_property_readonly("nodes",
                             [](const Scenario& s) {
                               std::vector<std::string> out;
                               for (const NodeSpec& n : s.loaded.spec.nodes) out.push_back(n.id);
                               return out;
                             })
      .def_property_readonly("yaml", [](const Scenario& s) { return to_yaml(s.loaded.document); })
      .def_property_readonly("warnings", [](const Scenario& s) {
        std::vector<std::string> out;
        for (const Diagnostic& d : s.loaded.warnings) out.push_back(d.format());
        return out;
      });
  m.def("load_path", &load_path);
  m.def("load_text", &load_text);
  m.def("run", &run);
  m.def("compare", &compare);
  m.def("sweep", &sweep);
  m.def("optimize", &optimize);
  m.def("series_columns", [] {
    std::vector<std::pair<std::string, std::string>> out;
    for (const SeriesColumn& c : series_columns()) out.emplace_back(c.name, c.doc);
    return out;
  });

  // One Environment is used by one thread at a time: the GIL is released
  // while it simulates, so its own lock keeps two Python threads apart.
  py::class_<PyEnvironment>(m, "Environment")
      .def(py::init([](const Scenario& s, std::vector<std::string> agents, const std::string& reward) {
             if (reward != "cost" && reward != "profit") {
               throw std::invalid_argument("reward must be 'cost' or 'profit' (got '" + reward + "')");
             }
             auto e = std::make_unique<PyEnvironment>();
             e->env = std::make_unique<Environment>(s.loaded.spec, std::move(agents),
                                                    reward == "cost" ? EnvReward::kCost : EnvReward::kProfit);
             return e;
           }))
      .def_property_readonly("agents", [](PyEnvironment& e) { return e.env->agents(); })
      .def_property_readonly("done",
                             [](PyEnvironment& e) {
                               py::gil_scoped_release release;
                               std::lock_guard<std::mutex> lock(e.mutex);
                               return e.env->done();
                             })
      .def("reset",
           [](PyEnvironment& e, std::uint64_t seed, int replication) {
             EnvDecision d;
             {
               py::gil_scoped_release release;
               std::lock_guard<std::mutex> lock(e.mutex);
               d = e.env->reset(seed, replication);
             }
             return decision_tuple(d);
           })
      .def("step",
           [](PyEnvironment& e, double quantity) {
             EnvDecision d;
             {
               py::gil_scoped_release release;
               std::lock_guard<std::mutex> lock(e.mutex);
               d = e.env->step(quantity);
             }
             return decision_tuple(d);
           })
      .def("kpis", [](PyEnvironment& e) {
        KpiSet k;
        {
          py::gil_scoped_release release;
          std::lock_guard<std::mutex> lock(e.mutex);
          k = e.env->kpis();
        }
        return kpi_list(k);
      });
}
