// A second-order response surface fitted by least squares:
//   y = b0 + sum_j b_j x_j + sum_j b_jj x_j^2 + sum_{j<k} b_jk x_j x_k + e
// over the runs of a sweep, so that one can see which parameter moves a
// response before plotting anything.
//
// Representation: the terms (intercept, linear, squares, pairwise
// interactions, in that order, parameters in their given order) are chosen
// once from the runs' parameter values: a parameter with one value is left
// out, and so is the square of one with two values (aliased with the
// intercept). The model matrix is built on coded variables
//   z_j = (x_j - center_j) / half_range_j,  center and half-range of x_j's values
// so every column lies in [-1, 1] and x_j and x_j^2 are not nearly collinear;
// it is factorised once (Householder QR with column pivoting, Eigen) and the
// factorisation solves every response. Coefficients are reported on the coded
// variables (each is the change over half the parameter's range: comparable
// across parameters) and converted exactly to natural units, with standard
// errors from s^2 (X'X)^-1 (and T s^2 (X'X)^-1 T' for natural units, T the
// linear map between the two bases).
//
// Caveat: the standard errors assume independent errors. Under common random
// numbers, runs with the same replication index are positively correlated, so
// the standard errors of the parameter terms are conservative (too wide) and
// that of the intercept too narrow.
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <string>
#include <vector>

namespace chainsim::sim {

struct SurfaceCoefficient {
  double estimate = 0.0;
  double se = 0.0;       // NaN when there are no residual degrees of freedom
  double t = 0.0;        // estimate / se
  double p_value = 0.0;  // two-sided, Student t with the residual degrees of freedom
};

struct SurfaceFit {
  std::vector<SurfaceCoefficient> coded;    // per term, on coded variables
  std::vector<SurfaceCoefficient> natural;  // per term, in the parameters' units
  double r_squared = 0.0;
  double adj_r_squared = 0.0;  // NaN with no residual degrees of freedom
  double residual_sd = 0.0;    // NaN with no residual degrees of freedom
};

class ResponseSurface {
 public:
  // One row of `x` per run, one column per parameter (`names`). The terms are
  // chosen and the model matrix factorised here. REQUIRES: x.cols() ==
  // names.size(), every value finite.
  ResponseSurface(std::vector<std::string> names, const Eigen::MatrixXd& x);

  // Why no surface can be fitted ("", when one can): no parameter varies, or
  // the runs do not determine every term (fewer runs than terms, or a design
  // whose columns are dependent).
  const std::string& problem() const noexcept { return problem_; }

  // Term names: "1", "x", "x^2", "x*y", with the parameters' names.
  const std::vector<std::string>& terms() const noexcept { return term_names_; }
  const std::vector<std::string>& names() const noexcept { return names_; }
  double center(std::size_t j) const { return center_[j]; }
  double half_range(std::size_t j) const { return half_range_[j]; }
  std::size_t runs() const noexcept { return runs_; }
  // Residual degrees of freedom: runs - terms (0 when there are fewer runs).
  std::size_t dof() const noexcept { return runs_ > term_names_.size() ? runs_ - term_names_.size() : 0; }

  // Fits the response `y` (one value per run). REQUIRES: problem() is empty,
  // y.size() == runs(), every value finite.
  SurfaceFit fit(const Eigen::VectorXd& y) const;

 private:
  struct Term {
    int a = -1, b = -1;  // (-1,-1) intercept, (j,-1) linear, (j,j) square, (j,k) interaction
  };

  std::vector<std::string> names_;
  std::size_t runs_ = 0;
  std::vector<double> center_, half_range_;
  std::vector<Term> terms_;
  std::vector<std::string> term_names_;
  Eigen::MatrixXd model_;
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr_;
  Eigen::MatrixXd xtx_inv_;    // (X'X)^-1 on coded variables
  Eigen::MatrixXd to_natural_; // T: natural = T * coded
  std::string problem_;
};

}  // namespace chainsim::sim
