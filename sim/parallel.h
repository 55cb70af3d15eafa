// Runs independent tasks on a pool of threads and hands their results back in
// task order, through a bounded reorder buffer, on the calling thread.
//
// run_ordered(n, jobs, task, deliver): task(i) runs for every i in [0, n) on
// one of `jobs` worker threads (jobs <= 1: on the calling thread, in order);
// deliver(i, result) is called on the calling thread for i = 0, 1, 2, ... in
// that order, as soon as result i and all before it are done. At most
// `window` results wait in the buffer (default 4 per job), so memory stays
// bounded however long the run. An exception from a task is rethrown by
// run_ordered when its turn to be delivered comes; results before it are
// delivered first, and no task starts after a failure.
//
// Determinism: the results of a deterministic task do not depend on the
// thread that computed them, and delivery order is fixed, so whatever `jobs`
// is, deliver sees the same sequence.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace chainsim::sim {

// The number of hardware threads (at least 1).
inline int hardware_jobs() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

template <typename Result>
void run_ordered(std::size_t n, int jobs, const std::function<Result(std::size_t)>& task,
                 const std::function<void(std::size_t, Result&&)>& deliver, std::size_t window = 0) {
  if (jobs <= 1 || n <= 1) {
    for (std::size_t i = 0; i < n; ++i) deliver(i, task(i));
    return;
  }
  if (window == 0) window = static_cast<std::size_t>(jobs) * 4;
  std::mutex mu;
  std::condition_variable cv;
  std::size_t next_task = 0, next_deliver = 0;
  bool failed = false;
  std::map<std::size_t, std::optional<Result>> done;
  std::map<std::size_t, std::exception_ptr> errors;

  auto worker = [&] {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return failed || next_task >= n || next_task < next_deliver + window; });
        if (failed || next_task >= n) return;
        i = next_task++;
      }
      std::optional<Result> r;
      std::exception_ptr e;
      try {
        r.emplace(task(i));
      } catch (...) {
        e = std::current_exception();
      }
      {
        std::lock_guard lock(mu);
        if (e) {
          errors[i] = e;
          failed = true;
        } else {
          done[i] = std::move(r);
        }
      }
      cv.notify_all();
    }
  };
  std::vector<std::thread> threads;
  const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(jobs), n);
  for (std::size_t t = 0; t < count; ++t) threads.emplace_back(worker);

  std::exception_ptr to_throw;
  while (next_deliver < n) {
    std::optional<Result> r;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return done.count(next_deliver) > 0 || errors.count(next_deliver) > 0 || (failed && next_task <= next_deliver); });
      if (errors.count(next_deliver)) {
        to_throw = errors[next_deliver];
        failed = true;
        break;
      }
      if (!done.count(next_deliver)) {  // a later task failed and nothing more will come
        to_throw = errors.begin()->second;
        break;
      }
      r = std::move(done[next_deliver]);
      done.erase(next_deliver);
    }
    try {
      deliver(next_deliver, std::move(*r));
    } catch (...) {
      std::lock_guard lock(mu);
      failed = true;
      to_throw = std::current_exception();
    }
    {
      std::lock_guard lock(mu);
      ++next_deliver;
    }
    cv.notify_all();
    if (to_throw) break;
  }
  {
    std::lock_guard lock(mu);
    failed = failed || to_throw != nullptr;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
  if (to_throw) std::rethrow_exception(to_throw);
}

}  // namespace chainsim::sim
