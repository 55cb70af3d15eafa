#include "models/report/svg.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/core.h>
#include <limits>

namespace chainsim::models::report {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string coord(double v) {
  if (!std::isfinite(v)) return "0";
  std::string s = fmt::format("{:.1f}", v);
  if (s == "-0.0") return "0";
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

std::string format_number(double x, int digits) {
  if (std::isnan(x)) return "-";
  if (std::isinf(x)) return x > 0 ? "∞" : "-∞";
  if (x == 0.0) return "0";
  const double ax = std::abs(x);
  if (ax >= 1e15 || ax < 1e-4) return fmt::format("{:.{}g}", x, digits);
  // Decimals so that `digits` significant digits show, never negative.
  const int magnitude = static_cast<int>(std::floor(std::log10(ax)));
  const int decimals = std::max(0, digits - 1 - magnitude);
  std::string s = fmt::format("{:.{}f}", x, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") return "0";
  return s;
}

std::string group_thousands(std::string s) {
  const std::size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
  std::size_t end = s.find_first_not_of("0123456789", start);
  if (end == std::string::npos) end = s.size();
  for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(end) - 3; i > static_cast<std::ptrdiff_t>(start); i -= 3) {
    s.insert(static_cast<std::size_t>(i), "\u2009");
  }
  return s;
}

std::string format_label(double x, int digits) {
  const std::string s = format_number(x, digits);
  return std::isfinite(x) && std::abs(x) >= 10000 && std::abs(x) < 1e15 ? group_thousands(s) : s;
}

std::string format_tick(double x, double step) {
  int decimals = 0;
  if (step > 0 && std::isfinite(step)) {
    // Enough decimals for the step's last significant digit (0.25 -> 2).
    for (double s = step; decimals < 10 && std::abs(s - std::round(s)) > 1e-9 * std::max(1.0, s); s *= 10) {
      ++decimals;
    }
  }
  if (std::abs(x) < step * 1e-9) x = 0.0;  // -0 and rounding noise at zero
  return group_thousands(fmt::format("{:.{}f}", x, decimals));
}

Ticks nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) && !std::isfinite(hi)) lo = 0.0, hi = 1.0;
  if (!std::isfinite(lo)) lo = hi;
  if (!std::isfinite(hi)) hi = lo;
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo <= std::abs(hi) * 1e-12) {
    // A constant: widen around it, never below 0 for a non-negative value.
    const double pad = hi == 0.0 ? 1.0 : std::abs(hi) * 0.1;
    const bool non_negative = lo >= 0.0;
    lo = non_negative ? std::max(0.0, lo - pad) : lo - pad;
    hi += pad;
  }
  // Among the steps 1, 2, 2.5, 5 x 10^k near (hi - lo) / target, the one
  // whose axis wastes least of its length beyond the data, with an interval
  // count close to the target (a light version of Wilkinson's search).
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag, best = std::numeric_limits<double>::infinity();
  for (double scale : {mag / 10, mag, mag * 10}) {
    for (double m : {1.0, 2.0, 2.5, 5.0}) {
      const double s = m * scale;
      const double a = std::floor(lo / s + 1e-9) * s, b = std::ceil(hi / s - 1e-9) * s;
      const double intervals = std::round((b - a) / s);
      if (intervals < 1 || intervals > 2.0 * target + 2) continue;
      const double coverage = (hi - lo) / (b - a);
      // Fewer intervals than the target cost more than more of them.
      const double count = intervals < target ? (target - intervals) / target : 0.35 * (intervals - target) / target;
      const double score = count + 2.5 * (1 - coverage) + (m == 2.5 ? 0.15 : 0.0);
      if (score < best - 1e-12) best = score, step = s;
    }
  }
  Ticks t;
  t.step = step;
  t.lo = std::floor(lo / step + 1e-9) * step;
  t.hi = std::ceil(hi / step - 1e-9) * step;
  const auto n = static_cast<long>(std::llround((t.hi - t.lo) / step));
  for (long i = 0; i <= n; ++i) t.values.push_back(t.lo + static_cast<double>(i) * step);
  return t;
}

