#include "models/experiment/environment.h"

#include <chrono>
#include <cmath>
#include <fmt/core.h>
#include <stdexcept>

#include "models/chain/builder.h"

namespace chainsim::models {

namespace {

// Thrown through the network's run when the caller abandons it.
struct Abandoned {};

// Why stock `sp` cannot be controlled ("" when it can).
std::string uncontrollable(const StockPoint& sp) {
  if (sp.infinite) return fmt::format("stock '{}' is an unlimited source: it never orders", sp.name);
  if (sp.vmi) return fmt::format("stock '{}' is replenished by its supplier (vmi): its supplier decides", sp.name);
  if (sp.sources.empty() && !sp.production) {
    return fmt::format("stock '{}' has no source or production line to order from", sp.name);
  }
  return "";
}

// The stock named `name` ("node" of one stock, or "node/product") in `net`.
std::size_t resolve_agent(const Network& net, const std::string& name) {
  const auto& stocks = net.stocks();
  std::size_t found = stocks.size();
  if (name.find('/') != std::string::npos) {
    for (std::size_t s = 0; s < stocks.size(); ++s) {
      if (stocks[s].name == name) found = s;
    }
    if (found == stocks.size()) throw std::invalid_argument(fmt::format("agent '{}': no such stock", name));
  } else {
    const NodeId node = net.find_node(name);
    if (node == kNone) throw std::invalid_argument(fmt::format("agent '{}': no such node", name));
    std::size_t count = 0;
    for (std::size_t s = 0; s < stocks.size(); ++s) {
      if (stocks[s].node == node) found = s, ++count;
    }
    if (count != 1) {
      throw std::invalid_argument(
          fmt::format("agent '{}': the node holds {} stocks; name one as node/product", name, count));
    }
  }
  if (const std::string why = uncontrollable(stocks[found]); !why.empty()) {
    throw std::invalid_argument(fmt::format("agent '{}': {}", name, why));
  }
  return found;
}

// The first controllable stock serving end customers.
std::size_t default_agent(const Network& net) {
  const auto& stocks = net.stocks();
  for (std::size_t s = 0; s < stocks.size(); ++s) {
    if (stocks[s].has_end_demand() && uncontrollable(stocks[s]).empty()) return s;
  }
  throw std::invalid_argument("no stock serving end customers can be controlled: name the agents");
}

}  // namespace

// The policy of a controlled stock: asks the agent.
class Environment::ExternalPolicy final : public ReplenishmentPolicy {
 public:
  ExternalPolicy(Environment& env, std::size_t agent) : env_(env), agent_(agent) {}
  Qty order(const PolicyView& view) override { return env_.decide(agent_, view); }
  bool set_parameter(std::string_view, double, double*) override { return false; }
  std::string describe() const override { return "the agent's orders"; }

 private:
  Environment& env_;
  std::size_t agent_;
};

Environment::Environment(ScenarioSpec spec, std::vector<std::string> agents, EnvReward reward)
    : spec_(std::move(spec)), reward_(reward) {
  // A build checks the spec (once: the runs trust it) and names the stocks.
  const std::unique_ptr<Network> net = build_network(spec_, spec_.seed, 0);
  if (agents.empty()) {
    stocks_.push_back(default_agent(*net));
  } else {
    for (const std::string& a : agents) {
      const std::size_t s = resolve_agent(*net, a);
      for (const std::size_t t : stocks_) {
        if (t == s) throw std::invalid_argument(fmt::format("agent '{}': stock '{}' is named twice", a, net->stocks()[s].name));
      }
      stocks_.push_back(s);
    }
  }
  for (const std::size_t s : stocks_) names_.push_back(net->stocks()[s].name);
}

Environment::~Environment() { stop(); }

const KpiSet& Environment::kpis() const {
  if (!have_kpis_) throw std::logic_error("the run has not ended: step until done");
  return kpis_;
}

void Environment::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    abandon_ = true;
    agent_turn_ = false;
  }
  turn_changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  running_ = false;
}

