// run_ordered across MPI ranks (Boost.MPI): the same contract as
// sim/parallel.h, with processes instead of threads.
//
// Rank 0 is the master: it hands out the task indices [begin, end) in chunks
// to ranks 1..n-1 as each asks for more (dynamic load balancing, guided: a
// chunk is the remaining work over twice the workers, between 1 and
// `max_chunk`), keeps the chunks that come back early in a reorder buffer,
// and calls deliver(i, result) for i = begin, begin + 1, ... in order. At
// most `window` chunks are out or waiting at once, so the buffer stays
// bounded. Workers run their chunk's tasks in order and send the results
// back. With one rank, rank 0 runs every task itself.
//
// Protocol, per call: master -> worker: a Chunk (begin < end: work; begin ==
// end: this call is over). Worker -> master: a Batch (the chunk's first index,
// its results, and the message of the first task that threw, if any: the
// worker stops that chunk there). Every worker receives exactly one stop per
// call, after which master and workers return; messages never cross calls.
//
// Failure: the first failure (a task that threw, in index order, or deliver
// throwing) stops the handing out; results before it are delivered, every
// outstanding chunk is drained, every worker is stopped, and rank 0 throws
// std::runtime_error with the message. Workers return normally: the caller
// agrees on what happened afterwards (e.g. with a broadcast).
//
// Determinism: deliver sees the same sequence whatever the number of ranks or
// the chunk sizes, when tasks are deterministic.
#pragma once

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace chainsim::sim::mpi {

struct Chunk {
  std::size_t begin = 0, end = 0;
  template <typename Archive>
  void serialize(Archive& ar, unsigned /*version*/) {
    ar& begin& end;
  }
};

template <typename Result>
struct Batch {
  std::size_t begin = 0;
  std::vector<Result> results;
  std::string error;  // non-empty: task begin + results.size() threw this
  template <typename Archive>
  void serialize(Archive& ar, unsigned /*version*/) {
    ar& begin& results& error;
  }
};

struct MpiOptions {
  std::size_t max_chunk = 64;  // tasks per chunk, at most
  std::size_t window = 0;      // chunks out or buffered at once (0: 4 per worker)
};

inline constexpr int kTagWork = 1;
inline constexpr int kTagBatch = 2;

template <typename Result>
void run_ordered(const boost::mpi::communicator& comm, std::size_t begin, std::size_t end,
                 const std::function<Result(std::size_t)>& task,
                 const std::function<void(std::size_t, Result&&)>& deliver, MpiOptions options = {}) {
  const int workers = comm.size() - 1;
  if (comm.rank() != 0) {
    for (;;) {
      Chunk c;
      comm.recv(0, kTagWork, c);
      if (c.begin == c.end) return;
      Batch<Result> b;
      b.begin = c.begin;
      for (std::size_t i = c.begin; i < c.end; ++i) {
        try {
          b.results.push_back(task(i));
        } catch (const std::exception& e) {
          b.error = e.what();
          break;
        } catch (...) {
          b.error = "a task failed";
          break;
        }
      }
      comm.send(0, kTagBatch, b);
    }
  }
  if (workers == 0) {
    for (std::size_t i = begin; i < end; ++i) deliver(i, task(i));
    return;
  }
  const std::size_t window = options.window > 0 ? options.window : 4 * static_cast<std::size_t>(workers);
  std::size_t next = begin, next_deliver = begin, out = 0;
  std::map<std::size_t, Batch<Result>> buffer;  // by first index
  std::deque<int> idle;
  std::string error;
  std::size_t error_at = end;  // index of the first failure
  std::exception_ptr deliver_error;

  auto chunk_size = [&] {
    const std::size_t remaining = end - next;
    return std::clamp<std::size_t>(remaining / (2 * static_cast<std::size_t>(workers)), 1, options.max_chunk);
  };
  auto hand_out = [&] {
    while (!idle.empty() && error.empty() && next < end && out + buffer.size() < window) {
      const Chunk c{next, next + std::min(chunk_size(), end - next)};
      next = c.end;
      comm.send(idle.front(), kTagWork, c);
      idle.pop_front();
      ++out;
    }
  };
  for (int w = 1; w <= workers; ++w) idle.push_back(w);
  hand_out();
  while (out > 0) {
    Batch<Result> b;
    const boost::mpi::status st = comm.recv(boost::mpi::any_source, kTagBatch, b);
    --out;
    idle.push_back(st.source());
    if (!b.error.empty()) {
      const std::size_t at = b.begin + b.results.size();
      if (at < error_at) {
        error_at = at;
        error = b.error;
      }
    }
    const std::size_t first = b.begin;
    buffer.emplace(first, std::move(b));
    // Deliver what is contiguous, up to the first failure.
    while (!deliver_error && !buffer.empty() && buffer.begin()->first == next_deliver) {
      Batch<Result> ready = std::move(buffer.begin()->second);
      buffer.erase(buffer.begin());
      for (Result& r : ready.results) {
        if (next_deliver >= error_at) break;
        try {
          deliver(next_deliver, std::move(r));
        } catch (...) {
          deliver_error = std::current_exception();
          error = "delivery failed";
          error_at = next_deliver;
          break;
        }
        ++next_deliver;
      }
      if (!ready.error.empty() || deliver_error) break;
    }
    hand_out();
  }
  for (int w : idle) comm.send(w, kTagWork, Chunk{});
  if (deliver_error) std::rethrow_exception(deliver_error);
  if (!error.empty()) throw std::runtime_error(error);
}

}  // namespace chainsim::sim::mpi
