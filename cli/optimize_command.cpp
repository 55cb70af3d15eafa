// chainsim optimize: the best point of a grid of scenario parameters for a
// KPI, subject to constraints on KPIs (models/experiment/optimize.h,
// docs/optimize.md).
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <fmt/core.h>
#include <iostream>
#include <memory>
#include <optional>

#include "chainsim_version.h"
#include "commands.h"
#include "validators.h"
#include "models/experiment/optimize.h"
#include "models/report/optimize_report.h"
#include "models/experiment/sweep.h"
#include "models/scenario/loader.h"
#include "sim/parallel.h"
#include "sim/progress.h"
#include "sim/text.h"

namespace chainsim::cli {

using namespace chainsim::models;

CLI::App* add_optimize_command(CLI::App& app, OptimizeArgs& a) {
  auto* cmd = app.add_subcommand(
      "optimize", "Find the best point of a grid of parameters for a KPI, subject to constraints on KPIs, with a "
                  "stated probability of correct selection: optimize.json, optimize.csv, optimize.html");
  cmd->add_option("scenario", a.scenario, "Scenario file (YAML)")->required();
  cmd->add_option("--vary", a.vary, "PATH=SPEC: a list 20,40,60 or a range FROM:TO:STEP (repeatable)")
      ->allow_extra_args(false)
      ->required();
  auto* minimize = cmd->add_option("--minimize", a.minimize, "The KPI column to minimise, e.g. network.total_cost");
  auto* maximize = cmd->add_option("--maximize", a.maximize, "The KPI column to maximise, e.g. network.profit");
  minimize->excludes(maximize);
  cmd->add_option("--subject-to", a.constraints, "A constraint KPI>=VALUE or KPI<=VALUE (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--tolerance", a.tolerance,
                  "Each constraint's tolerance: within it of the bound either answer is right (default: 1% of the "
                  "bound)");
  cmd->add_option("--indifference", a.delta,
                  "The indifference zone: a difference in the objective worth finding, in its unit")
      ->required();
  cmd->add_option("--alpha", a.alpha, "1 - the probability of correct selection")->capture_default_str();
  cmd->add_option("--first-stage", a.first_stage, "Replications of each point before screening")
      ->check(whole_at_least(2))
      ->capture_default_str();
  cmd->add_option("--budget", a.budget, "Runs at most")->check(whole_at_least(1))->capture_default_str();
  cmd->add_option("--method", a.method, "auto (kn up to 100 points, else compass), kn or compass")
      ->check(CLI::IsMember({"auto", "kn", "compass"}))
      ->capture_default_str();
  cmd->add_option("--seed", a.seed, "Random seed (default: the scenario's)")->check(seed_value());
  cmd->add_option("--set", a.sets, "Fix a value for every point: PATH=VALUE (repeatable)")->allow_extra_args(false);
  cmd->add_option("--jobs", a.jobs, "Threads (default: all cores)")->check(whole_at_least(0));
  cmd->add_option("--out", a.out, "Output directory (default: out/<name>_optimize)");
  cmd->add_flag("--no-report", a.no_report, "Do not write optimize.html");
  cmd->add_flag("--resume", a.resume, "Continue the search in --out: the runs optimize.csv holds are not made again");
  cmd->add_flag("--quiet", a.quiet, "Print nothing but errors");
  add_allow_dir_option(cmd, a.allow_dirs);
  return cmd;
}

namespace {

// The search the arguments ask for. Throws LoadError.
OptimizeSpec optimize_spec_of(const OptimizeArgs& a) {
  OptimizeSpec s;
  s.scenario = a.scenario;
  s.sets = a.sets;
  s.allowed_dirs = a.allow_dirs;
  s.params = parse_param_options(a.vary);
  if (a.minimize.empty() == a.maximize.empty()) {
    throw LoadError({{"--minimize", 0, 0, "", "give the objective: --minimize KPI or --maximize KPI"}});
  }
  s.objective = a.minimize.empty() ? a.maximize : a.minimize;
  s.maximize = !a.maximize.empty();
  try {
    for (const std::string& c : a.constraints) s.constraints.push_back(parse_constraint(c, a.tolerance));
  } catch (const std::invalid_argument& e) {
    throw LoadError({{"--subject-to", 0, 0, "", e.what()}});
  }
  s.delta = a.delta;
  s.alpha = a.alpha;
  s.first_stage = a.first_stage;
  s.budget = a.budget;
  s.method = a.method == "kn" ? OptimizeMethod::kKimNelson
             : a.method == "compass" ? OptimizeMethod::kCompass
                                     : OptimizeMethod::kAuto;
  s.seed = a.seed;
  s.jobs = a.jobs > 0 ? a.jobs : sim::hardware_jobs();
  return s;
}

}  // namespace

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path));
  return text.str();
}