EnvDecision Environment::reset(std::uint64_t seed, int replication) {
  stop();
  have_kpis_ = false;  // a reset that fails leaves no run behind, not the last one's KPIs
  kpis_ = KpiSet{};
  std::unique_ptr<Network> net = build_network(spec_, seed, replication, true);
  for (std::size_t a = 0; a < stocks_.size(); ++a) {
    net->stock_mut(static_cast<StockId>(stocks_[a])).policy = std::make_unique<ExternalPolicy>(*this, a);
  }
  std::unique_lock<std::mutex> lock(mutex_);
  abandon_ = false;
  agent_turn_ = false;
  error_ = nullptr;
  last_total_ = 0.0;
  thread_ = std::thread([this, n = std::move(net)]() mutable { simulate(std::move(n)); });
  running_ = true;  // only once the thread runs: a failed start leaves none to wait for
  EnvDecision d = wait_for_simulation(lock);
  d.reward = 0.0;  // the costs of time 0 before the first decision belong to no action
  return d;
}

EnvDecision Environment::step(double quantity) {
  if (!running_) throw std::logic_error(have_kpis_ ? "the run has ended: reset to start another" : "reset first");
  if (!std::isfinite(quantity) || quantity < 0.0) {
    throw std::invalid_argument(fmt::format("an order must be a finite number >= 0 (got {})", quantity));
  }
  std::unique_lock<std::mutex> lock(mutex_);
  order_ = quantity;
  agent_turn_ = false;
  turn_changed_.notify_all();
  return wait_for_simulation(lock);
}

void Environment::await_turn(std::unique_lock<std::mutex>& lock, bool agent) {
  static const bool spin = std::thread::hardware_concurrency() > 1;
  if (spin && agent_turn_.load(std::memory_order_acquire) != agent) {
    lock.unlock();
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
    for (unsigned i = 1; agent_turn_.load(std::memory_order_acquire) != agent; ++i) {
      if (i % 64 == 0 && std::chrono::steady_clock::now() > until) break;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    lock.lock();
  }
  turn_changed_.wait(lock, [&] { return agent_turn_.load(std::memory_order_acquire) == agent; });
}

EnvDecision Environment::wait_for_simulation(std::unique_lock<std::mutex>& lock) {
  await_turn(lock, true);
  if (decision_.done) {
    lock.unlock();
    thread_.join();
    running_ = false;
    if (error_) std::rethrow_exception(error_);
  }
  return decision_;
}

void Environment::simulate(std::unique_ptr<Network> net) {
  EnvDecision end;
  end.done = true;
  std::exception_ptr error;
  try {
    KpiCollector kpi;
    net->add_sink(&kpi);
    net_ = net.get();
    last_total_ = reward_total();
    net->run();
    net->audit();
    end.reward = reward_total() - last_total_;
    KpiSet kpis = kpi.finish();
    std::lock_guard<std::mutex> lock(mutex_);
    kpis_ = std::move(kpis);
    have_kpis_ = true;
  } catch (const Abandoned&) {
    net_ = nullptr;
    return;  // the caller is gone or starting afresh; it waits for nothing
  } catch (...) {
    error = std::current_exception();
  }
  net_ = nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  error_ = error;
  decision_ = end;
  agent_turn_ = true;
  turn_changed_.notify_all();
}

double Environment::decide(std::size_t agent, const PolicyView& view) {
  const double total = reward_total();
  std::unique_lock<std::mutex> lock(mutex_);
  if (abandon_) throw Abandoned{};
  decision_.done = false;
  decision_.agent = agent;
  decision_.view = view;
  decision_.reward = total - last_total_;
  last_total_ = total;
  agent_turn_ = true;
  turn_changed_.notify_all();
  await_turn(lock, false);
  if (abandon_) throw Abandoned{};
  return order_;
}

// The running total the reward is the change of (positive: better).
double Environment::reward_total() const {
  double total = 0.0;
  for (const Node& n : net_->nodes()) {
    const auto& costs = n.account.total_costs();
    if (reward_ == EnvReward::kProfit) {
      total += n.account.total_revenue();
      for (const Money c : costs) total -= c;
    } else {
      for (const CostKind k : {CostKind::kHolding, CostKind::kBackorder, CostKind::kLostSale, CostKind::kOrdering,
                               CostKind::kTransport, CostKind::kProduction, CostKind::kWaste}) {
        total -= costs[static_cast<int>(k)];
      }
    }
  }
  return total;
}

}  // namespace chainsim::models
