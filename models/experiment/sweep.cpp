// The sweep engine (models/experiment/sweep.h). Representation: a pool of parsed copies
// of the scenario (one per thread converting points at the same time), a
// small LRU cache of prepared points (ScenarioSpec, the parameters' CSV
// fields, and the map from the point's KPIs to the columns), and on the
// writer the open sweep.csv and sweep_summary.csv, the replications of the
// point being completed, every run's values for the response surface, and
// the files the points read (trace CSVs) with the hash of their contents.
#include "models/experiment/sweep.h"

#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <unistd.h>

#include "models/experiment/detail/sweep_files.h"
#include "models/experiment/experiment.h"
#include "models/scenario/loader.h"
#include "models/scenario/traces.h"
#include "sim/atomic_file.h"
#include "sim/parallel.h"

namespace chainsim::models {

namespace fs = std::filesystem;
using namespace detail;

void ThreadExecutor::run(std::size_t begin, std::size_t end, const Task& task, const Deliver& deliver) {
  if (end <= begin) return;
  sim::run_ordered<SweepTaskResult>(
      end - begin, jobs_, [&](std::size_t i) { return task(begin + i); },
      [&](std::size_t i, SweepTaskResult&& r) { deliver(begin + i, std::move(r)); });
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Values kept for the response surface; above this sweep_model.json is skipped.
constexpr std::size_t kMaxModelValues = 20'000'000;  // 160 MB
constexpr double kSyncSeconds = 5.0;

// A point's diagnostics travel as text (tasks may run in another process):
// one line per diagnostic, fields separated by tabs.
std::string encode(const std::vector<Diagnostic>& diags) {
  std::string s;
  for (const Diagnostic& d : diags) {
    s += fmt::format("{}\t{}\t{}\t{}\t{}\n", d.file, d.line, d.column, d.path, d.message);
  }
  return s;
}

void decode(const std::string& text, std::vector<Diagnostic>& out) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      const auto tab = line.find('\t', start);
      f.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    f.push_back(line.substr(start));
    out.push_back({f[0], std::stoi(f[1]), std::stoi(f[2]), f[3], f[4]});
  }
}

struct Prepared {
  ScenarioSpec spec;
  std::string fields;  // ",v1,v2"
  std::mutex mu;
  bool mapped = false;
  std::vector<int> column_of;  // the point's KPI i goes to column column_of[i] (-1: not a column)
};

class Sweep {
 public:
  Sweep(const SweepSpec& spec, const SweepOptions& options, SweepExecutor& exec)
      : spec_(spec),
        options_(options),
        exec_(exec),
        base_(std::make_unique<ParsedScenario>(parse_scenario(spec.scenario, {spec.sets, "--set", spec.allowed_dirs}))),
        scenario_yaml_(to_yaml(base_->document)),
        seed_(spec.seed.value_or(scenario_seed(*base_))),
        design_(make_design(spec, seed_)) {
    free_docs_.push_back(std::move(base_));
    // A spec takes about four times its YAML text in memory (8.5 KB for the
    // beer game); the cache holds what fits in options.cache_bytes.
    const std::size_t spec_bytes = std::max<std::size_t>(1024, 4 * scenario_yaml_.size());
    cache_capacity_ = std::max<std::size_t>(static_cast<std::size_t>(8 * std::max(1, options.threads)),
                                            options.cache_bytes / spec_bytes);
    // Point 0 first, on every process: unknown paths and the scenario's own
    // errors are reported before anything else.
    auto p0 = prepare(0);
    name_ = p0->spec.name;
    base_dir_ = fs::path(spec.scenario).parent_path().string();
    if (base_dir_.empty()) base_dir_ = ".";
    replications_ = static_cast<std::size_t>(spec.replications.value_or(p0->spec.replications));
    if (replications_ < 1) replications_ = 1;
  }

  SweepReport run();

