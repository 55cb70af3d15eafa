#include "sim/sweep_design.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/core.h>
#include <limits>

#include "sim/random.h"

namespace chainsim::sim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Splits at `sep` outside brackets, braces and quotes.
std::vector<std::string> split_top(std::string_view s, char sep) {
  std::vector<std::string> out;
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (c == sep && depth == 0) {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.push_back(trim(s.substr(start)));
  return out;
}

// Digits after the decimal point, or -1 with an exponent (no rounding then).
int decimals(std::string_view s) {
  if (s.find_first_of("eE") != std::string_view::npos) return -1;
  const auto dot = s.find('.');
  return dot == std::string_view::npos ? 0 : static_cast<int>(s.size() - dot - 1);
}

bool integer_text(std::string_view s) {
  return !s.empty() && s.find_first_of(".eEiInN") == std::string_view::npos;
}

double number_or_throw(std::string_view s, const char* what) {
  const double x = parse_number(s);
  if (std::isnan(x)) throw DesignError(fmt::format("{} must be a finite number (got '{}')", what, s));
  return x;
}

// A uniform integer in [0, n) without modulo bias.
std::uint64_t below(RandomStream& rs, std::uint64_t n) {
  const std::uint64_t threshold = (0 - n) % n;
  for (;;) {
    const std::uint64_t r = rs.next_u64();
    if (r >= threshold) return r % n;
  }
}

}  // namespace

std::string format_number(double x) { return fmt::format("{}", x); }

double parse_number(std::string_view text) {
  const std::string t = trim(text);
  if (t.empty()) return kNaN;
  const char* first = t.data();
  if (*first == '+') ++first;
  double x = 0.0;
  const auto [ptr, ec] = std::from_chars(first, t.data() + t.size(), x);
  if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(x)) return kNaN;
  return x;
}

bool ParamSpec::numeric() const {
  if (kind == Kind::kInterval) return true;
  return std::all_of(numbers.begin(), numbers.end(), [](double x) { return !std::isnan(x); });
}

ParamSpec list_param(std::string name, std::vector<std::string> levels) {
  ParamSpec p;
  p.name = std::move(name);
  p.kind = ParamSpec::Kind::kList;
  for (const std::string& l : levels) {
    if (l.empty()) throw DesignError("a list value is empty");
    p.spec += (p.spec.empty() ? "" : ",") + l;
  }
  if (levels.empty()) throw DesignError("a list needs at least one value");
  p.levels = std::move(levels);
  for (const std::string& l : p.levels) p.numbers.push_back(parse_number(l));
  return p;
}

ParamSpec range_param(std::string name, std::string_view from_text, std::string_view to_text,
                      std::string_view step_text) {
  const double from = number_or_throw(from_text, "the range's start");
  const double to = number_or_throw(to_text, "the range's end");
  const double step = number_or_throw(step_text, "the range's step");
  if (step <= 0) throw DesignError(fmt::format("the range's step must be > 0 (got {})", step_text));
  if (to < from) throw DesignError(fmt::format("the range's end must be >= its start (got {} < {})", to_text, from_text));
  const double count = std::floor((to - from) / step + 1e-9) + 1.0;
  if (count > static_cast<double>(kMaxLevels)) {
    throw DesignError(fmt::format("the range has more than {} values", kMaxLevels));
  }
  const int d = std::max(decimals(from_text), decimals(step_text));
  ParamSpec p;
  p.name = std::move(name);
  p.spec = fmt::format("{}:{}:{}", trim(from_text), trim(to_text), trim(step_text));
  p.kind = ParamSpec::Kind::kRange;
  const auto n = static_cast<std::size_t>(count);
  for (std::size_t k = 0; k < n; ++k) {
    double x = from + static_cast<double>(k) * step;
    if (decimals(from_text) >= 0 && decimals(step_text) >= 0 && d <= 15) {
      const double scale = std::pow(10.0, d);
      x = std::round(x * scale) / scale;
    }
    if (x == 0.0) x = 0.0;  // no "-0"
    p.levels.push_back(format_number(x));
    p.numbers.push_back(x);
  }
  return p;
}

ParamSpec interval_param(std::string name, std::string_view low_text, std::string_view high_text) {
  ParamSpec p;
  p.name = std::move(name);
  p.spec = fmt::format("{}:{}", trim(low_text), trim(high_text));
  p.kind = ParamSpec::Kind::kInterval;
  p.low = number_or_throw(low_text, "the interval's low end");
  p.high = number_or_throw(high_text, "the interval's high end");
  p.integer = integer_text(trim(low_text)) && integer_text(trim(high_text));
  if (p.low >= p.high) {
    throw DesignError(fmt::format("the interval's low end must be below its high end (got {})", p.spec));
  }
  if (p.integer && (std::abs(p.low) > 9e15 || std::abs(p.high) > 9e15)) {
    throw DesignError(fmt::format("the integer interval's ends must be within +-9e15 (got {})", p.spec));
  }
  return p;
}

