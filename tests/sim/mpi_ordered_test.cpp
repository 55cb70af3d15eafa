// sim::mpi::run_ordered under mpirun (any number of ranks): results in order,
// failures stop the work and leave no message behind for the next call.
// Not a doctest binary: every rank runs the same sequence of calls, and rank
// 0 checks and reports; the exit status is 0 when every check passed.
#include "sim/mpi_ordered.h"

#include <boost/mpi/environment.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

using Task = std::function<std::string(std::size_t)>;
using Deliver = std::function<void(std::size_t, std::string&&)>;

std::string result(std::size_t i) { return "r" + std::to_string(i * i); }

}  // namespace

int main(int argc, char** argv) {
  boost::mpi::environment env(argc, argv);
  boost::mpi::communicator world;
  const bool master = world.rank() == 0;
  using chainsim::sim::mpi::run_ordered;

  {  // Every result, in order, with small chunks and a small window.
    std::vector<std::size_t> seen;
    bool right = true;
    run_ordered<std::string>(world, 3, 1003, Task(result), Deliver([&](std::size_t i, std::string&& r) {
                               seen.push_back(i);
                               right = right && r == result(i);
                             }),
                             {7, 3});
    if (master) {
      bool order = seen.size() == 1000;
      for (std::size_t k = 0; order && k < seen.size(); ++k) order = seen[k] == 3 + k;
      check(order, "results are delivered once each, in index order");
      check(right, "each result is its task's");
    }
  }
  {  // A task that throws: the ones before it are delivered, then rank 0 throws.
    std::size_t delivered = 0;
    std::string error;
    try {
      run_ordered<std::string>(world, 0, 500, Task([](std::size_t i) -> std::string {
                                 if (i == 237) throw std::runtime_error("task 237 failed");
                                 return result(i);
                               }),
                               Deliver([&](std::size_t i, std::string&&) { delivered = i + 1; }));
    } catch (const std::runtime_error& e) {
      error = e.what();
    }
    if (master) {
      check(error == "task 237 failed", "the task's error reaches rank 0");
      check(delivered == 237, "every result before the failure is delivered, none after");
    }
  }
  {  // deliver throwing: rethrown on rank 0, the workers are stopped.
    std::string error;
    try {
      run_ordered<std::string>(world, 0, 300, Task(result), Deliver([](std::size_t i, std::string&&) {
                                 if (i == 100) throw std::logic_error("disk full");
                               }));
    } catch (const std::logic_error& e) {
      error = e.what();
    }
    if (master) check(error == "disk full", "deliver's exception is rethrown as it was");
  }
  {  // After failures, and with nothing to do, calls still pair up.
    std::size_t count = 0;
    run_ordered<std::string>(world, 5, 5, Task(result), Deliver([&](std::size_t, std::string&&) { ++count; }));
    run_ordered<std::string>(world, 0, 50, Task(result), Deliver([&](std::size_t, std::string&&) { ++count; }));
    if (master) check(count == 50, "a call after failures and an empty call runs every task");
  }
  if (master) std::printf("%s (%d ranks)\n", failures == 0 ? "ok" : "FAILED", world.size());
  return master && failures > 0 ? 1 : 0;
}