double LinearScale::operator()(double x) const {
  if (d1_ == d0_) return (r0_ + r1_) / 2;
  return r0_ + (x - d0_) / (d1_ - d0_) * (r1_ - r0_);
}

const char* dash_array(Dash d) {
  switch (d) {
    case Dash::kSolid: return "";
    case Dash::kDashed: return "7 4";
    case Dash::kDotted: return "1.5 3";
    case Dash::kDashDot: return "8 3 2 3";
    case Dash::kLongDash: return "14 5";
    case Dash::kDenseDash: return "4 2";
  }
  return "";
}

namespace {

// Okabe & Ito's colour-blind-safe palette, ordered so that neighbours differ
// in lightness as well as hue (they stay apart in greyscale).
constexpr std::array<const char*, 6> kColors = {"#0b4f8a", "#d55e00", "#009e73", "#6a3d9a", "#b07d00", "#4d4d4d"};
constexpr std::array<Dash, 6> kDashes = {Dash::kSolid, Dash::kDashed, Dash::kDotted,
                                         Dash::kDashDot, Dash::kLongDash, Dash::kDenseDash};
constexpr std::array<Marker, 6> kMarkers = {Marker::kCircle, Marker::kSquare, Marker::kTriangle,
                                            Marker::kDiamond, Marker::kCross, Marker::kNone};

}  // namespace

Style palette_style(std::size_t i) {
  Style s;
  s.color = kColors[i % kColors.size()];
  s.dash = kDashes[i % kDashes.size()];
  s.marker = kMarkers[i % kMarkers.size()];
  s.width = i < kColors.size() ? 1.8 : 2.6;
  return s;
}

std::string palette_color(std::size_t i) { return kColors[i % kColors.size()]; }

Decimation decimate_min_max(const std::vector<double>& y, std::size_t budget) {
  Decimation d;
  const std::size_t n = y.size();
  if (n <= budget) {
    d.index.resize(n);
    for (std::size_t i = 0; i < n; ++i) d.index[i] = i;
    return d;
  }
  d.bucket = (2 * n + budget - 1) / budget;
  for (std::size_t start = 0; start < n; start += d.bucket) {
    const std::size_t end = std::min(n, start + d.bucket);
    std::size_t lo = start, hi = start;
    for (std::size_t i = start; i < end; ++i) {
      if (y[i] < y[lo]) lo = i;
      if (y[i] > y[hi]) hi = i;
    }
    d.index.push_back(std::min(lo, hi));
    if (lo != hi) d.index.push_back(std::max(lo, hi));
  }
  return d;
}

void decimate_band(const std::vector<double>& x, const std::vector<double>& lo, const std::vector<double>& hi,
                   std::size_t bucket, std::vector<double>& x_out, std::vector<double>& lo_out,
                   std::vector<double>& hi_out) {
  x_out.clear();
  lo_out.clear();
  hi_out.clear();
  if (bucket <= 1) {
    x_out = x;
    lo_out = lo;
    hi_out = hi;
    return;
  }
  for (std::size_t start = 0; start < x.size(); start += bucket) {
    const std::size_t end = std::min(x.size(), start + bucket);
    double l = lo[start], h = hi[start];
    for (std::size_t i = start; i < end; ++i) {
      l = std::min(l, lo[i]);
      h = std::max(h, hi[i]);
    }
    for (const std::size_t i : {start, end - 1}) {
      x_out.push_back(x[i]);
      lo_out.push_back(l);
      hi_out.push_back(h);
    }
  }
}

double text_width(std::string_view text, double font_size) {
  // Average advance of a sans-serif face: ~0.56 em for lower case and digits,
  // wider for capitals; UTF-8 continuation bytes take no width.
  double w = 0.0;
  for (unsigned char c : text) {
    if ((c & 0xC0) == 0x80) continue;
    w += (c >= 'A' && c <= 'Z') ? 0.7 : (c == ' ' || c == '.' || c == ',' || c == 'i' || c == 'l') ? 0.32 : 0.6;
  }
  return w * font_size;
}

}  // namespace chainsim::models::report
