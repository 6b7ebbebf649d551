#include "analysis/maintainability_score.h"

#include <catch2/catch.hpp>

#include "analysis/rules.h"

namespace kgate {
namespace {

FindingRecord Finding(const std::string& rule, const std::string& level) {
  FindingRecord f;
  f.rule = rule;
  f.level = level;
  return f;
}

double Penalty(const MaintainabilityScore& s, const std::string& name) {
  for (const ScoreComponent& c : s.components) {
    if (c.name == name) return c.penalty;
  }
  FAIL("no component " << name);
  return -1;
}

ChangeMetrics Small() {
  ChangeMetrics m;
  m.insertions = 40;
  m.added_c_lines = 30;
  m.added_comment_lines = 6;
  m.comment_density = 0.2;
  return m;
}

TEST_CASE("A clean change scores 100 with every component listed", "[analysis][score]") {
  MaintainabilityScore s = ComputeMaintainabilityScore({}, Small(), true, "");
  CHECK(s.score == 100);
  CHECK(s.components.size() == 16 + 6);  // one per kgate rule, then the metrics
  CHECK(s.components.front().name == "rule:fpu-in-kernel");
}

TEST_CASE("Score weights: errors 15, warnings 6, repeats half", "[analysis][score]") {
  MaintainabilityScore one = ComputeMaintainabilityScore({Finding("fpu-in-kernel", "error")}, Small(), true, "");
  CHECK(one.score == 85);
  MaintainabilityScore three = ComputeMaintainabilityScore(
      std::vector<FindingRecord>(3, Finding("fpu-in-kernel", "error")), Small(), true, "");
  CHECK(Penalty(three, "rule:fpu-in-kernel") == 30);
  MaintainabilityScore nine = ComputeMaintainabilityScore(
      std::vector<FindingRecord>(9, Finding("fpu-in-kernel", "error")), Small(), true, "");
  CHECK(Penalty(nine, "rule:fpu-in-kernel") == 45);  // capped at five findings
  MaintainabilityScore warning = ComputeMaintainabilityScore({Finding("polling-kthread", "warning")}, Small(), true, "");
  CHECK(warning.score == 94);
}

TEST_CASE("More or severer findings never raise the score", "[analysis][score]") {
  std::vector<FindingRecord> findings;
  int last = ComputeMaintainabilityScore(findings, Small(), true, "").score;
  const char* rules[] = {"no-kill-switch", "raw-hook", "checkpatch-LONG_LINE", "raw-hook",
                         "kernel-file-io", "new-uapi", "checkpatch-SPACING", "fpu-in-kernel"};
  const char* levels[] = {"warning", "error", "warning", "error", "error", "warning", "error", "error"};
  for (int i = 0; i < 8; ++i) {
    findings.push_back(Finding(rules[i], levels[i]));
    int now = ComputeMaintainabilityScore(findings, Small(), true, "").score;
    CHECK(now <= last);
    last = now;
  }
  CHECK(last < 40);
  int warn = ComputeMaintainabilityScore({Finding("new-uapi", "warning")}, Small(), true, "").score;
  int err = ComputeMaintainabilityScore({Finding("raw-hook", "error")}, Small(), true, "").score;
  CHECK(err < warn);
}

TEST_CASE("checkpatch penalties are capped, and absence is explained", "[analysis][score]") {
  std::vector<FindingRecord> many(30, Finding("checkpatch-SPACING", "error"));
  MaintainabilityScore s = ComputeMaintainabilityScore(many, Small(), true, "");
  CHECK(Penalty(s, "checkpatch") == 20);
  CHECK(s.score == 80);
  MaintainabilityScore not_run = ComputeMaintainabilityScore({}, Small(), false, "perl is not installed");
  CHECK(Penalty(not_run, "checkpatch") == 0);
  // checkpatch comes right after the one component per kgate rule.
  CHECK(not_run.components[KgateRules().size()].name == "checkpatch");
  CHECK(not_run.components[KgateRules().size()].detail == "not run: perl is not installed");
}

TEST_CASE("Metrics penalties: comments, complexity, spread, size, exports", "[analysis][score]") {
  ChangeMetrics m = Small();
  m.comment_density = 0.02;
  m.functions = {{"mm/x.c", 10, "big", 27, 80}, {"mm/x.c", 100, "small", 4, 10}};
  m.subsystems_known = true;
  m.subsystems_by_file = {{"a", {"A"}}, {"b", {"B"}}, {"c", {"C", "A"}}, {"d", {"D"}},
                          {"e", {"THE REST"}}};
  m.insertions = 650;
  m.exported_symbols = {"a", "b", "c", "d", "e", "f", "g"};
  MaintainabilityScore s = ComputeMaintainabilityScore({}, m, true, "");
  CHECK(Penalty(s, "comments") == Approx(8));
  CHECK(Penalty(s, "complexity") == 15);  // 17 over, capped
  CHECK(Penalty(s, "subsystems") == 4);   // A, B, C, D: two beyond the second
  CHECK(Penalty(s, "size") == Approx(2.5));
  CHECK(Penalty(s, "exports") == 5);
  CHECK(s.score == 66);  // 100 - 8 - 15 - 4 - 2.5 - 5 = 65.5, rounded
}

TEST_CASE("The score JSON lists its components", "[analysis][score]") {
  nlohmann::ordered_json j = MaintainabilityScoreJson(
      ComputeMaintainabilityScore({Finding("raw-hook", "error")}, Small(), true, ""));
  CHECK(j["score"] == 85);
  CHECK(j["components"][3]["name"] == "rule:raw-hook");
  CHECK(j["components"][3]["penalty"] == 15.0);
  CHECK(j["components"][3]["detail"] == "1 finding(s), error");
}

}  // namespace
}  // namespace kgate
