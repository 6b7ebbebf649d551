#include "judge/trial_values.h"

#include <unordered_map>

#include "judge/stats.h"

namespace kgate {

std::vector<TrialValues> PerTrialValues(const std::vector<TrialRecord>& trials,
                                        const std::vector<SampleRow>& samples) {
  std::unordered_map<std::int64_t, const TrialRecord*> ok;
  for (const TrialRecord& t : trials) {
    if (t.status == TrialStatus::kOk) ok.emplace(t.id, &t);
  }
  // trial id -> metric -> repetitions; samples arrive grouped by trial.
  std::map<int, std::pair<const TrialRecord*, std::map<std::string, std::vector<double>>>> by_seq;
  for (const SampleRow& row : samples) {
    auto it = ok.find(row.trial_id);
    if (it == ok.end()) continue;
    auto& entry = by_seq[it->second->seq];
    entry.first = it->second;
    entry.second[row.sample.metric].push_back(row.sample.value);
  }
  std::vector<TrialValues> out;
  out.reserve(by_seq.size());
  for (auto& [seq, entry] : by_seq) {
    const TrialRecord& t = *entry.first;
    TrialValues v{t.id, t.seq, t.round, t.arm, t.scenario, t.shape, {}};
    for (auto& [metric, reps] : entry.second) v.values[metric] = Median(std::move(reps));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace kgate
