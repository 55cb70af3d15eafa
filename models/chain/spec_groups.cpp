#include "models/chain/spec_groups.h"

#include <fmt/core.h>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

namespace chainsim::models {

namespace {

// A group's members: the first's index in the expanded nodes, and how many.
struct Members {
  std::size_t first = 0, count = 0;
};

// The sources of a stock at member k of n: each source naming a group
// replaced by the members it buys from.
// `written[i]` gets the index of the source as written that source i came from.
std::vector<SourceSpec> member_sources(const StockSpec& stock, std::size_t k, std::size_t n,
                                       const std::unordered_map<std::string, Members>& groups,
                                       const std::vector<NodeSpec>& nodes, const std::string& path,
                                       std::vector<std::size_t>& written, std::vector<SpecIssue>& issues) {
  std::vector<SourceSpec> out;
  for (std::size_t q = 0; q < stock.sources.size(); ++q) {
    const SourceSpec& src = stock.sources[q];
    const auto g = groups.find(src.from);
    if (g == groups.end()) {
      out.push_back(src);
      written.push_back(q);
      continue;
    }
    if (!src.lane.empty() && k == 0) {
      issues.push_back({fmt::format("{}.sources.{}.lane", path, q),
                        "a source naming a node group uses the lanes between members: give no lane"});
    }
    const Members m = g->second;
    if (stock.from_members == GroupSources::kBlock) {
      SourceSpec one = src;
      one.lane.clear();
      one.from = nodes[m.first + k * m.count / n].id;
      out.push_back(std::move(one));
      written.push_back(q);
      continue;
    }
    for (std::size_t j = 0; j < m.count; ++j) {
      SourceSpec each = src;
      each.lane.clear();
      each.from = nodes[m.first + j].id;
      if (src.share) each.share = *src.share / static_cast<double>(m.count);
      out.push_back(std::move(each));
      written.push_back(q);
    }
  }
  return out;
}

// The nodes, groups replaced by members (ids <id>_1 ...), sources expanded;
// `groups` gets each group's members.
std::vector<NodeSpec> expand_nodes(ScenarioSpec& spec, std::unordered_map<std::string, Members>& groups,
                                   GroupOrigins& o, std::vector<SpecIssue>& issues) {
  std::vector<std::size_t>& origin = o.nodes;
  std::vector<NodeSpec> nodes;
  std::vector<std::pair<std::size_t, std::size_t>> place;  // per expanded node: (member k, of n)
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    const NodeSpec& item = spec.nodes[i];
    const auto n = static_cast<std::size_t>(std::max(item.count, 1));
    if (item.count > 1) groups[item.id] = {nodes.size(), n};
    for (std::size_t k = 0; k < n; ++k) {
      NodeSpec& member = nodes.emplace_back(item);
      if (item.count > 1) member.id = fmt::format("{}_{}", item.id, k + 1);
      member.count = 1;
      origin.push_back(i);
      place.emplace_back(k, n);
    }
  }
  if (groups.empty()) return nodes;
  // A group's id names its members: another node may not have it.
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    if (spec.nodes[i].count <= 1 && groups.count(spec.nodes[i].id)) {
      issues.push_back({fmt::format("nodes.{}.id", i),
                        fmt::format("duplicate node id '{}': a node group has it", spec.nodes[i].id)});
    }
  }
  o.sources.assign(nodes.size(), {});
  for (std::size_t j = 0; j < nodes.size(); ++j) {
    for (std::size_t s = 0; s < nodes[j].stocks.size(); ++s) {
      StockSpec& stock = nodes[j].stocks[s];
      std::vector<std::size_t> written;
      stock.sources = member_sources(stock, place[j].first, place[j].second, groups, nodes,
                                     fmt::format("nodes.{}.stocks.{}", origin[j], s), written, issues);
      bool same = written.size() == stock.sources.size();
      for (std::size_t q = 0; same && q < written.size(); ++q) same = written[q] == q;
      if (!same) {
        o.sources[j].resize(nodes[j].stocks.size());
        o.sources[j][s] = std::move(written);
      }
    }
  }
  return nodes;
}


// Returns centres and the stocks recovered units go back to are single
// nodes: a reference to a group names no node after expansion.
void refuse_group_centres(const ScenarioSpec& spec, const std::unordered_map<std::string, Members>& groups,
                          const GroupOrigins& o, std::vector<SpecIssue>& issues) {
  auto why = [](const std::string& id) {
    return fmt::format("'{}' is a node group: name one of its members ({}_1, {}_2, ...)", id, id, id);
  };
  std::set<std::string> seen;  // each item as written once, not once per member
  for (std::size_t j = 0; j < spec.nodes.size(); ++j) {
    const NodeSpec& n = spec.nodes[j];
    for (std::size_t s = 0; s < n.stocks.size(); ++s) {
      const auto& r = n.stocks[s].returns;
      const std::string path = fmt::format("nodes.{}.stocks.{}.returns.to", o.nodes[j], s);
      if (r && groups.count(r->to) && seen.insert(path).second) issues.push_back({path, why(r->to)});
    }
    for (std::size_t g = 0; g < n.recovery.size(); ++g) {
      for (std::size_t k = 0; k < n.recovery[g].routes.size(); ++k) {
        const std::string& to = n.recovery[g].routes[k].to;
        const std::string path = fmt::format("nodes.{}.recovery.{}.routes.{}.to", o.nodes[j], g, k);
        if (groups.count(to) && seen.insert(path).second) issues.push_back({path, why(to)});
      }
    }
  }
}

