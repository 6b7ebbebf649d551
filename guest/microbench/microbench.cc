// kgate-microbench: the in-guest micro-suite of the `microbench` scenario.
//
// Each benchmark isolates one kernel path a proposal may slow down: the
// syscall entry/exit (getpid, a 1-byte read), anonymous page faults, a pipe
// round trip between two processes (wake-up and context switch), process
// creation (fork + exit + wait) and VMA setup/teardown (mmap/munmap 1 MiB).
// Run it with --benchmark_format=json; scenarios/parsers/microbench.cc reads
// that JSON. A benchmark whose iteration does several operations reports the
// user counter `ops_per_iteration`, and the parser divides its times by it, so
// every metric is the cost of one operation in ns.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

namespace {

constexpr size_t kPageFaultRegionBytes = 4u << 20;  // 1024 pages of 4 KiB
constexpr size_t kMmapBytes = 1u << 20;

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// getpid through syscall(2): glibc does not cache it, but be explicit.
void BM_getpid(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(syscall(SYS_getpid));
  }
}
BENCHMARK(BM_getpid)->Name("getpid");

void BM_ReadDevZero(benchmark::State& state) {
  int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    state.SkipWithError(Errno("open /dev/zero").c_str());
    return;
  }
  char byte = 1;
  for (auto _ : state) {
    if (read(fd, &byte, 1) != 1) {
      state.SkipWithError(Errno("read /dev/zero").c_str());
      break;
    }
    benchmark::DoNotOptimize(byte);
  }
  close(fd);
}
BENCHMARK(BM_ReadDevZero)->Name("read_dev_zero_1byte");

// One iteration maps a fresh anonymous region, writes one byte per page (one
// minor fault each, no THP since the region is not 2 MiB aligned by request
// and MADV_NOHUGEPAGE is set) and unmaps it; the per-fault cost is the
// iteration time divided by the page count.
void BM_PageFault(benchmark::State& state) {
  const long page = sysconf(_SC_PAGESIZE);
  const size_t pages = kPageFaultRegionBytes / page;
  for (auto _ : state) {
    void* p = mmap(nullptr, kPageFaultRegionBytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      state.SkipWithError(Errno("mmap").c_str());
      break;
    }
    madvise(p, kPageFaultRegionBytes, MADV_NOHUGEPAGE);
    volatile char* bytes = static_cast<volatile char*>(p);
    for (size_t i = 0; i < pages; ++i) bytes[i * page] = 1;
    munmap(p, kPageFaultRegionBytes);
  }
  state.counters["ops_per_iteration"] = static_cast<double>(pages);
}
BENCHMARK(BM_PageFault)->Name("page_fault");

// Parent writes one byte, the child echoes it back: one round trip is two
// wake-ups and two context switches. Real time, since half the work is the
// child's CPU time.
void BM_PipeRoundTrip(benchmark::State& state) {
  int to_child[2], to_parent[2];
  if (pipe(to_child) != 0 || pipe(to_parent) != 0) {
    state.SkipWithError(Errno("pipe").c_str());
    return;
  }
  pid_t child = fork();
  if (child < 0) {
    state.SkipWithError(Errno("fork").c_str());
    return;
  }
  if (child == 0) {
    // Close the parent's ends, or the child never sees EOF on to_child.
    close(to_child[1]);
    close(to_parent[0]);
    char c;
    while (read(to_child[0], &c, 1) == 1) {
      if (write(to_parent[1], &c, 1) != 1) break;
    }
    _exit(0);
  }
  close(to_child[0]);
  close(to_parent[1]);
  char c = 'x';
  for (auto _ : state) {
    if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1) {
      state.SkipWithError(Errno("pipe round trip").c_str());
      break;
    }
  }
  close(to_child[1]);  // the child sees EOF and exits
  close(to_parent[0]);
  waitpid(child, nullptr, 0);
}
BENCHMARK(BM_PipeRoundTrip)->Name("pipe_round_trip")->UseRealTime();

void BM_ForkExitWait(benchmark::State& state) {
  for (auto _ : state) {
    pid_t child = fork();
    if (child < 0) {
      state.SkipWithError(Errno("fork").c_str());
      break;
    }
    if (child == 0) _exit(0);
    int status = 0;
    if (waitpid(child, &status, 0) != child) {
      state.SkipWithError(Errno("waitpid").c_str());
      break;
    }
  }
}
// About 4.4 ms per fork under icount: the default --benchmark_min_time of
// the scenario (0.05 s) would average about ten forks, whose scatter (CV ~6 %
// when measured at 8 ms, with the crypto self-tests still sharing the vCPU)
// hid a 5 % cost in 15 rounds. 0.6 s averages ~135.
BENCHMARK(BM_ForkExitWait)->Name("fork_exit_wait")->UseRealTime()->MinTime(0.6);

// VMA creation and teardown without faults: the region is never touched.
// At a fixed, 2 MiB-aligned hint: where ASLR put each process's mappings
// decided between two costs (105 and 120 us a pair under icount, per
// repetition, whatever the min_time), so the metric measured the layout.
// Without MAP_FIXED the kernel still picks another place if the hint is taken.
void BM_MmapMunmap(benchmark::State& state) {
  void* const hint = reinterpret_cast<void*>(std::uintptr_t{0x600000000000});
  for (auto _ : state) {
    void* p = mmap(hint, kMmapBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      state.SkipWithError(Errno("mmap").c_str());
      break;
    }
    benchmark::DoNotOptimize(p);
    munmap(p, kMmapBytes);
  }
}
BENCHMARK(BM_MmapMunmap)->Name("mmap_munmap_1mib");

}  // namespace

BENCHMARK_MAIN();
