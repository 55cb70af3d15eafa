// A move-only `void()` callable stored in a fixed inline buffer, used for
// event actions so that scheduling an event does not allocate.
//
// Representation: kInlineBytes of raw storage, an invoke pointer and a manage
// pointer (move/destroy). Callables that fit the buffer and are nothrow-move
// constructible live inline; larger ones are placed on the heap once and the
// buffer holds the pointer (documented escape hatch: models keep captures
// small, so the steady state allocates nothing). Trivially copyable callables
// have no manage function at all, so moving them is a memcpy.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace chainsim::sim::detail {

class InlineAction {
 public:
  // Bytes available for an inline capture: 40 keeps a whole event slot
  // (buffer, two pointers, sequence) within one 64-byte cache line.
  static constexpr std::size_t kInlineBytes = 40;

  InlineAction() noexcept = default;

  template <typename F,
            typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, InlineAction>>>
  InlineAction(F&& f) {  // NOLINT(google-explicit-constructor): callables convert implicitly
    using Fn = std::decay_t<F>;
    static_assert(std::is_invocable_r_v<void, Fn&>, "an action must be callable as void()");
    if constexpr (fits_inline<Fn>()) {
      ::new (static_cast<void*>(buf_)) Fn(std::forward<F>(f));
      invoke_ = [](void* p) { (*static_cast<Fn*>(p))(); };
      if constexpr (!std::is_trivially_copyable_v<Fn> || !std::is_trivially_destructible_v<Fn>) {
        manage_ = [](Op op, void* self, void* other) {
          Fn* fn = static_cast<Fn*>(self);
          if (op == Op::kMoveTo) ::new (other) Fn(std::move(*fn));
          fn->~Fn();
        };
      }
    } else {
      Fn* heap = new Fn(std::forward<F>(f));
      std::memcpy(buf_, &heap, sizeof heap);
      invoke_ = [](void* p) {
        Fn* fn;
        std::memcpy(&fn, p, sizeof fn);
        (*fn)();
      };
      manage_ = [](Op op, void* self, void* other) {
        if (op == Op::kMoveTo) {
          std::memcpy(other, self, sizeof(Fn*));
        } else {
          Fn* fn;
          std::memcpy(&fn, self, sizeof fn);
          delete fn;
        }
      };
    }
  }

  InlineAction(InlineAction&& other) noexcept { take(other); }
  InlineAction& operator=(InlineAction&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  InlineAction(const InlineAction&) = delete;
  InlineAction& operator=(const InlineAction&) = delete;
  ~InlineAction() { reset(); }

  explicit operator bool() const noexcept { return invoke_ != nullptr; }

  // REQUIRES: *this holds a callable.
  void operator()() { invoke_(buf_); }

  // Destroys the held callable, leaving *this empty.
  void reset() noexcept {
    if (manage_ != nullptr) manage_(Op::kDestroy, buf_, nullptr);
    invoke_ = nullptr;
    manage_ = nullptr;
  }

  // True when F is stored without a heap allocation.
  template <typename F>
  static constexpr bool fits_inline() {
    return sizeof(F) <= kInlineBytes && alignof(F) <= alignof(std::max_align_t) &&
           alignof(F) <= 8 && std::is_nothrow_move_constructible_v<F>;
  }

 private:
  enum class Op { kMoveTo, kDestroy };
  using InvokeFn = void (*)(void*);
  using ManageFn = void (*)(Op, void*, void*);

  void take(InlineAction& other) noexcept {
    invoke_ = other.invoke_;
    manage_ = other.manage_;
    if (manage_ != nullptr) {
      // kMoveTo move-constructs into our buffer and destroys the source.
      manage_(Op::kMoveTo, other.buf_, buf_);
    } else {
      std::memcpy(buf_, other.buf_, kInlineBytes);
    }
    other.invoke_ = nullptr;
    other.manage_ = nullptr;
  }

  alignas(8) unsigned char buf_[kInlineBytes];
  InvokeFn invoke_ = nullptr;
  ManageFn manage_ = nullptr;
};

}  // namespace chainsim::sim::detail