// The trace, appended row by row and flushed: a log like sweep.csv, so a
// search killed midway keeps its runs for --resume.
class TraceFile {
 public:
  explicit TraceFile(const std::string& path) : path_(path), f_(std::fopen(path.c_str(), "ab")) {
    if (f_ == nullptr) throw std::runtime_error(fmt::format("cannot append to {}: {}", path, std::strerror(errno)));
  }
  ~TraceFile() {
    if (f_ != nullptr) std::fclose(f_);
  }
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;
  void append(const std::string& row) {
    if (std::fputs(row.c_str(), f_) == EOF || std::fflush(f_) != 0) {
      throw std::runtime_error(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
    }
  }
  void close() {
    const bool ok = ::fsync(::fileno(f_)) == 0;
    const bool closed = std::fclose(f_) == 0;
    f_ = nullptr;
    if (!ok || !closed) throw std::runtime_error(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
  }

 private:
  std::string path_;
  std::FILE* f_;
};

// Starts optimize.json and optimize.csv in `out`, or (--resume) reads back
// the runs they hold into spec.resume_from. Returns "" or why it cannot.
std::string start_files(const OptimizeArgs& a, const std::string& out, OptimizeSpec& spec, const OptimizeMeta& m) {
  const std::string json = out + "/optimize.json", csv = out + "/optimize.csv";
  const bool there = std::filesystem::exists(json) || std::filesystem::exists(csv);
  if (!there) {
    sim::write_file_atomically(json, optimize_started_json(spec, m));
    sim::write_file_atomically(csv, optimize_csv_header(spec));
    return "";
  }
  if (!a.resume) {
    return fmt::format("--out: '{}' holds a search (optimize.json, optimize.csv): --resume to continue it, or "
                       "another --out",
                       out);
  }
  if (!std::filesystem::exists(json) || !std::filesystem::exists(csv)) {
    return fmt::format("--resume: '{}' holds only one of optimize.json and optimize.csv", out);
  }
  if (const std::string why = optimize_resume_problem(read_text(json), spec, m); !why.empty()) {
    return fmt::format("--resume: {}: {}", json, why);
  }
  const std::string text = read_text(csv);
  std::size_t used = 0;
  try {
    spec.resume_from = read_optimize_csv(spec, text, &used);
  } catch (const std::runtime_error& e) {
    return fmt::format("--resume: {}: {}", out, e.what());
  }
  if (used != text.size()) sim::write_file_atomically(csv, text.substr(0, used));  // a half-written row
  return "";
}

}  // namespace

namespace {

// The search as asked, checked before anything is written; on the writer,
// the problem printed. Returns kExitOk or the status to exit with.
int prepare(const OptimizeArgs& a, bool writer, OptimizeSpec& spec, OptimizeMeta& m) {
  m.version = CHAINSIM_VERSION;
  m.git = CHAINSIM_GIT;
  m.scenario_file = a.scenario;
  m.sets = a.sets;
  try {
    spec = optimize_spec_of(a);
    m.scenario_yaml = to_yaml(load_scenario(a.scenario, {a.sets, "--set", a.allow_dirs}).document);
    check_optimize(spec);  // nothing is written for a search that cannot start
  } catch (const LoadError& e) {
    if (writer) print_load_error(e);
    return kExitBadInput;
  } catch (const std::invalid_argument& e) {
    if (writer) std::cerr << "chainsim: error: " << sim::printable(e.what()) << "\n";
    return kExitBadInput;
  }
  return kExitOk;
}

// The answer's files and what the terminal shows (on the writer).
void finish(const OptimizeArgs& a, const std::string& out, const OptimizeSpec& spec, const OptimizeResult& r,
            const OptimizeMeta& m, std::size_t resumed) {
  if (!a.no_report) sim::write_file_atomically(out + "/optimize.html", optimize_report_html(spec, r, m));
  sim::write_file_atomically(out + "/optimize.json", optimize_json(spec, r, m));
  if (a.quiet) return;
  std::cout << optimize_table(spec, r);
  if (resumed != 0) std::cout << fmt::format("resumed: {} of the {} runs came from optimize.csv\n", resumed, r.runs);
  std::cout << (a.no_report ? fmt::format("wrote {0}/optimize.json and {0}/optimize.csv\n", out)
                            : fmt::format("wrote {0}/optimize.json, {0}/optimize.csv and {0}/optimize.html\n", out));
}

}  // namespace

int optimize_command(const OptimizeArgs& a, SweepExecutor* executor) {
  const bool writer = executor == nullptr || executor->is_writer();
  OptimizeSpec spec;
  OptimizeMeta m;
  if (const int status = prepare(a, writer, spec, m); status != kExitOk) return status;
  const std::string out = a.out.empty() ? "out/" + std::filesystem::path(a.scenario).stem().string() + "_optimize"
                                        : a.out;
  // The writer claims the folder and starts (or reads back) the files; the
  // other ranks learn whether it could, and the runs it read back.
  sim::DirectoryLock lock;  // held until the files are written
  std::string why;
  if (writer) {
    why = lock.claim(out, "--out");
    if (why.empty()) why = start_files(a, out, spec, m);
  }
  if (executor != nullptr) why = executor->broadcast(why);
  if (!why.empty()) {
    if (writer) std::cerr << "chainsim: error: " << sim::printable(why) << "\n";
    return kExitBadInput;
  }
  if (executor != nullptr && a.resume) {
    std::string rows;
    for (const OptimizeRun& r : spec.resume_from) rows += optimize_csv_row(r);
    rows = executor->broadcast(optimize_csv_header(spec) + rows);
    std::size_t used = 0;
    spec.resume_from = read_optimize_csv(spec, rows, &used);
  }
  const std::size_t resumed = spec.resume_from.size();
  std::optional<TraceFile> trace;
  if (writer) {
    trace.emplace(out + "/optimize.csv");
    spec.on_run = [&](const OptimizeRun& r) { trace->append(optimize_csv_row(r)); };
  }
  const auto style = a.quiet || !writer || !::isatty(2) ? sim::ProgressMeter::Style::kNone
                                                        : sim::ProgressMeter::Style::kBar;
  std::unique_ptr<sim::ProgressMeter> meter;
  OptimizeResult r;
  try {
    r = run_optimize(
        spec,
        [&](std::size_t done, std::size_t budget) {
          if (!meter) meter = std::make_unique<sim::ProgressMeter>(std::cerr, style, budget, 0);
          meter->update(done);
        },
        executor);
  } catch (const LoadError& e) {
    if (writer) print_load_error(e);
    return kExitBadInput;
  } catch (const SweepAborted& e) {
    return e.status();  // the writer reports why
  }
  if (meter) meter->finish();
  if (!writer) return kExitOk;
  trace->close();
  finish(a, out, spec, r, m, resumed);
  return kExitOk;
}

}  // namespace chainsim::cli
