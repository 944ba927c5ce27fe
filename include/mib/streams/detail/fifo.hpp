// Internal: a queue in a vector that keeps its capacity. Operator state pushes at the back
// and pops at the front, record after record: std::deque frees and allocates a 512-byte
// block every few records of a large value (two MarketData), this allocates only to grow.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace mib::streams::detail {

template <typename T>
class Fifo {
 public:
  using iterator = typename std::vector<T>::iterator;
  using const_iterator = typename std::vector<T>::const_iterator;

  bool empty() const noexcept { return head_ == items_.size(); }
  std::size_t size() const noexcept { return items_.size() - head_; }
  std::size_t capacity() const noexcept { return items_.capacity(); }
  iterator begin() noexcept { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  iterator end() noexcept { return items_.end(); }
  const_iterator begin() const noexcept {
    return items_.begin() + static_cast<std::ptrdiff_t>(head_);
  }
  const_iterator end() const noexcept { return items_.end(); }
  T& front() { return items_[head_]; }
  T& operator[](std::size_t i) { return items_[head_ + i]; }

  void push_back(T value) { items_.push_back(std::move(value)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    return items_.emplace_back(std::forward<Args>(args)...);
  }
  template <typename... Args>
  iterator emplace(iterator at, Args&&... args) {
    return items_.emplace(at, std::forward<Args>(args)...);
  }
  void pop_front() {
    ++head_;
    if (head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    } else if (head_ >= 64 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;  // items before it are popped
};

}  // namespace mib::streams::detail
