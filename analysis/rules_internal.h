// Internal to the rules: the sink rules report into and the rule passes,
// split by theme over rules_code.cc (what the added code does) and
// rules_interface.cc (what it exposes: hooks, user-space API, switches).
#pragma once

#include <regex>
#include <string>
#include <vector>

#include "analysis/change_set.h"
#include "analysis/rules.h"
#include "store/records.h"

namespace kgate::rules {

// Collects findings; the level and the why-sentence come from the catalogue.
class FindingSink {
 public:
  // what: the specific observation ("kernel_fpu_begin() in kernel code").
  void Add(std::string_view rule, const std::string& file, const ChangedLine& line,
           const std::string& what);
  std::vector<FindingRecord> Take() { return std::move(findings_); }

 private:
  std::vector<FindingRecord> findings_;
};

// std::regex recurses per character and overflows the stack on lines of
// some hundred thousand characters; rules look at this much of a line.
inline constexpr std::size_t kMaxMatchedLine = 4096;

// True when re matches anywhere in the first kMaxMatchedLine characters of
// text; *m receives the match.
bool Find(const std::string& text, const std::regex& re, std::smatch* m = nullptr);

void CheckFpu(const ChangeSet& change, FindingSink& sink);
void CheckFileIo(const ChangeSet& change, FindingSink& sink);
void CheckHardcodedPaths(const ChangeSet& change, FindingSink& sink);
void CheckPollingKthreads(const ChangeSet& change, FindingSink& sink);
void CheckTraining(const ChangeSet& change, FindingSink& sink);
void CheckRawHooks(const ChangeSet& change, FindingSink& sink);
void CheckNewUapi(const ChangeSet& change, FindingSink& sink);
void CheckKillSwitch(const ChangeSet& change, FindingSink& sink);

}  // namespace kgate::rules