 private:
  static sim::Design make_design(const SweepSpec& spec, std::uint64_t seed) {
    try {
      if (spec.design == "lhs") {
        if (spec.samples < 1) throw sim::DesignError("the lhs design needs --samples N (N >= 1)");
        return sim::Design::latin_hypercube(spec.params, spec.samples, seed);
      }
      if (spec.design != "grid") throw sim::DesignError("--design must be grid or lhs (got '" + spec.design + "')");
      return sim::Design::grid(spec.params);
    } catch (const sim::DesignError& e) {
      throw LoadError({{spec.source.empty() ? "--param" : spec.source, 0, 0, "", e.what()}});
    }
  }

  // The scenario's seed as written (1 when it gives none; a bad one is
  // reported when point 0 is converted).
  static std::uint64_t scenario_seed(const ParsedScenario& s) {
    const YAML::Node n = s.document["seed"];
    std::uint64_t seed = 1;
    if (n && n.IsScalar()) {
      std::istringstream in(n.Scalar());
      if (!(in >> seed)) seed = 1;
    }
    return seed;
  }

  // A parsed document for this thread's conversion.
  std::unique_ptr<ParsedScenario> acquire() {
    {
      std::lock_guard lock(docs_mu_);
      if (!free_docs_.empty()) {
        auto d = std::move(free_docs_.back());
        free_docs_.pop_back();
        return d;
      }
    }
    auto d = std::make_unique<ParsedScenario>(parse_scenario(spec_.scenario, {spec_.sets, "--set", spec_.allowed_dirs}));
    if (to_yaml(d->document) != scenario_yaml_) {
      throw std::runtime_error("the scenario " + spec_.scenario + " changed on disk while the sweep ran");
    }
    return d;
  }

  std::vector<std::string> overrides(std::size_t point) const {
    std::vector<std::string> o;
    for (std::size_t j = 0; j < design_.params().size(); ++j) {
      o.push_back(design_.params()[j].name + "=" + design_.text(point, j));
    }
    return o;
  }

  // Point `point`'s spec, converted from a pooled document. Throws LoadError
  // with the messages rewritten to name the parameters.
  std::shared_ptr<Prepared> prepare_uncached(std::size_t point) {
    auto doc = acquire();
    auto out = std::make_shared<Prepared>();
    try {
      LoadedScenario s = load_parsed_scenario(*doc, {overrides(point), ""});  // messages name the point below
      out->spec = std::move(s.spec);
    } catch (const LoadError& e) {
      std::vector<Diagnostic> diags = e.diagnostics();
      std::string where;
      for (std::size_t j = 0; j < design_.params().size(); ++j) {
        where += fmt::format("{}{}={}", j ? ", " : "", design_.params()[j].name, design_.text(point, j));
      }
      for (Diagnostic& d : diags) {
        for (const sim::ParamSpec& p : design_.params()) {
          if (d.path != p.name && d.path.rfind(p.name + ".", 0) != 0) continue;
          d.line = d.column = 0;  // the value came from --param, not from the file
          if (d.message.rfind("--set: ", 0) == 0) d.message = "--param: " + d.message.substr(7);
        }
        d.message += fmt::format(" (at point {}: {})", point, where);
      }
      throw LoadError(diags);  // the document may be half-changed: it is not returned to the pool
    }
    {
      std::lock_guard lock(docs_mu_);
      free_docs_.push_back(std::move(doc));
    }
    out->fields = params_fields(design_, point);
    return out;
  }

  // Point `point`'s spec, from the cache or converted now. The cache keeps
  // points in index order: while checking (points in ascending order) it
  // keeps the first that fit, so the run starts on converted points; while
  // running it evicts the lowest point, whose runs are done.
  std::shared_ptr<Prepared> prepare(std::size_t point) {
    std::shared_future<std::shared_ptr<Prepared>> f;
    std::promise<std::shared_ptr<Prepared>> promise;
    bool mine = false;
    {
      std::lock_guard lock(cache_mu_);
      const auto it = cache_.find(point);
      if (it != cache_.end()) {
        f = it->second;
      } else {
        f = promise.get_future().share();
        mine = true;
        if (cache_.size() >= cache_capacity_ && !checking_) cache_.erase(cache_.begin());
        if (cache_.size() < cache_capacity_) cache_.emplace(point, f);
      }
    }
    if (mine) {
      try {
        promise.set_value(prepare_uncached(point));
      } catch (...) {
        promise.set_exception(std::current_exception());
        std::lock_guard lock(cache_mu_);
        cache_.erase(point);
      }
    }
    return f.get();
  }