ParamSpec parse_param_spec(std::string name, std::string_view spec) {
  const std::string s = trim(spec);
  if (s.empty()) throw DesignError("the SPEC is empty");
  const std::vector<std::string> items = split_top(s, ',');
  if (items.size() == 1 && s.front() != '[' && s.front() != '{') {
    const std::vector<std::string> parts = split_top(s, ':');
    const bool numbers = std::all_of(parts.begin(), parts.end(),
                                     [](const std::string& x) { return !std::isnan(parse_number(x)); });
    if (parts.size() == 3 && numbers) return range_param(std::move(name), parts[0], parts[1], parts[2]);
    if (parts.size() == 2 && numbers) return interval_param(std::move(name), parts[0], parts[1]);
    if (parts.size() > 1 && std::isnan(parse_number(parts[0])) == false) {
      throw DesignError(fmt::format("write a range as FROM:TO:STEP or an interval as LOW:HIGH, with numbers (got '{}')", s));
    }
  }
  ParamSpec p = list_param(std::move(name), items);
  p.spec = s;
  return p;
}

Design Design::grid(std::vector<ParamSpec> params) {
  if (params.empty()) throw DesignError("a sweep needs at least one parameter");
  Design d;
  d.type_ = Type::kGrid;
  d.size_ = 1;
  for (const ParamSpec& p : params) {
    if (p.kind == ParamSpec::Kind::kInterval) {
      throw DesignError(fmt::format("{}: the grid design takes a list or a range FROM:TO:STEP (got the interval '{}'; "
                                    "intervals are for the lhs design)",
                                    p.name, p.spec));
    }
    if (static_cast<double>(d.size_) * static_cast<double>(p.levels.size()) > static_cast<double>(kMaxPoints)) {
      throw DesignError(fmt::format("the grid has more than {} points", kMaxPoints));
    }
    d.size_ *= p.levels.size();
  }
  d.stride_.assign(params.size(), 1);
  for (std::size_t j = params.size(); j-- > 1;) d.stride_[j - 1] = d.stride_[j] * params[j].levels.size();
  d.params_ = std::move(params);
  return d;
}

Design Design::latin_hypercube(std::vector<ParamSpec> params, std::size_t samples, std::uint64_t seed) {
  if (params.empty()) throw DesignError("a sweep needs at least one parameter");
  if (samples < 1 || samples > kMaxPoints) {
    throw DesignError(fmt::format("the lhs design needs 1 to {} samples (got {})", kMaxPoints, samples));
  }
  for (const ParamSpec& p : params) {
    if (p.kind != ParamSpec::Kind::kInterval) {
      throw DesignError(fmt::format("{}: the lhs design takes an interval LOW:HIGH (got '{}')", p.name, p.spec));
    }
  }
  Design d;
  d.type_ = Type::kLatinHypercube;
  d.size_ = samples;
  const std::size_t dims = params.size();
  d.samples_.assign(samples * dims, 0.0);
  RandomStream rs(seed, 0, "sweep/latin_hypercube");
  std::vector<std::size_t> perm(samples);
  const double n = static_cast<double>(samples);
  for (std::size_t j = 0; j < dims; ++j) {
    const ParamSpec& p = params[j];
    for (std::size_t i = 0; i < samples; ++i) perm[i] = i;
    for (std::size_t i = samples; i-- > 1;) std::swap(perm[i], perm[below(rs, i + 1)]);
    for (std::size_t i = 0; i < samples; ++i) {
      const double u = (static_cast<double>(perm[i]) + rs.uniform01()) / n;  // in (0, 1)
      double x;
      if (p.integer) {
        const double k = p.high - p.low + 1.0;
        x = std::min(p.high, p.low + std::floor(u * k));
      } else {
        x = p.low + u * (p.high - p.low);
      }
      d.samples_[i * dims + j] = x;
    }
  }
  d.params_ = std::move(params);
  return d;
}

bool Design::numeric() const {
  return std::all_of(params_.begin(), params_.end(), [](const ParamSpec& p) { return p.numeric(); });
}

std::size_t Design::level(std::size_t i, std::size_t j) const {
  return (i / stride_[j]) % params_[j].levels.size();
}

std::string Design::text(std::size_t i, std::size_t j) const {
  if (type_ == Type::kGrid) return params_[j].levels[level(i, j)];
  return format_number(samples_[i * params_.size() + j]);
}

double Design::number(std::size_t i, std::size_t j) const {
  if (type_ == Type::kGrid) return params_[j].numbers[level(i, j)];
  return samples_[i * params_.size() + j];
}

}  // namespace chainsim::sim
