// A growable circular buffer: O(1) push_back / pop_front without allocation
// once it has reached its working size (std::deque allocates and frees blocks
// as it slides), plus an ordered insert for the rare out-of-order message.
//
// Representation: a power-of-two array (so the i-th element from the front is
// buf[(head + i) & mask], no division and no branch), the index of the front
// and the size. Growing doubles the array and unrolls the ring to its start.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>

namespace chainsim::models::detail {

template <typename T>
class RingQueue {
 public:
  RingQueue() = default;
  // A moved-from queue is empty (and usable).
  RingQueue(RingQueue&& other) noexcept { take(other); }
  RingQueue& operator=(RingQueue&& other) noexcept {
    if (this != &other) take(other);
    return *this;
  }
  RingQueue(const RingQueue& other) { *this = other; }
  RingQueue& operator=(const RingQueue& other) {
    if (this == &other) return *this;
    clear();
    for (std::size_t i = 0; i < other.size_; ++i) push_back(other[i]);
    return *this;
  }

  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }

  T& front() noexcept { return buf_[head_]; }
  const T& front() const noexcept { return buf_[head_]; }
  T& back() noexcept { return buf_[index(size_ - 1)]; }
  const T& back() const noexcept { return buf_[index(size_ - 1)]; }
  // i-th element from the front. REQUIRES: i < size().
  T& operator[](std::size_t i) noexcept { return buf_[index(i)]; }
  const T& operator[](std::size_t i) const noexcept { return buf_[index(i)]; }

  void push_back(const T& value) {
    if (size_ == capacity_) grow();
    buf_[index(size_)] = value;
    ++size_;
  }
  void push_back(T&& value) {
    if (size_ == capacity_) grow();
    buf_[index(size_)] = std::move(value);
    ++size_;
  }

  // Appends a value-initialised element and returns it, to be filled in
  // place (building a value and copying it in would read it back right
  // after writing it, which stalls on store forwarding).
  T& emplace_back() {
    if (size_ == capacity_) grow();
    T& slot = buf_[index(size_)];
    slot = T{};
    ++size_;
    return slot;
  }

  // Moves the last element before the elements e with less(last, e) at the
  // back: after emplace_back() on a sorted queue, the same place as
  // insert_sorted() would give (equal elements in insertion order).
  template <typename Less>
  void settle_back(Less less) {
    for (std::size_t i = size_ - 1; i > 0 && less((*this)[i], (*this)[i - 1]); --i) {
      std::swap((*this)[i], (*this)[i - 1]);
    }
  }

  // REQUIRES: !empty().
  void pop_front() noexcept {
    head_ = (head_ + 1) & mask_;
    --size_;
  }

  // Inserts before the first element e with less(value, e), keeping a sorted
  // queue sorted and equal elements in insertion order. O(size) worst case;
  // O(1) when value belongs at the back (the usual case).
  template <typename Less>
  void insert_sorted(const T& value, Less less) {
    std::size_t pos = size_;
    while (pos > 0 && less(value, (*this)[pos - 1])) --pos;
    push_back(value);
    for (std::size_t i = size_ - 1; i > pos; --i) std::swap((*this)[i], (*this)[i - 1]);
  }

  // Removes the element at position i, keeping the order of the rest.
  // REQUIRES: i < size().
  void erase(std::size_t i) {
    if (i == 0) {
      pop_front();
      return;
    }
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
  std::size_t index(std::size_t i) const noexcept { return (head_ + i) & mask_; }
  void take(RingQueue& other) noexcept {
    buf_ = std::move(other.buf_);
    capacity_ = std::exchange(other.capacity_, 0);
    mask_ = std::exchange(other.mask_, 0);
    head_ = std::exchange(other.head_, 0);
    size_ = std::exchange(other.size_, 0);
  }
  void grow() {
    const std::size_t capacity = capacity_ == 0 ? 8 : capacity_ * 2;
    std::unique_ptr<T[]> bigger(new T[capacity]);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move((*this)[i]);
    buf_ = std::move(bigger);
    capacity_ = capacity;
    mask_ = capacity - 1;
    head_ = 0;
  }

  std::unique_ptr<T[]> buf_;
  std::size_t capacity_ = 0;
  std::size_t mask_ = 0;  // capacity - 1 (0 when empty: index() is then never used)
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace chainsim::models::detail
