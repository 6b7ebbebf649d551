// kgate's configuration model: the v1 formats of proposals, scenarios,
// suites and policies (docs/formats.md) as C++ values.
// Loaders (config/loader.h) build these from YAML and validate them;
// everything downstream (plan, engine, trial, judge) reads only these types.
//
// Sizes are bytes, durations seconds, margins fractions (2% == 0.02).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/storage_model.h"

namespace kgate {

// Where a value came from, for error messages: "file:line:col".
struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  std::string ToString() const;
};

// What a metric measures; the policy decides which kinds count at which tier.
enum class MetricKind { kTime, kRate, kLatency, kCount, kBytes };
enum class Direction { kLowerIsBetter, kHigherIsBetter };

const char* MetricKindName(MetricKind kind);
const char* DirectionName(Direction d);  // "lower" / "higher"

struct MetricSpec {
  std::string name{};
  std::string unit{};
  Direction better = Direction::kLowerIsBetter;
  MetricKind kind = MetricKind::kTime;
  // false: stored, compared and shown, never decides the verdict. For a
  // number with no "better" side in that workload, such as the requests a
  // fixed-time run issues (more of them may mean more work done, or smaller
  // requests for the same work).
  bool decides = true;
  // The metric's own measured CV per tier (workload.yaml `cv:`), when it
  // differs from the scenario's `determinism:` figure: a count that
  // scatters although the scenario's time repeats (hackbench's context
  // switches). Declared, it decides the metric's fidelity whatever its kind.
  std::map<std::string, double> cv_by_tier{};
};

// A regex parser rule for user workloads: the first capture group of pattern,
// matched against each output line, is the metric's value.
struct RegexRule {
  std::string metric;
  std::string pattern;
};

// How repeatable a scenario's metrics measured at each tier; filled from
// measurement (workload.yaml `determinism:`), read by the judge.
struct Determinism {
  std::map<std::string, double> cv_by_tier;  // tier -> coefficient of variation
  bool deterministic_under_icount = false;
};

// scenarios/<name>/workload.yaml
struct ScenarioSpec {
  std::string name;
  std::string dir;   // the scenario's folder
  SourceLocation location;
  std::string description;
  std::vector<std::string> tags;
  std::vector<std::string> needs;  // host binaries shipped into the guest
  std::string run;                 // command template with {param} placeholders
  std::map<std::string, std::string> params;
  std::vector<std::string> setup;  // commands run once before warm-up, not measured
  int warmup = 1;
  int reps = 3;
  std::string parser;              // a built-in parser name, or "regex"
  std::vector<RegexRule> regex;    // when parser == "regex"
  std::vector<MetricSpec> metrics; // declared order is report order
  int timeout_seconds = 300;       // per repetition
  bool scratch_disk = false;       // give the workload a scratch disk
  std::string scratch_fs;          // "" raw device, "ext4", ...
  // The scratch disk as a modelled device (config/storage_model.h); unset:
  // the emulated virtio-blk disk.
  std::optional<StorageModel> scratch_model;
  bool VirtioScratch() const { return scratch_disk && !scratch_model; }
  bool ModelledScratch() const { return scratch_disk && scratch_model.has_value(); }
  // The icount shift this scenario's guests run at (0: one instruction per
  // ns, for I/O); -1: the run's (--icount-shift).
  int icount_shift = -1;
  bool drop_caches = false;        // drop caches before each repetition
  Determinism determinism;

  const MetricSpec* FindMetric(const std::string& metric) const;
  // run with {param} replaced by params (and the overrides, which win).
  std::string ExpandCommand(const std::map<std::string, std::string>& overrides = {}) const;
};

// suites/<name>.yaml: a named list of scenarios.
struct SuiteSpec {
  std::string name;
  std::vector<std::string> scenarios;
};

// The machine a trial runs on.
struct Shape {
  int vcpus = 1;
  std::uint64_t memory_bytes = 512ull << 20;
  std::uint64_t disk_bytes = 1ull << 30;  // scratch disk size
  std::uint64_t disk_iops = 0;            // QEMU throttling; 0 = unthrottled
  std::uint64_t disk_bps = 0;
  // Stable short name, e.g. "2cpu-1G" or "1cpu-512M-iops500".
  std::string Name() const;
};

struct AgentSpec {
  std::string source{};            // a C++ file or a prebuilt binary, relative to the proposal
  std::vector<std::string> args{};
  // Data files the agent reads (a model's weights), relative to the
  // proposal; each is shipped beside the agent at /kgate/agent/<file name>.
  std::vector<std::string> files{};
  // The sysfs/procfs paths the agent writes. The fault pass feeds these
  // garbage; when empty it uses the arm's knobs: and sysctl: paths.
  std::vector<std::string> knobs{};
  bool present() const { return !source.empty(); }
};

// sched_ext: a BPF scheduler the arm starts before the workload: one of the
// in-tree schedulers (tools/sched_ext) kgate builds with a kernel that has
// CONFIG_SCHED_CLASS_EXT (config base guest-sched-ext). It runs as the arm's
// agent program; the guest waits until the kernel reports it enabled, and
// fails the trial if the kernel disables it during the workload.
struct SchedExtSpec {
  std::string scheduler{};          // "scx_simple"
  std::vector<std::string> args{};  // the scheduler's own options
  bool present() const { return !scheduler.empty(); }
  // What the scheduler registers as (/sys/kernel/sched_ext/root/ops): the
  // program's name without "scx_" ("simple").
  std::string OpsName() const;
};

// The schedulers of tools/sched_ext in Linux 6.12, which kgate builds.
const std::vector<std::string>& InTreeSchedExtSchedulers();

