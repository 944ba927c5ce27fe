// Counting heap allocations in a bench program, on every thread of the process:
// - C++: the global operator new (plain, array and aligned, throwing and nothrow) is
//   replaced; each call counts once and takes its memory straight from glibc
//   (__libc_malloc, __libc_memalign), so it is not counted again below. operator delete is
//   replaced to match (free()).
// - C: malloc, calloc and realloc are interposed in the executable, so that the dynamic
//   linker binds every library's calls to them here (librdkafka allocates with malloc
//   directly); they pass on to glibc's own __libc_malloc and friends.
// Not counted: posix_memalign, aligned_alloc, memalign and valloc (neither bench side
// calls them per record), nor memory mapped with mmap directly. free() is not interposed: the
// memory still comes from glibc's allocator.
//
// Each count is one relaxed atomic increment per call, on a cache line of its own, paid
// by both sides of a comparison alike.
//
// Include this header in exactly one translation unit of an executable (each bench is a
// single one): it defines malloc, calloc and realloc. Under AddressSanitizer (the debug
// preset) it defines nothing, since the sanitizer owns those functions, and counting()
// says so.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MIB_BENCH_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MIB_BENCH_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef MIB_BENCH_COUNT_ALLOCATIONS
#define MIB_BENCH_COUNT_ALLOCATIONS 1
#endif

namespace mib::bench {

struct alignas(64) AllocationCount {
  std::atomic<std::uint64_t> calls{0};
};

inline AllocationCount c_allocation_count;    // malloc, calloc, realloc
inline AllocationCount cxx_allocation_count;  // operator new

// Whether allocations are counted in this build (not under a sanitizer).
constexpr bool counting_allocations() {
  return MIB_BENCH_COUNT_ALLOCATIONS != 0;
}

// Heap allocations so far by every thread of this process, C and C++.
struct Allocations {
  std::uint64_t c = 0;    // malloc, calloc, realloc (librdkafka's, libc's, ...)
  std::uint64_t cxx = 0;  // operator new

  std::uint64_t total() const { return c + cxx; }
  Allocations operator-(const Allocations& earlier) const {
    return {c - earlier.c, cxx - earlier.cxx};
  }
};

inline Allocations allocations() {
  return {c_allocation_count.calls.load(std::memory_order_relaxed),
          cxx_allocation_count.calls.load(std::memory_order_relaxed)};
}

}  // namespace mib::bench

#if MIB_BENCH_COUNT_ALLOCATIONS

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);

// NOLINTBEGIN(readability-inconsistent-declaration-parameter-name): glibc's own names.
void* malloc(std::size_t size) noexcept {
  mib::bench::c_allocation_count.calls.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  mib::bench::c_allocation_count.calls.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(count, size);
}

void* realloc(void* pointer, std::size_t size) noexcept {
  mib::bench::c_allocation_count.calls.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(pointer, size);
}
// NOLINTEND(readability-inconsistent-declaration-parameter-name)
}

namespace mib::bench::detail {

inline void* counted_new(std::size_t size) {
  cxx_allocation_count.calls.fetch_add(1, std::memory_order_relaxed);
  if (size == 0) size = 1;
  for (;;) {
    if (void* p = __libc_malloc(size)) return p;
    const std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc{};
    handler();
  }
}

inline void* counted_new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted_new(size);
  } catch (...) {
    return nullptr;
  }
}

inline void* counted_new(std::size_t size, std::align_val_t alignment) {
  cxx_allocation_count.calls.fetch_add(1, std::memory_order_relaxed);
  if (size == 0) size = 1;
  for (;;) {
    if (void* p = __libc_memalign(static_cast<std::size_t>(alignment), size)) return p;
    const std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc{};
    handler();
  }
}

inline void* counted_new(std::size_t size, std::align_val_t alignment,
                         const std::nothrow_t&) noexcept {
  try {
    return counted_new(size, alignment);
  } catch (...) {
    return nullptr;
  }
}

}  // namespace mib::bench::detail

// Replacements of the global allocation functions ([new.delete]): not inline, once per
// executable.
void* operator new(std::size_t size) {
  return mib::bench::detail::counted_new(size);
}
void* operator new[](std::size_t size) {
  return mib::bench::detail::counted_new(size);
}
void* operator new(std::size_t size, const std::nothrow_t& tag) noexcept {
  return mib::bench::detail::counted_new(size, tag);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return mib::bench::detail::counted_new(size, tag);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  return mib::bench::detail::counted_new(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return mib::bench::detail::counted_new(size, alignment);
}
void* operator new(std::size_t size, std::align_val_t alignment,
                   const std::nothrow_t& tag) noexcept {
  return mib::bench::detail::counted_new(size, alignment, tag);
}
void* operator new[](std::size_t size, std::align_val_t alignment,
                     const std::nothrow_t& tag) noexcept {
  return mib::bench::detail::counted_new(size, alignment, tag);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

#endif