  // A point's check, as text: "" for a sound point that reads no file, "F"
  // and a JSON array of the [file, path] pairs it reads, or "E" and its
  // diagnostics.
  SweepTaskResult validate_task(std::size_t point) {
    try {
      const std::vector<InputFile> files = scenario_input_files(prepare(point)->spec, base_dir_);
      if (files.empty()) return {};
      nlohmann::json j = nlohmann::json::array();
      for (const InputFile& f : files) j.push_back({f.file, f.path});
      return {"F" + j.dump(), {}};
    } catch (const LoadError& e) {
      return {"E" + encode(e.diagnostics()), {}};
    }
  }

  // The hash of every file the points read, sorted by file. Throws
  // SweepError when one cannot be read.
  std::vector<std::pair<std::string, std::string>> hash_inputs() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [file, path] : inputs_) {
      const std::optional<std::string> hash = file_hash(path);
      if (!hash) throw SweepError(fmt::format("cannot read {}, the trace file the scenario names as '{}'", path, file));
      out.emplace_back(file, *hash);
    }
    return out;
  }

  SweepTaskResult run_task(std::size_t k) {
    const std::size_t point = k / replications_, rep = k % replications_;
    std::shared_ptr<Prepared> p = prepare(point);
    ReplicationOutput out;
    {
      std::unique_lock lock(probe_mu_);
      if (k == 0 && probe_) {
        out = std::move(*probe_);
        probe_.reset();
      } else {
        lock.unlock();
        out = run_replication(p->spec, seed_, static_cast<int>(rep), ReplicationOptions::checked());  // loaded: checked
      }
    }
    const std::vector<KpiValue>& kv = out.kpis.values;
    {
      std::lock_guard lock(p->mu);
      if (!p->mapped) {
        p->column_of.assign(kv.size(), -1);
        for (std::size_t i = 0; i < kv.size(); ++i) {
          const std::string name = kpi_column(kv[i]);
          if (i < columns_.size() && columns_[i] == name) {
            p->column_of[i] = static_cast<int>(i);
            continue;
          }
          for (std::size_t c = 0; c < columns_.size(); ++c) {
            if (columns_[c] == name) p->column_of[i] = static_cast<int>(c);
          }
          if (p->column_of[i] < 0) {
            throw std::runtime_error(fmt::format(
                "point {} reports the KPI {} that point 0 does not: a sweep's parameters must not change the "
                "network's shape (its nodes, stocks and lanes)",
                point, name));
          }
        }
        p->mapped = true;
      }
      if (p->column_of.size() != kv.size()) {
        throw std::runtime_error(fmt::format("point {}: replication {} reports {} KPIs, replication 0 {}", point, rep,
                                             kv.size(), p->column_of.size()));
      }
    }
    SweepTaskResult r;
    r.values.assign(columns_.size(), kNaN);
    for (std::size_t i = 0; i < kv.size(); ++i) r.values[static_cast<std::size_t>(p->column_of[i])] = kv[i].value;
    r.text = fmt::format("{},{}{}", point, rep, p->fields);
    for (double v : r.values) {
      r.text += ',';
      r.text += csv_number(v);
    }
    r.text += '\n';
    return r;
  }

  // The writer's side of a step: runs `f`, then tells every process how it
  // went; other processes learn it and stop when the writer failed.
  template <typename F>
  std::string writer_step(F&& f) {
    std::string status = "ok";
    std::exception_ptr error;
    if (exec_.is_writer()) {
      try {
        status = f();
      } catch (const LoadError&) {
        status = "abort 2";
        error = std::current_exception();
      } catch (const SweepError&) {
        status = "abort 2";
        error = std::current_exception();
      } catch (...) {
        status = "abort 1";
        error = std::current_exception();
      }
    }
    status = exec_.broadcast(status);
    if (error) std::rethrow_exception(error);
    if (status.rfind("abort ", 0) == 0) throw SweepAborted(std::stoi(status.substr(6)));
    return status;
  }

  void validate_points();
  std::string start_files();  // on the writer: returns "ok\n" + columns
  // sweep.json's content (running replication 0 of point 0 for the columns).
  SweepMeta describe();
  // Why sweep.json's `old` content does not describe the sweep of `expected`.
  static std::string why_another_sweep(const std::string& old, const std::string& expected, const SweepMeta& meta);
  std::vector<SweepTaskResult> read_rows(const std::string& path, const std::string& header);
  void deliver(std::size_t k, SweepTaskResult&& r);
  void sync(bool force);

  const SweepSpec& spec_;
  const SweepOptions& options_;
  SweepExecutor& exec_;
  std::unique_ptr<ParsedScenario> base_;
  std::string scenario_yaml_;
  std::uint64_t seed_ = 1;
  sim::Design design_;
  std::string name_, base_dir_;
  std::size_t replications_ = 1;
  std::vector<std::string> columns_;
  // On the writer: the files the points read, file as named -> path read,
  // and the hashes recorded in sweep.json.
  std::map<std::string, std::string> inputs_;
  std::vector<std::pair<std::string, std::string>> input_hashes_;

  std::mutex docs_mu_;
  std::vector<std::unique_ptr<ParsedScenario>> free_docs_;
  std::mutex cache_mu_;
  std::map<std::size_t, std::shared_future<std::shared_ptr<Prepared>>> cache_;
  std::size_t cache_capacity_ = 8;
  bool checking_ = false;  // validate_points is running (under cache_mu_ for readers)
  std::mutex probe_mu_;
  std::optional<ReplicationOutput> probe_;

  // The writer's files and buffers.
  sim::DirectoryLock lock_;  // on --out while the sweep writes there
  std::FILE* csv_ = nullptr;
  std::FILE* summary_ = nullptr;
  std::vector<double> point_values_;  // the replications of the point being completed
  std::vector<double> all_values_;    // every run, for the response surface
  bool keep_all_ = true;
  bool replaying_ = false;  // delivering the rows sweep.csv already holds
  std::size_t done_ = 0, before_ = 0;
  std::chrono::steady_clock::time_point last_sync_;
};

