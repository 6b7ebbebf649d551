// kgate compare: the comparison table for one arm of two stored runs, or two
// arms of one run. A report, not a gate: it exits 0 whatever it finds, and
// opens the store read-only.
#include <algorithm>
#include <iostream>
#include <map>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "config/load_options.h"
#include "config/policy_loader.h"
#include "cli/command.h"
#include "judge/compare_runs.h"
#include "reports/console_report.h"

namespace kgate {
namespace {

struct CompareArgs {
  std::vector<std::int64_t> runs;
  std::string arm = "candidate";
  std::string arms;  // "REF,ARM" for one run
  std::string policy = "mainline";
  bool json = false;
  bool arm_given = false;
};

// The two sides: run and arm of the reference, then of the compared arm.
struct Sides {
  std::int64_t reference_run = 0;
  std::string reference_arm;
  std::int64_t arm_run = 0;
  std::string arm;
};

std::vector<std::string> ArmNames(Store& store, std::int64_t run_id) {
  std::vector<std::string> names;
  auto arms = store.LoadArms(run_id);
  if (arms.ok()) {
    for (const ArmRecord& a : *arms) names.push_back(a.name);
  }
  return names;
}

// --arms REF,ARM. Tuned arm names contain commas themselves
// ("tuned:nr_requests=64,read_ahead_kb=16"), so the split is the one whose
// halves are arms of the run; failing that, one whose first half is (the
// load then names the unknown second), else the first comma.
Result<std::pair<std::string, std::string>> SplitArms(const std::string& text,
                                                       const std::vector<std::string>& arms) {
  auto known = [&](const std::string& a) {
    return std::find(arms.begin(), arms.end(), a) != arms.end();
  };
  std::vector<std::pair<std::string, std::string>> splits;
  for (std::size_t i = text.find(','); i != std::string::npos; i = text.find(',', i + 1)) {
    std::string ref = text.substr(0, i), arm = text.substr(i + 1);
    if (!ref.empty() && !arm.empty()) splits.emplace_back(ref, arm);
  }
  if (splits.empty()) {
    return Status::BadInput(fmt::format(
        "--arms '{}': want two arms, reference first, e.g. --arms baseline,candidate", text));
  }
  for (const auto& s : splits) {
    if (known(s.first) && known(s.second)) return s;
  }
  for (const auto& s : splits) {
    if (known(s.first)) return s;
  }
  return splits.front();
}

Result<Sides> ResolveSides(const CompareArgs& args, Store& store) {
  if (args.runs.size() == 2) {
    if (!args.arms.empty()) {
      return Status::BadInput(
          "--arms compares two arms of one run; to compare two runs, name one arm with --arm");
    }
    return Sides{args.runs[0], args.arm, args.runs[1], args.arm};
  }
  if (args.arms.empty()) {
    return Status::BadInput(fmt::format(
        "one run needs --arms REF,ARM (e.g. kgate compare {} --arms baseline,candidate), "
        "or name a second run to compare with",
        args.runs[0]));
  }
  if (args.arm_given) {
    return Status::BadInput("--arm names the arm of two runs; with one run use --arms REF,ARM");
  }
  KG_ASSIGN_OR_RETURN(auto split, SplitArms(args.arms, ArmNames(store, args.runs[0])));
  return Sides{args.runs[0], split.first, args.runs[0], split.second};
}

std::string SideLine(const TrialSet& set) {
  return fmt::format("run {} {} (kernel {}, tier {})", set.run_id, set.arm,
                     set.kernel.empty() ? "unknown" : set.kernel, set.tier);
}

void PrintTable(const TrialSet& reference, const TrialSet& arm, const std::string& policy,
                const std::vector<ComparisonRecord>& records, bool verbose) {
  std::cout << fmt::format("{} against {}, policy {}\n\n", SideLine(arm), SideLine(reference),
                           policy);
  PrintComparisonTable(records, verbose, std::cout);
  std::map<std::string, int> notes;  // why comparisons do not decide
  std::map<Classification, int> tally;
  for (const ComparisonRecord& r : records) {
    if (r.decides) {
      ++tally[r.classification];
    } else {
      ++notes[r.note];
    }
  }
  for (const auto& [note, n] : notes) {
    std::cout << fmt::format("not deciding ({} of {}): {}\n", n, records.size(), note);
  }
  std::cout << fmt::format(
      "{} improved, {} regressed, {} equivalent, {} inconclusive (deciding comparisons only)\n",
      tally[Classification::kImproved], tally[Classification::kRegressed],
      tally[Classification::kEquivalent], tally[Classification::kInconclusive]);
}

int RunCompare(const CompareArgs& args, const CommandContext& context) {
  std::string db = ResolveDbPath(context);
  auto store = Store::Open(db, Store::Mode::kReadOnly);
  if (!store.ok()) return ReportError(store.status());
  auto sides = ResolveSides(args, **store);
  if (!sides.ok()) return ReportError(sides.status());
  LoadOptions options = LoadOptions::Default();
  auto policy = LoadPolicy(args.policy, ".", options.policies_dir);
  if (!policy.ok()) return ReportLookupError(policy.status());
  auto compared = CompareStoredArms(**store, sides->reference_run, sides->reference_arm,
                                    sides->arm_run, sides->arm, *policy, options);
  if (!compared.ok() && compared.status().code() == Status::Code::kNotFound) {
    // An unknown run or arm of this store: the user's input, named with it.
    return ReportError(Status::BadInput(fmt::format("{} in {}", compared.status().message(), db)));
  }
  if (!compared.ok()) return ReportError(compared.status());
  if (args.json) {
    std::cout << ToJson(*compared).dump(2) << "\n";
  } else {
    PrintTable(compared->reference, compared->arm, policy->name, compared->records,
               context.global.verbose);
  }
  return 0;
}

}  // namespace

void RegisterCompareCommand(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* sub = app.add_subcommand(
      "compare", "compare one arm of two stored runs, or two arms of one run (writes nothing)");
  sub->add_option("runs", args->runs,
                  "RUN_A RUN_B: the arm of RUN_B against that of RUN_A; or one RUN with --arms")
      ->required()
      ->expected(1, 2);
  CLI::Option* arm = sub->add_option("--arm", args->arm, "the arm compared across two runs")
                         ->capture_default_str();
  sub->add_option("--arms", args->arms,
                  "REF,ARM: two arms of one run, ARM against REF (e.g. baseline,candidate)");
  sub->add_option("--policy", args->policy, "a policy name under policies/ or a path: margin, "
                                            "alpha, resamples and trusted kinds")
      ->capture_default_str();
  sub->add_flag("--json", args->json, "print a JSON object instead of the table");
  sub->callback([args, arm, &context] {
    args->arm_given = arm->count() > 0;
    context.exit_code = RunCompare(*args, context);
  });
}

}  // namespace kgate
