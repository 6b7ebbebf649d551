// The small behaviours of the configuration model's values (config/model.h).
#include "config/model.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "config/command_template.h"
#include "config/units.h"

namespace kgate {

std::string SourceLocation::ToString() const {
  if (line <= 0) return file;
  return fmt::format("{}:{}:{}", file, line, column > 0 ? column : 1);
}

const char* MetricKindName(MetricKind kind) {
  switch (kind) {
    case MetricKind::kTime: return "time";
    case MetricKind::kRate: return "rate";
    case MetricKind::kLatency: return "latency";
    case MetricKind::kCount: return "count";
    case MetricKind::kBytes: return "bytes";
  }
  return "?";
}

const char* DirectionName(Direction d) {
  return d == Direction::kLowerIsBetter ? "lower" : "higher";
}

std::string Shape::Name() const {
  std::string name = fmt::format("{}cpu-{}", vcpus, FormatBytes(memory_bytes));
  if (disk_bytes != Shape().disk_bytes) name += "-disk" + FormatBytes(disk_bytes);
  if (disk_iops != 0) name += fmt::format("-iops{}", disk_iops);
  if (disk_bps != 0) name += "-bps" + FormatBytes(disk_bps);
  return name;
}

std::string SchedExtSpec::OpsName() const {
  return StartsWith(scheduler, "scx_") ? scheduler.substr(4) : scheduler;
}

const std::vector<std::string>& InTreeSchedExtSchedulers() {
  static const std::vector<std::string> names = {"scx_simple", "scx_qmap", "scx_central",
                                                 "scx_flatcg"};
  return names;
}

const MetricSpec* ScenarioSpec::FindMetric(const std::string& metric) const {
  for (const MetricSpec& m : metrics) {
    if (m.name == metric) return &m;
  }
  return nullptr;
}

std::string ScenarioSpec::ExpandCommand(
    const std::map<std::string, std::string>& overrides) const {
  return ExpandTemplate(run, params, overrides);
}

namespace {

// "/sys/block/vda/queue/read_ahead_kb" -> "read_ahead_kb"; sysctl names stay.
std::string KnobShortName(const std::string& knob) {
  std::size_t slash = knob.find_last_of('/');
  return slash == std::string::npos ? knob : knob.substr(slash + 1);
}

}  // namespace

std::vector<ArmSpec> Proposal::Arms() const {
  std::vector<ArmSpec> arms = {baseline, candidate};
  if (!tuned || tuned->sweep.empty()) return arms;
  // Cartesian product of the sweep, in map (knob path) order, the last knob
  // varying fastest, so arm order is stable for a given file.
  std::vector<std::pair<std::string, std::vector<std::string>>> axes(tuned->sweep.begin(),
                                                                     tuned->sweep.end());
  std::vector<std::size_t> index(axes.size(), 0);
  for (const auto& axis : axes) {
    if (axis.second.empty()) return arms;
  }
  while (true) {
    ArmSpec arm = baseline;
    arm.tuned = true;
    arm.location = tuned->location;
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const std::string& value = axes[i].second[index[i]];
      arm.knobs[axes[i].first] = value;
      parts.push_back(KnobShortName(axes[i].first) + "=" + value);
    }
    arm.name = "tuned:" + Join(parts, ",");
    arms.push_back(std::move(arm));
    std::size_t i = axes.size();
    while (i > 0) {
      --i;
      if (++index[i] < axes[i].second.size()) break;
      index[i] = 0;
      if (i == 0) return arms;
    }
  }
}

bool Proposal::IsTarget(const std::string& scenario) const {
  for (const std::string& t : targets) {
    if (t == scenario) return true;
  }
  return false;
}

}  // namespace kgate