void Sweep::validate_points() {
  std::vector<Diagnostic> diags;
  std::size_t bad = 0;
  {
    std::lock_guard lock(cache_mu_);
    checking_ = true;
  }
  exec_.run(0, design_.size(), [this](std::size_t i) { return validate_task(i); },
            [&](std::size_t, SweepTaskResult&& r) {
              if (r.text.empty()) return;
              if (r.text[0] == 'F') {
                for (const auto& f : nlohmann::json::parse(r.text.substr(1))) inputs_.emplace(f[0], f[1]);
                return;
              }
              if (++bad <= 5) decode(r.text.substr(1), diags);
            });
  {
    std::lock_guard lock(cache_mu_);
    checking_ = false;
  }
  writer_step([&]() -> std::string {
    if (bad > 5) {
      diags.push_back({spec_.scenario, 0, 0, "",
                       fmt::format("and {} more points fail (every point is checked before the sweep starts)", bad - 5)});
    }
    if (!diags.empty()) throw LoadError(diags);
    return "ok";
  });
}

// Reads the rows sweep.csv holds, checking each against the run it must be,
// and drops a half-written last row. Throws SweepError naming the line.
std::vector<SweepTaskResult> Sweep::read_rows(const std::string& path, const std::string& header) {
  std::vector<SweepTaskResult> rows;
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  const auto last_newline = text.rfind('\n');
  const std::size_t complete = last_newline == std::string::npos ? 0 : last_newline + 1;
  if (complete < text.size()) fs::resize_file(path, complete);  // a half-written last row
  if (complete == 0) {
    sim::write_file_atomically(path, header);
    return rows;
  }
  if (text.compare(0, header.size(), header) != 0) {
    throw SweepError(fmt::format("{}: the header differs from this sweep's columns; resume a sweep with the same "
                                 "scenario, parameters and chainsim build",
                                 path));
  }
  std::size_t pos = header.size(), line = 2;
  std::vector<std::string> fields;
  const std::size_t c_count = columns_.size();
  const std::size_t total = design_.size() * replications_;
  while (pos < complete) {
    const std::size_t end = text.find('\n', pos);
    const std::string_view row(text.data() + pos, end - pos);
    const std::size_t k = rows.size();
    const std::size_t point = k / replications_, rep = k % replications_;
    auto bad = [&](const std::string& why) {
      return SweepError(fmt::format("{}:{}: {}; delete this row and those after it to resume from there", path, line, why));
    };
    if (k >= total) throw bad("more rows than the sweep has runs");
    const std::string lead = fmt::format("{},{}{},", point, rep, params_fields(design_, point));
    if (row.substr(0, lead.size()) != lead) {
      throw bad(fmt::format("not the row of point {}, replication {} with this sweep's parameters", point, rep));
    }
    if (!split_csv(row.substr(lead.size()), fields) || fields.size() != c_count) {
      throw bad(fmt::format("expected {} KPI values", c_count));
    }
    std::vector<double> values(c_count);
    for (std::size_t c = 0; c < c_count; ++c) {
      if (!read_csv_number(fields[c], values[c])) throw bad(fmt::format("'{}' is not a number", fields[c]));
    }
    rows.push_back({std::string(), std::move(values)});
    pos = end + 1;
    ++line;
  }
  return rows;
}