// Which members the lanes naming groups join (expand_groups), and how many
// lanes that makes.
class LanePairing {
 public:
  LanePairing(const ScenarioSpec& spec, const std::unordered_map<std::string, Members>& groups)
      : spec_(spec), groups_(groups) {
    for (std::size_t j = 0; j < spec.nodes.size(); ++j) index_.emplace(spec.nodes[j].id, j);
  }
  // A group's members, a node alone, or none (an unknown id).
  Members members(const std::string& id) const {
    const auto g = groups_.find(id);
    if (g != groups_.end()) return g->second;
    const auto n = index_.find(id);
    return n == index_.end() ? Members{} : Members{n->second, 1};
  }
  // The members of `from` that lane `item` joins to member `t` of its `to`:
  // every other member (pairs: all), or those the member's sources name.
  void sellers(const LaneSpec& item, Members from, std::size_t t, std::set<std::size_t>& out) const {
    out.clear();
    if (item.pairs == LanePairs::kAll) {
      for (std::size_t f = from.first; f < from.first + from.count; ++f) {
        if (f != t) out.insert(f);  // a group's lanes to itself join two different members
      }
      return;
    }
    for (const StockSpec& stock : spec_.nodes[t].stocks) {
      for (const SourceSpec& src : stock.sources) {
        const auto f = index_.find(src.from);
        if (f != index_.end() && f->second >= from.first && f->second < from.first + from.count) {
          out.insert(f->second);
        }
      }
    }
  }
  // The lanes the expansion makes: counted first, so that they are copied
  // into place once (a vector of thousands of LaneSpecs regrowing copied them
  // all again and again: pages to fault in).
  std::size_t count() const {
    std::size_t n = 0;
    std::set<std::size_t> found;
    for (const LaneSpec& item : spec_.lanes) {
      const Members from = members(item.from), to = members(item.to);
      if ((!groups_.count(item.from) && !groups_.count(item.to)) || from.count == 0 || to.count == 0) {
        ++n;
        continue;
      }
      for (std::size_t t = to.first; t < to.first + to.count; ++t) {
        sellers(item, from, t, found);
        n += found.size();
      }
    }
    return n;
  }

 private:
  const ScenarioSpec& spec_;
  const std::unordered_map<std::string, Members>& groups_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace

std::vector<SpecIssue> expand_groups(ScenarioSpec& spec, GroupOrigins* origins) {
  std::vector<SpecIssue> issues;
  GroupOrigins local;
  GroupOrigins& o = origins != nullptr ? *origins : local;
  o = {};
  std::unordered_map<std::string, Members> groups;
  std::vector<NodeSpec> nodes = expand_nodes(spec, groups, o, issues);
  spec.nodes = std::move(nodes);
  for (std::size_t i = 0; i < spec.lanes.size(); ++i) o.lanes.push_back(i);
  if (groups.empty()) return issues;
  refuse_group_centres(spec, groups, o, issues);

  const LanePairing pairing(spec, groups);
  std::vector<LaneSpec> lanes;
  lanes.reserve(pairing.count());  // copied into place once: a LaneSpec is large
  o.lanes.clear();
  o.lanes.reserve(lanes.capacity());
  std::set<std::size_t> sellers;
  for (std::size_t i = 0; i < spec.lanes.size(); ++i) {
    const LaneSpec& item = spec.lanes[i];
    if (!groups.count(item.from) && !groups.count(item.to)) {
      lanes.push_back(item);
      o.lanes.push_back(i);
      continue;
    }
    if (!item.id.empty()) {
      issues.push_back({fmt::format("lanes.{}.id", i),
                        "a lane from or to a node group has one lane per member pair, each with the default id "
                        "from->to: give no id"});
    }
    const Members from = pairing.members(item.from), to = pairing.members(item.to);
    if (from.count == 0 || to.count == 0) {  // an unknown node: the checks say so, of it alone
      LaneSpec& kept = lanes.emplace_back(item);
      kept.id.clear();
      if (from.count > 0) kept.from = spec.nodes[from.first].id;
      if (to.count > 0) kept.to = spec.nodes[to.first].id;
      o.lanes.push_back(i);
      continue;
    }
    const std::size_t made = lanes.size();
    for (std::size_t t = to.first; t < to.first + to.count; ++t) {
      pairing.sellers(item, from, t, sellers);
      for (std::size_t f : sellers) {
        LaneSpec& lane = lanes.emplace_back(item);
        lane.id.clear();
        lane.from = spec.nodes[f].id;
        lane.to = spec.nodes[t].id;
        o.lanes.push_back(i);
      }
    }
    if (lanes.size() == made) {
      issues.push_back({fmt::format("lanes.{}", i),
                        fmt::format("no stock's sources join a member of '{}' to a member of '{}', so this lane "
                                    "makes none (pairs: all makes every pair)",
                                    item.from, item.to)});
    }
  }
  spec.lanes = std::move(lanes);
  return issues;
}

}  // namespace chainsim::models
