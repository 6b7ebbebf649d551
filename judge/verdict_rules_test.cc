// The gate's safety and trials rules on synthetic runs (judge_test_support.h).
#include "judge/judge.h"

#include <catch2/catch.hpp>

#include "judge/testing/judge_fixtures.h"

namespace kgate {
using namespace judge_testing;

// --- safety and trials ---------------------------------------------------

TEST_CASE("a crashed candidate trial FAILs on safety even when every comparison is fine",
          "[judge][safety]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddTrial("candidate", "hackbench-pipe", 2, {}, TrialStatus::kCrashed);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(Find(j, "hackbench-pipe", "insns").classification == Classification::kEquivalent);
  CHECK(HasReason(j, "safety", Outcome::kFail));
  CHECK(j.verdict == Verdict::kFail);
  CHECK(j.scores["safety"]["score"] == 0);
  CHECK(j.scores["safety"]["candidate_crashed"] == 1);
}

TEST_CASE("a hung candidate trial FAILs on safety", "[judge][safety]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddTrial("candidate", "hackbench-pipe", 1, {}, TrialStatus::kHung);
  Judgement j = Judge(b.in());
  CHECK(HasReason(j, "safety", Outcome::kFail));
  CHECK(j.verdict == Verdict::kFail);
}

TEST_CASE("an oops on a candidate trial's console FAILs on safety", "[judge][safety]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddFinding(b.FirstTrialOf("candidate"), "console-oops");
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(HasReason(j, "safety", Outcome::kFail));
  CHECK(j.verdict == Verdict::kFail);
  CHECK(j.scores["safety"]["score"] == 0);
}

TEST_CASE("a hung-task report does not FAIL at icount, whose guest clock jumps over I/O waits",
          "[judge][safety]") {
  for (const char* rule : {"console-hung-task", "console-soft-lockup", "console-rcu-stall"}) {
    INFO(rule);
    RunBuilder icount("icount");
    icount.AddScenario("hackbench-pipe", {Insns()});
    icount.AddPair("hackbench-pipe", 5, {}, 0.001);
    icount.AddFinding(icount.FirstTrialOf("candidate"), rule);
    Judgement j = Judge(icount.in());
    INFO(Dump(j));
    CHECK_FALSE(HasReason(j, "safety", Outcome::kFail));
    REQUIRE(HasReason(j, "safety", Outcome::kPass));
    CHECK_THAT(ReasonsOf(j, "safety")[0].message, Catch::Contains("not counted at tier icount"));
    CHECK(j.scores["safety"]["score"] == 100);
    CHECK(j.verdict == Verdict::kPass);

    // At tcg the guest clock follows the host's: the same report fails.
    RunBuilder tcg("tcg");
    tcg.AddScenario("hackbench-pipe", {Insns()});
    tcg.AddPair("hackbench-pipe", 5, {}, 0.001);
    tcg.AddFinding(tcg.FirstTrialOf("candidate"), rule);
    Judgement t = Judge(tcg.in());
    CHECK(HasReason(t, "safety", Outcome::kFail));
    CHECK(t.scores["safety"]["score"] == 0);
  }
  // An oops is an oops at any tier.
  RunBuilder oops("icount");
  oops.AddScenario("hackbench-pipe", {Insns()});
  oops.AddPair("hackbench-pipe", 5, {}, 0.001);
  oops.AddFinding(oops.FirstTrialOf("candidate"), "console-oops");
  CHECK(HasReason(Judge(oops.in()), "safety", Outcome::kFail));
}

TEST_CASE("only new taint counts against the candidate, in the gate and the score alike",
          "[judge][safety]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddFinding(b.FirstTrialOf("candidate"), "console-taint");
  Judgement tainted = Judge(b.in());
  CHECK(HasReason(tainted, "safety", Outcome::kFail));
  CHECK(tainted.scores["safety"]["score"] == 50);

  // The baseline's kernel shows the same taint (unsigned, say): not new.
  b.AddFinding(b.FirstTrialOf("baseline"), "console-taint").arm = "baseline";
  Judgement shared = Judge(b.in());
  INFO(Dump(shared));
  CHECK_FALSE(HasReason(shared, "safety", Outcome::kFail));
  CHECK(shared.scores["safety"]["score"] == 100);
  CHECK(shared.verdict == Verdict::kPass);
}

TEST_CASE("baseline crashes and baseline console splats alone do not FAIL", "[judge][safety]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddTrial("baseline", "hackbench-pipe", 3, {}, TrialStatus::kCrashed);
  b.AddFinding(b.FirstTrialOf("baseline"), "console-oops").arm = "baseline";
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK_FALSE(HasReason(j, "safety", Outcome::kFail));
  REQUIRE(HasReason(j, "safety", Outcome::kPass));
  CHECK_THAT(ReasonsOf(j, "safety")[0].message, Catch::Contains("baseline"));
  CHECK(j.verdict == Verdict::kPass);
  CHECK(j.scores["safety"]["score"] == 100);
  CHECK(j.scores["safety"]["baseline_crashed_or_hung"] == 1);
}

TEST_CASE("a candidate trial that failed where the baseline ran FAILs the trials rule",
          "[judge][trials]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddTrial("candidate", "hackbench-pipe", 4, {}, TrialStatus::kFailed);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(HasReason(j, "trials", Outcome::kFail));
  CHECK(j.verdict == Verdict::kFail);
  CHECK_FALSE(HasReason(j, "safety", Outcome::kFail));  // a failure is not a crash
}

TEST_CASE("a candidate failure where the baseline also never ran is INCONCLUSIVE",
          "[judge][trials]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddScenario("broken", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.AddTrial("baseline", "broken", 0, {}, TrialStatus::kFailed);
  b.AddTrial("candidate", "broken", 0, {}, TrialStatus::kFailed);
  Judgement j = Judge(b.in());
  INFO(Dump(j));
  CHECK(HasReason(j, "trials", Outcome::kInconclusive));
  CHECK_FALSE(HasReason(j, "trials", Outcome::kFail));
  CHECK(j.verdict == Verdict::kInconclusive);
}

TEST_CASE("a forbidden rule FAILs once however often it fired", "[judge][forbid]") {
  RunBuilder b;
  b.AddScenario("hackbench-pipe", {Insns()});
  b.AddPair("hackbench-pipe", 5, {}, 0.001);
  b.in().policy.forbid = {"fpu-in-kernel"};
  auto finding = [](const std::string& rule, const std::string& file, int line) {
    FindingRecord f;
    f.arm = "candidate";
    f.rule = rule;
    f.level = "error";
    f.file = file;
    f.line = line;
    f.message = "floating point";
    return f;
  };
  b.in().findings = {finding("fpu-in-kernel", "mlp/Kbuild", 9),
                     finding("polling-kthread", "mlp/main.c", 65),
                     finding("fpu-in-kernel", "mlp/eval.c", 12)};
  Judgement j = Judge(b.in());
  CHECK(j.verdict == Verdict::kFail);
  std::vector<std::string> forbid;
  for (const Reason& r : j.reasons) {
    if (r.rule == "forbid") forbid.push_back(r.message);
  }
  REQUIRE(forbid.size() == 1);
  CHECK(forbid[0] ==
        "fpu-in-kernel (forbidden by policy " + b.in().policy.name +
            "): 2 findings, the first at mlp/Kbuild:9: floating point");
  b.in().policy.forbid.clear();
  CHECK(Judge(b.in()).verdict != Verdict::kFail);
}

TEST_CASE("a candidate kernel that does not build FAILs; a baseline that does not is inconclusive",
          "[judge][build]") {
  for (const char* arm : {"candidate", "baseline"}) {
    INFO(arm);
    RunBuilder b;
    b.AddScenario("hackbench-pipe", {Insns()});
    b.AddPair("hackbench-pipe", 5, {}, 0.001);
    CheckRecord check;
    check.arm = arm;
    check.kind = "build";
    check.status = CheckStatus::kFailed;
    check.summary = "mm/readahead.c:130:9: error: 'ra' undeclared";
    b.in().checks.push_back(check);
    Judgement j = Judge(b.in());
    INFO(Dump(j));
    bool candidate = std::string(arm) == "candidate";
    CHECK(HasReason(j, "build", candidate ? Outcome::kFail : Outcome::kInconclusive));
    CHECK(j.verdict == (candidate ? Verdict::kFail : Verdict::kInconclusive));
  }
}

}  // namespace kgate