namespace {

// Appends `text` to `f` and flushes it; on failure throws with the system's
// reason ("No space left on device").
void append(std::FILE* f, const std::string& text, const std::string& path) {
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fflush(f) != 0) {
    throw std::runtime_error("cannot write " + path + ": " +
                             (errno != 0 ? std::generic_category().message(errno) : std::string("write failed")));
  }
}

}  // namespace

void Sweep::deliver(std::size_t k, SweepTaskResult&& r) {
  const bool resumed = replaying_;
  if (!resumed) {
    append(csv_, r.text, options_.out_dir + "/sweep.csv");
  }
  const std::size_t point = k / replications_, rep = k % replications_;
  if (rep == 0) point_values_.clear();
  point_values_.insert(point_values_.end(), r.values.begin(), r.values.end());
  if (keep_all_) all_values_.insert(all_values_.end(), r.values.begin(), r.values.end());
  ++done_;
  if (rep + 1 == replications_) {
    const std::string rows = summary_rows(design_, point, columns_, point_values_, replications_);
    append(summary_, rows, options_.out_dir + "/sweep_summary.csv");
  }
  if (!resumed) {
    sync(false);
    if (options_.progress) options_.progress(done_, design_.size() * replications_, before_);
  }
}

void Sweep::sync(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && std::chrono::duration<double>(now - last_sync_).count() < kSyncSeconds) return;
  last_sync_ = now;
  ::fsync(::fileno(csv_));
  ::fsync(::fileno(summary_));
}

// Why the files a sweep reads differ from those sweep.json recorded (`was`
// and `now`: arrays of {file, hash}).
std::string input_change(const nlohmann::json& was, const nlohmann::json& now) {
  auto find = [](const nlohmann::json& list, const nlohmann::json& file) -> const nlohmann::json* {
    for (const auto& f : list) {
      if (f.value("file", nlohmann::json()) == file) return &f;
    }
    return nullptr;
  };
  for (const auto& f : now) {
    const nlohmann::json* old = find(was, f["file"]);
    const std::string name = f["file"].get<std::string>();
    if (old == nullptr) return "the scenario now reads " + name + ", which the sweep did not read when it started";
    if ((*old).value("hash", nlohmann::json()) != f["hash"]) {
      return fmt::format("{}, a file the scenario reads, changed since the sweep started (its hash was {}, now {})",
                         name, (*old).value("hash", "?"), f["hash"].get<std::string>());
    }
  }
  for (const auto& f : was) {
    if (find(now, f.value("file", nlohmann::json())) == nullptr) {
      return "the scenario no longer reads " + f.value("file", "?") + ", which the sweep read when it started";
    }
  }
  return "the files the scenario reads differ";
}