// kernel: {build: ...}: a kernel kgate builds from source (kbuild/).
struct KernelBuildSpec {
  std::string source;  // debian:<series> (linux-source-<series>) | git:<repository>@<ref>
  // guest | guest-sched-ext | debian-cloud | debian-generic | defconfig | file:<path>
  std::string config_base{};
  // Set when the proposal accepts comparing this built kernel with the other
  // arm's prebuilt Debian kernel (toolchain and config then differ too).
  bool compare_with_prebuilt = false;
  std::vector<std::string> fragments{};         // config fragment files, applied in order
  std::map<std::string, std::string> set{};     // option (without CONFIG_) -> value
  std::vector<std::string> patches{};           // files and folders, in series order
  std::string same_as{};  // the arm whose build this one copies ("" when written out)
  SourceLocation location{};
  bool present() const { return !source.empty(); }
};

// One concrete system configuration.
struct ArmSpec {
  std::string name;    // "baseline", "candidate", "tuned:read_ahead_kb=512"
  SourceLocation location;
  // debian:<series>-<flavour> | debian:<package> | path:<bzImage>; "build:<arm>" when
  // the kernel is built from `build`.
  std::string kernel;
  KernelBuildSpec build;
  std::string cmdline;
  std::map<std::string, std::string> knobs;   // guest path -> value
  std::map<std::string, std::string> sysctl;  // name -> value
  std::vector<std::string> modules;           // out-of-tree module source dirs
  AgentSpec agent;
  SchedExtSpec sched_ext;
  std::vector<std::string> patch;  // build.patches: the series the kernel is built with
  bool tuned = false;  // expanded from tuned.sweep
};

// tuned.sweep: knob -> values; each combination becomes one tuned arm
// derived from the baseline.
struct TunedSpec {
  std::map<std::string, std::vector<std::string>> sweep;
  SourceLocation location;
};

// A paper's sentence made checkable.
struct ClaimSpec {
  std::string id;
  std::string text;
  std::string scenario;
  std::string metric;
  std::string vs = "baseline";  // baseline | tuned
  std::string expect;           // as written: ">= 2.3x", "+15%", "<= -20%"
  // expect parsed: the claimed candidate/reference ratio and its comparison.
  std::string op;               // ">=", "<=", "=="
  double ratio = 1.0;
  SourceLocation location;
};

struct RunsSpec {
  int min = 5;
  int max = 15;
};

struct Proposal {
  std::string file;
  std::string dir;  // the proposal's folder; relative paths resolve here
  int version = 1;
  std::string name;
  std::string title;
  std::string source;
  ArmSpec baseline;
  ArmSpec candidate;
  std::optional<TunedSpec> tuned;
  std::vector<std::string> scenarios;  // suite names already expanded
  std::vector<std::string> targets;    // subset of scenarios; the rest are guards
  // params: scenario -> {param: value}, overriding the scenario's params in
  // every arm (fio's direct: 0 to go through the page cache).
  std::map<std::string, std::map<std::string, std::string>> params;
  std::vector<Shape> shapes;
  std::string tier = "auto";           // auto | icount | tcg | kvm | hw
  RunsSpec runs;
  std::vector<ClaimSpec> claims;
  std::string policy = "mainline";
  // Unset: the policy's fault_injection decides; true/false overrides it.
  std::optional<bool> fault_injection;
  // `disk:` the scratch disk of every scenario that has one: "virtio" or a
  // storage profile; "" keeps each scenario's own.
  std::string disk;

  // baseline, candidate, then the tuned arms expanded from the sweep.
  std::vector<ArmSpec> Arms() const;
  bool IsTarget(const std::string& scenario) const;
};

// policies/<name>.yaml: how comparisons become a verdict.
struct Policy {
  std::string name;
  std::string file;
  double margin = 0.02;          // equivalence margin (fraction)
  double alpha = 0.05;           // false-positive rate, after BH
  double max_guard_regression = 0.02;  // worst tolerated significant slowdown on a guard
  bool require_target_gain = true;
  bool require_beat_tuned = true;
  bool require_claims = false;
  // Whether `kgate run` carries out the fault pass (docs/safety.md) for
  // arms with an agent, unless the proposal says otherwise.
  bool fault_injection = false;
  // A time-like metric (time, rate, latency) of a scenario whose measured
  // CV at the run's tier (workload.yaml determinism:) exceeds this does not
  // decide: such a metric can neither prove equivalence within the margin
  // nor a small regression in runs.max rounds (at a CV of 5 % identical arms
  // stayed inconclusive in 97 % of simulated 15-round runs, adaptive_test.cc).
  // Counts are judged as measured.
  double max_cv = 0.02;
  // Whether primary metrics left inconclusive after runs.max may still PASS;
  // when false they make the verdict INCONCLUSIVE (a regression was not ruled
  // out). A secondary metric left inconclusive never withholds a PASS; it
  // FAILs only when significantly regressed (docs/judge.md, gate.cc).
  bool allow_inconclusive = false;
  int looks = 3;            // adaptive sampling: interim analyses from runs.min to runs.max
  int resamples = 4000;     // bootstrap resamples per confidence interval
  std::vector<std::string> forbid;  // maintainability rule ids that FAIL outright
  // tier -> metric kinds that decide at that tier.
  std::map<std::string, std::vector<MetricKind>> trusted_kinds;
};

// Whether a run of the proposal carries out the fault pass: the proposal's
// fault_injection when written, else the policy's.
inline bool FaultInjectionWanted(const Proposal& proposal, const Policy& policy) {
  return proposal.fault_injection.value_or(policy.fault_injection);
}

}  // namespace kgate
