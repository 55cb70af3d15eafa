#include "sim/response_surface.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <fmt/core.h>
#include <limits>
#include <map>
#include <set>

namespace chainsim::sim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

SurfaceCoefficient coefficient(double estimate, double variance, double dof) {
  SurfaceCoefficient c;
  c.estimate = estimate;
  if (!(dof > 0)) {
    c.se = c.t = c.p_value = kNaN;
    return c;
  }
  c.se = std::sqrt(std::max(0.0, variance));
  c.t = c.se > 0 ? estimate / c.se : kNaN;
  if (std::isnan(c.t)) {
    c.p_value = kNaN;
  } else {
    const boost::math::students_t dist(dof);
    c.p_value = 2.0 * boost::math::cdf(boost::math::complement(dist, std::abs(c.t)));
  }
  return c;
}

}  // namespace

ResponseSurface::ResponseSurface(std::vector<std::string> names, const Eigen::MatrixXd& x)
    : names_(std::move(names)), runs_(static_cast<std::size_t>(x.rows())) {
  const auto d = static_cast<std::size_t>(x.cols());
  const Eigen::Index n = x.rows();
  center_.assign(d, 0.0);
  half_range_.assign(d, 0.0);
  std::vector<std::size_t> levels(d, 0);
  for (std::size_t j = 0; j < d; ++j) {
    const auto col = static_cast<Eigen::Index>(j);
    std::set<double> distinct;
    for (Eigen::Index i = 0; i < n && distinct.size() < 3; ++i) distinct.insert(x(i, col));
    levels[j] = distinct.size();
    if (n > 0) {
      const double lo = x.col(col).minCoeff(), hi = x.col(col).maxCoeff();
      center_[j] = (lo + hi) / 2.0;
      half_range_[j] = (hi - lo) / 2.0;
    }
  }
  std::vector<int> varying;
  for (std::size_t j = 0; j < d; ++j) {
    if (levels[j] >= 2) varying.push_back(static_cast<int>(j));
  }
  terms_.push_back({});
  for (int j : varying) terms_.push_back({j, -1});
  for (int j : varying) {
    if (levels[static_cast<std::size_t>(j)] >= 3) terms_.push_back({j, j});
  }
  for (std::size_t a = 0; a < varying.size(); ++a) {
    for (std::size_t b = a + 1; b < varying.size(); ++b) terms_.push_back({varying[a], varying[b]});
  }
  for (const Term& t : terms_) {
    if (t.a < 0) {
      term_names_.push_back("1");
    } else if (t.b < 0) {
      term_names_.push_back(names_[static_cast<std::size_t>(t.a)]);
    } else if (t.a == t.b) {
      term_names_.push_back(names_[static_cast<std::size_t>(t.a)] + "^2");
    } else {
      term_names_.push_back(names_[static_cast<std::size_t>(t.a)] + "*" + names_[static_cast<std::size_t>(t.b)]);
    }
  }
  const auto m = static_cast<Eigen::Index>(terms_.size());
  if (varying.empty()) {
    problem_ = "no parameter takes more than one value";
    return;
  }
  if (n <= m) {
    problem_ = fmt::format("{} runs cannot determine {} terms with an error estimate (need more than {})", n, m, m);
    return;
  }
  // The model matrix on coded variables.
  model_.resize(n, m);
  for (Eigen::Index i = 0; i < n; ++i) {
    auto z = [&](int j) {
      const auto jj = static_cast<std::size_t>(j);
      return (x(i, j) - center_[jj]) / half_range_[jj];
    };
    for (Eigen::Index c = 0; c < m; ++c) {
      const Term& t = terms_[static_cast<std::size_t>(c)];
      model_(i, c) = t.a < 0 ? 1.0 : t.b < 0 ? z(t.a) : z(t.a) * z(t.b);
    }
  }
  qr_.compute(model_);
  if (qr_.rank() < m) {
    problem_ = fmt::format("the runs do not determine every term (the {} columns of the model have rank {})", m,
                           qr_.rank());
    return;
  }
  const Eigen::MatrixXd r = qr_.matrixR().topLeftCorner(m, m).triangularView<Eigen::Upper>();
  const Eigen::MatrixXd r_inv =
      r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(m, m));
  const Eigen::MatrixXd p = qr_.colsPermutation();
  xtx_inv_ = p * (r_inv * r_inv.transpose()) * p.transpose();

  // natural = T * coded, from z_j = alpha_j x_j + gamma_j.
  std::map<std::pair<int, int>, Eigen::Index> index;
  for (Eigen::Index c = 0; c < m; ++c) {
    const Term& t = terms_[static_cast<std::size_t>(c)];
    index[{t.a, t.b}] = c;
  }
  auto alpha = [&](int j) { return 1.0 / half_range_[static_cast<std::size_t>(j)]; };
  auto gamma = [&](int j) { return -center_[static_cast<std::size_t>(j)] / half_range_[static_cast<std::size_t>(j)]; };
  to_natural_ = Eigen::MatrixXd::Zero(m, m);
  for (Eigen::Index c = 0; c < m; ++c) {
    const Term& t = terms_[static_cast<std::size_t>(c)];
    auto add = [&](int a, int b, double v) { to_natural_(index.at({a, b}), c) += v; };
    if (t.a < 0) {
      add(-1, -1, 1.0);
    } else if (t.b < 0) {
      add(t.a, -1, alpha(t.a));
      add(-1, -1, gamma(t.a));
    } else if (t.a == t.b) {
      add(t.a, t.a, alpha(t.a) * alpha(t.a));
      add(t.a, -1, 2.0 * alpha(t.a) * gamma(t.a));
      add(-1, -1, gamma(t.a) * gamma(t.a));
    } else {
      add(t.a, t.b, alpha(t.a) * alpha(t.b));
      add(t.a, -1, alpha(t.a) * gamma(t.b));
      add(t.b, -1, gamma(t.a) * alpha(t.b));
      add(-1, -1, gamma(t.a) * gamma(t.b));
    }
  }
}

SurfaceFit ResponseSurface::fit(const Eigen::VectorXd& y) const {
  SurfaceFit f;
  const Eigen::VectorXd beta = qr_.solve(y);
  const Eigen::VectorXd resid = y - model_ * beta;
  const double rss = resid.squaredNorm();
  const double mean = y.mean();
  const double tss = (y.array() - mean).matrix().squaredNorm();
  const auto n = static_cast<double>(runs());
  const auto m = static_cast<double>(terms_.size());
  const double dof = n - m;
  f.r_squared = tss > 0 ? 1.0 - rss / tss : kNaN;
  f.adj_r_squared = tss > 0 && dof > 0 ? 1.0 - (rss / dof) / (tss / (n - 1.0)) : kNaN;
  const double s2 = dof > 0 ? rss / dof : kNaN;
  f.residual_sd = dof > 0 ? std::sqrt(s2) : kNaN;
  const Eigen::VectorXd natural = to_natural_ * beta;
  const Eigen::MatrixXd cov_natural = to_natural_ * xtx_inv_ * to_natural_.transpose();
  for (Eigen::Index c = 0; c < beta.size(); ++c) {
    f.coded.push_back(coefficient(beta(c), s2 * xtx_inv_(c, c), dof));
    f.natural.push_back(coefficient(natural(c), s2 * cov_natural(c, c), dof));
  }
  return f;
}

}  // namespace chainsim::sim