// The same sweep recorded from another directory: only the files' paths
// differ (they are how it was started, not what it computes).
bool same_sweep(const std::string& a, const std::string& b) {
  try {
    auto x = nlohmann::json::parse(a), y = nlohmann::json::parse(b);
    for (auto* j : {&x, &y}) {
      j->erase("design_file");
      if (j->contains("scenario") && (*j)["scenario"].is_object()) (*j)["scenario"].erase("file");
    }
    return x == y;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

std::string Sweep::start_files() {
  const std::string dir = options_.out_dir;
  const std::string csv = dir + "/sweep.csv", json = dir + "/sweep.json", summary = dir + "/sweep_summary.csv";
  // Locked before looking for an earlier sweep: two sweeps that both found
  // none would both write, and one's rows would be lost.
  if (const std::string why = lock_.claim(dir, "--out"); !why.empty()) {
    throw SweepError(why);
  }
  const bool has_json = fs::exists(json), has_csv = fs::exists(csv);
  if (!options_.resume && (has_json || has_csv)) {
    throw SweepError(fmt::format("{} already holds a sweep ({}); add --resume to continue it, or choose another --out",
                                 dir, has_csv ? "sweep.csv" : "sweep.json"));
  }
  if (has_csv && !has_json) {
    throw SweepError(fmt::format("{}: sweep.csv without sweep.json: cannot tell which sweep wrote it", dir));
  }
  const SweepMeta meta = describe();
  const std::string expected = sweep_json(design_, meta);
  keep_all_ = design_.size() * replications_ * columns_.size() <= kMaxModelValues;
  const std::string header = sweep_header(design_, columns_);
  if (has_json) {
    std::ifstream in(json, std::ios::binary);
    const std::string old((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (old != expected && !same_sweep(old, expected)) {
      throw SweepError(fmt::format("cannot resume the sweep in {}: {}", dir, why_another_sweep(old, expected, meta)));
    }
  } else {
    sim::write_file_atomically(json, expected);
  }
  std::vector<SweepTaskResult> rows;
  if (has_csv) {
    rows = read_rows(csv, header);
  } else {
    sim::write_file_atomically(csv, header);
  }
  // sweep_summary.csv is recomputed from sweep.csv's rows.
  sim::write_file_atomically(summary, summary_header(design_));
  summary_ = std::fopen(summary.c_str(), "ab");
  if (!summary_) throw std::runtime_error("cannot open " + summary);
  replaying_ = true;
  for (std::size_t k = 0; k < rows.size(); ++k) deliver(k, std::move(rows[k]));
  replaying_ = false;
  csv_ = std::fopen(csv.c_str(), "ab");
  if (!csv_ || !summary_) {
    throw std::runtime_error("cannot open the sweep's files in " + dir + ": " + std::generic_category().message(errno));
  }
  before_ = done_;
  if (done_ > 0) probe_.reset();
  last_sync_ = std::chrono::steady_clock::now();
  std::string cols;
  for (const std::string& c : columns_) cols += c + "\n";
  return "ok\n" + cols;
}

SweepMeta Sweep::describe() {
  // Replication 0 of point 0 fixes the columns.
  probe_ = run_replication(prepare(0)->spec, seed_, 0, ReplicationOptions::checked());  // loaded: checked
  for (const KpiValue& v : probe_->kpis.values) columns_.push_back(kpi_column(v));
  SweepMeta meta;
  meta.version = options_.version;
  meta.git = options_.git;
  meta.scenario_file = spec_.scenario;
  meta.scenario_name = name_;
  meta.scenario_yaml = scenario_yaml_;
  meta.scenario_hash = text_hash(scenario_yaml_);
  meta.design_file = spec_.source;
  input_hashes_ = hash_inputs();
  meta.inputs = input_hashes_;
  meta.seed = seed_;
  meta.replications = replications_;
  meta.columns = columns_;
  // "time units" in the scenario's own (day: days).
  const std::string& time_unit = prepare(0)->spec.time_unit;
  const std::string times = time_unit.empty() || time_unit.back() == 's' ? time_unit : time_unit + "s";
  for (const KpiValue& v : probe_->kpis.values) {
    const KpiDefinition* d = find_kpi_definition(v.scope, v.kpi);
    std::string unit = d ? d->unit : "";
    if (const auto at = unit.find("time units"); at != std::string::npos) unit.replace(at, 10, times);
    meta.units.push_back(std::move(unit));
  }
  return meta;
}

std::string Sweep::why_another_sweep(const std::string& old, const std::string& expected, const SweepMeta& meta) {
  try {
    const auto o = nlohmann::json::parse(old), e = nlohmann::json::parse(expected);
    if (o.value("chainsim", nlohmann::json()) != e["chainsim"]) {
      return fmt::format("it was written by chainsim {} (git {}), this is chainsim {} (git {}): a sweep is resumed "
                         "by the build that started it",
                         o["chainsim"].value("version", "?"), o["chainsim"].value("git", "?"), meta.version, meta.git);
    }
    if (o["scenario"].value("hash", "") != e["scenario"]["hash"]) {
      return "the scenario differs from the one the sweep started with (its hash was " +
             o["scenario"].value("hash", "?") + ", now " + e["scenario"]["hash"].get<std::string>() + ")";
    }
    if (o.value("inputs", nlohmann::json::array()) != e["inputs"]) {
      return input_change(o.value("inputs", nlohmann::json::array()), e["inputs"]);
    }
    if (o.value("design", nlohmann::json()) != e["design"]) return "the design (parameters, values, samples) differs";
    if (o.value("seed", nlohmann::json()) != e["seed"] || o.value("replications", nlohmann::json()) != e["replications"]) {
      return fmt::format("the seed or the replications differ (were {} and {})", o.value("seed", nlohmann::json()).dump(),
                         o.value("replications", nlohmann::json()).dump());
    }
    if (o.value("columns", nlohmann::json()) != e["columns"]) return "the KPI columns differ";
  } catch (const nlohmann::json::exception&) {
    return "it is not valid JSON";
  }
  return "it records another sweep";
}

SweepReport Sweep::run() {
  validate_points();
  const std::string status = writer_step([&] { return start_files(); });
  if (!exec_.is_writer()) {
    std::istringstream in(status.substr(3));
    for (std::string c; std::getline(in, c);) columns_.push_back(c);
  }
  const std::size_t total = design_.size() * replications_;
  struct Closer {
    Sweep& s;
    ~Closer() {
      if (s.csv_) std::fclose(s.csv_);
      if (s.summary_) std::fclose(s.summary_);
    }
  } closer{*this};
  std::exception_ptr failed;
  try {
    exec_.run(done_, total, [this](std::size_t k) { return run_task(k); },
              [this](std::size_t k, SweepTaskResult&& r) { deliver(k, std::move(r)); });
  } catch (...) {
    failed = std::current_exception();
  }
  SweepReport report;
  writer_step([&]() -> std::string {
    if (failed) std::rethrow_exception(failed);
    sync(true);
    // Every run reads its trace files again: one changed meanwhile leaves
    // rows of both contents.
    const auto hashes = hash_inputs();
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      if (hashes[i] != input_hashes_[i]) {
        throw std::runtime_error(fmt::format(
            "{}, a file the scenario reads, changed while the sweep ran: sweep.csv may mix runs of its old and new "
            "contents; run the sweep again in a new --out",
            hashes[i].first));
      }
    }
    report.points = design_.size();
    report.replications = replications_;
    report.columns = columns_.size();
    report.runs = total;
    report.runs_before = before_;
    std::string model;
    if (keep_all_) {
      model = sweep_model_json(design_, columns_, all_values_, replications_, report.kpis_fitted, report.model_note);
    } else {
      report.model_note = fmt::format("no response surface: more than {} values", kMaxModelValues);
      model = nlohmann::ordered_json{{"fitted", false}, {"reason", report.model_note}}.dump(2) + "\n";
    }
    sim::write_file_atomically(options_.out_dir + "/sweep_model.json", model);
    return "ok";
  });
  return report;
}

}  // namespace

SweepReport run_sweep(const SweepSpec& spec, const SweepOptions& options, SweepExecutor& executor) {
  Sweep sweep(spec, options, executor);
  return sweep.run();
}

}  // namespace chainsim::models
