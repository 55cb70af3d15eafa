// A growable circular buffer: O(1) push_back / pop_front without allocation
// once it has reached its working size (std::deque allocates and frees blocks
// as it slides), plus an ordered insert for the rare out-of-order message.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace chainsim::models::detail {

template <typename T>
class RingQueue {
 public:
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }

  T& front() noexcept { return buf_[head_]; }
  const T& front() const noexcept { return buf_[head_]; }
  T& back() noexcept { return buf_[index(size_ - 1)]; }
  const T& back() const noexcept { return buf_[index(size_ - 1)]; }
  // i-th element from the front. REQUIRES: i < size().
  T& operator[](std::size_t i) noexcept { return buf_[index(i)]; }
  const T& operator[](std::size_t i) const noexcept { return buf_[index(i)]; }

  void push_back(T value) {
    if (size_ == buf_.size()) grow();
    buf_[index(size_)] = std::move(value);
    ++size_;
  }

  // REQUIRES: !empty().
  void pop_front() noexcept {
    head_ = head_ + 1 == buf_.size() ? 0 : head_ + 1;
    --size_;
  }

  // Inserts before the first element e with less(value, e), keeping a sorted
  // queue sorted and equal elements in insertion order. O(size) worst case;
  // O(1) when value belongs at the back (the usual case).
  template <typename Less>
  void insert_sorted(T value, Less less) {
    std::size_t pos = size_;
    while (pos > 0 && less(value, (*this)[pos - 1])) --pos;
    push_back(std::move(value));
    for (std::size_t i = size_ - 1; i > pos; --i) std::swap((*this)[i], (*this)[i - 1]);
  }

  // Removes the element at position i, keeping the order of the rest.
  void erase(std::size_t i) {
    for (std::size_t j = i; j + 1 < size_; ++j) (*this)[j] = std::move((*this)[j + 1]);
    --size_;
  }

  // Removes the elements for which pred(element) is true, keeping the order
  // of the rest. O(size).
  template <typename Pred>
  void remove_if(Pred pred) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < size_; ++i) {
      if (pred((*this)[i])) continue;
      if (kept != i) (*this)[kept] = std::move((*this)[i]);
      ++kept;
    }
    size_ = kept;
  }

  void clear() noexcept {
    head_ = 0;
    size_ = 0;
  }

 private:
  std::size_t index(std::size_t i) const noexcept {
    const std::size_t j = head_ + i;
    return j >= buf_.size() ? j - buf_.size() : j;
  }
  void grow() {
    std::vector<T> bigger(buf_.empty() ? 8 : buf_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move((*this)[i]);
    buf_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<T> buf_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace chainsim::models::detail
