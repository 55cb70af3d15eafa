// chainsim-mpi: `chainsim sweep` and `chainsim optimize` across MPI ranks.
//
//   mpirun -n 65 chainsim-mpi sweep SCENARIO --param PATH=SPEC ... --out DIR
//   mpirun -n 65 chainsim-mpi optimize SCENARIO --vary PATH=SPEC ... --out DIR
//
// An optimisation runs its decisions on every rank: each batch of runs is
// handed out by rank 0 and its results broadcast to all, so every rank takes
// the same next step (models/experiment/optimize.h).
//
// Every rank parses the same arguments and the same files (on a shared file
// system); rank 0 hands out the runs in chunks (sim/mpi_ordered.h), writes
// the files and prints; ranks 1..n-1 run what they are given. The files are
// the same bytes as `chainsim sweep` writes. Rank 0 only coordinates, so
// n ranks run on n - 1 workers (docs/cluster.md).
#include <boost/mpi/environment.hpp>
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.h"
#include "models/experiment/sweep.h"
#include "sim/mpi_ordered.h"

namespace boost::serialization {

template <typename Archive>
void serialize(Archive& ar, chainsim::models::SweepTaskResult& r, unsigned /*version*/) {
  ar& r.text& r.values;
}

}  // namespace boost::serialization

namespace {

using chainsim::models::SweepTaskResult;

class MpiExecutor final : public chainsim::models::SweepExecutor {
 public:
  explicit MpiExecutor(boost::mpi::communicator& comm) : comm_(comm) {}
  bool is_writer() const override { return comm_.rank() == 0; }
  void run(std::size_t begin, std::size_t end, const Task& task, const Deliver& deliver) override {
    chainsim::sim::mpi::run_ordered<SweepTaskResult>(comm_, begin, end, task, deliver);
  }
  std::string broadcast(const std::string& value) override {
    std::string v = value;
    boost::mpi::broadcast(comm_, v, 0);
    return v;
  }

 private:
  boost::mpi::communicator& comm_;
};

}  // namespace

int main(int argc, char** argv) {
  boost::mpi::environment env(argc, argv);
  boost::mpi::communicator world;
  using namespace chainsim::cli;
  CLI::App app{"chainsim-mpi: chainsim sweep and optimize across MPI ranks (rank 0 coordinates and writes)"};
  app.set_version_flag("--version", version_string());
  app.require_subcommand(1);
  SweepArgs sweep;
  CLI::App* sweep_cmd = add_sweep_command(app, sweep);
  OptimizeArgs optimize;
  add_optimize_command(app, optimize);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (world.rank() == 0) return app.exit(e) == 0 ? kExitOk : kExitBadInput;
    return e.get_exit_code() == 0 ? kExitOk : kExitBadInput;
  }
  MpiExecutor exec(world);
  try {
    return *sweep_cmd ? sweep_command(sweep, &exec) : optimize_command(optimize, &exec);
  } catch (const std::exception& e) {
    std::cerr << "chainsim-mpi: error (rank " << world.rank() << "): " << e.what() << "\n";
    return kExitFailure;
  }
}
