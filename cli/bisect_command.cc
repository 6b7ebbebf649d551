// kgate bisect: find the commit of a git source, or the patch of the
// candidate's series, that made a proposal's candidate regress. Each step is
// a stored run (engine/bisect.h says how a step is judged).
#include <iostream>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/process.h"
#include "base/strings.h"
#include "cli/command.h"
#include "cli/run_console.h"
#include "config/proposal_loader.h"
#include "engine/bisect.h"
#include "engine/run_engine.h"
#include "kbuild/patch_series.h"

namespace kgate {
namespace {

struct BisectArgs {
  std::string proposal;
  std::string good;
  std::string bad;
  bool series = false;
  std::string metric;
  std::string tier;
  std::string scenarios;
  int runs = 0;
  std::string work_dir;
};

struct Commit {
  std::string sha;
  std::string subject;
  std::string Short() const { return sha.substr(0, 12) + " " + subject; }
};

// One commit or patch a step can probe: the candidate it builds, and how
// the console names it.
struct BisectItem {
  std::string name;    // in the step list: "3ae56a67aa1f subject", or the patch's Name()
  std::string id;      // in step lines and each run's command line: a sha, or "patch 3"
  std::string answer;  // in the answer: "<sha> subject", or the patch's Name()
  KernelBuildSpec build;
};

// What is bisected, as builds: the baseline of every step, and the items,
// oldest first (the last one is bad).
struct Bisectable {
  std::string kind;         // "commit" | "patch"
  std::string description;  // "4 commit(s) of /srv/linux (v1..v2)"
  std::string base_name;    // the baseline, when it does not build: "the good ref v1"
  std::string bad_name;     // what is run to confirm the answer: "the bad ref v2", "the whole series"
  KernelBuildSpec baseline;
  std::vector<BisectItem> items;
};

// The local repository of a git: source ("git:/srv/linux@v6.12" -> /srv/linux).
Result<std::string> RepositoryOf(const ArmSpec& candidate) {
  const std::string& source = candidate.build.source;
  std::size_t at = source.rfind('@');
  if (!candidate.build.present() || !StartsWith(source, "git:") || at == std::string::npos || at <= 4) {
    return Status::BadInput(fmt::format(
        "{}: kgate bisect needs a candidate built from a git source (kernel: {{build: {{source: "
        "git:<repository>@<ref>}}}}); this candidate's kernel is {}",
        candidate.location.ToString(), candidate.build.present() ? source : candidate.kernel));
  }
  return source.substr(4, at - 4);
}

Result<std::string> Git(const std::string& repo, const std::vector<std::string>& args, ProcessRunner& runner) {
  KG_ASSIGN_OR_RETURN(ProcessResult r, RunGit(repo, args, runner));
  if (!r.success()) {
    return Status::BadInput(fmt::format("git {} in {}: {}", Join(args, " "), repo, Trim(r.err)));
  }
  return Trim(r.out);
}

// The commits after good up to and including bad, oldest first.
Result<std::vector<Commit>> CommitsBetween(const std::string& repo, const std::string& good,
                                           const std::string& bad, ProcessRunner& runner) {
  for (const std::string& ref : {good, bad}) {
    KG_ASSIGN_OR_RETURN(ProcessResult r, RunGit(repo, {"rev-parse", "--verify", "-q", ref + "^{commit}"}, runner));
    if (!r.success()) return Status::BadInput(fmt::format("{} is not a commit in {}", ref, repo));
  }
  KG_ASSIGN_OR_RETURN(ProcessResult ancestor, RunGit(repo, {"merge-base", "--is-ancestor", good, bad}, runner));
  if (!ancestor.success()) {
    return Status::BadInput(fmt::format("the good ref {} is not an ancestor of the bad ref {} in {}", good, bad, repo));
  }
  KG_ASSIGN_OR_RETURN(std::string log, Git(repo, {"log", "--first-parent", "--reverse", "--format=%H %s",
                                                  good + ".." + bad}, runner));
  std::vector<Commit> commits;
  for (const std::string& line : Split(log, '\n')) {
    if (line.empty()) continue;
    std::size_t space = line.find(' ');
    commits.push_back({line.substr(0, space), space == std::string::npos ? "" : line.substr(space + 1)});
  }
  if (commits.empty()) return Status::BadInput(fmt::format("no commits between {} and {} in {}", good, bad, repo));
  return commits;
}

// The candidate's build at commit, without its series: the history is what
// is bisected.
KernelBuildSpec BuildAt(const KernelBuildSpec& candidate, const std::string& repo, const std::string& commit) {
  KernelBuildSpec spec = candidate;
  spec.source = "git:" + repo + "@" + commit;
  spec.patches.clear();
  spec.same_as.clear();
  return spec;
}

// The failed build check of an arm, if its kernel did not build.
std::optional<CheckRecord> FailedBuild(Store& store, std::int64_t run_id, const std::string& arm) {
  auto checks = store.LoadChecks(run_id);
  if (!checks.ok()) return std::nullopt;
  for (const CheckRecord& c : *checks) {
    if (c.kind == "build" && c.arm == arm && c.status == CheckStatus::kFailed) return c;
  }
  return std::nullopt;
}

// The history between --good and --bad of the candidate's git source; every
// step drops the candidate's series (the history is what is bisected).
Result<Bisectable> GitHistory(const BisectArgs& args, const ArmSpec& candidate, ProcessRunner& runner) {
  KG_ASSIGN_OR_RETURN(std::string repo, RepositoryOf(candidate));
  KG_ASSIGN_OR_RETURN(std::vector<Commit> commits, CommitsBetween(repo, args.good, args.bad, runner));
  KG_ASSIGN_OR_RETURN(std::string good_sha, Git(repo, {"rev-parse", args.good + "^{commit}"}, runner));
  Bisectable b;
  b.kind = "commit";
  b.description = fmt::format("{} commit(s) of {} ({}..{})", commits.size(), repo, args.good, args.bad);
  b.base_name = "the good ref " + args.good;
  b.bad_name = "the bad ref " + args.bad;
  b.baseline = BuildAt(candidate.build, repo, good_sha);
  for (const Commit& c : commits) {
    b.items.push_back({c.Short(), c.sha, c.sha + " " + c.subject, BuildAt(candidate.build, repo, c.sha)});
  }
  return b;
}

// The candidate's patch series: the baseline is its source and config with
// no patch, step i applies the first i+1 patches. Each patch is written to a
// file of its own under dir, so a step names exactly its prefix; the last
// step is the candidate itself (the same patch texts: a build-cache hit).
Result<Bisectable> PatchSeries(const ArmSpec& candidate, const std::string& dir) {
  if (!candidate.build.present() || candidate.build.patches.empty()) {
    return Status::BadInput(fmt::format(
        "{}: kgate bisect --series needs a candidate built with patches (kernel: {{build: "
        "{{patches: [...]}}}}); this candidate's kernel is {}",
        candidate.location.ToString(), candidate.build.present() ? candidate.build.source : candidate.kernel));
  }
  KG_ASSIGN_OR_RETURN(std::vector<SeriesPatch> series, ExpandSeries(candidate.build.patches));
  std::string all;
  for (const SeriesPatch& p : series) all += p.parsed.text;
  std::string folder = dir + "/bisect-series/" + Sha256Hex(all).substr(0, 16);
  KG_RETURN_IF_ERROR(MakeDirs(folder));
  Bisectable b;
  b.kind = "patch";
  b.description = fmt::format("the {} patch(es) of the candidate's series on {}", series.size(),
                              candidate.build.source);
  b.base_name = "the series' base";
  b.bad_name = "the whole series";
  b.baseline = candidate.build;
  b.baseline.patches.clear();
  b.baseline.same_as.clear();
  std::vector<std::string> files;
  for (const SeriesPatch& p : series) {
    files.push_back(fmt::format("{}/{:04}.patch", folder, p.index));
    KG_RETURN_IF_ERROR(WriteFileAtomic(files.back(), p.parsed.text));
    KernelBuildSpec step = b.baseline;
    step.patches = files;
    b.items.push_back({p.Name(), fmt::format("patch {}", p.index), p.Name(), std::move(step)});
  }
  return b;
}

int Execute(const BisectArgs& args, CommandContext& context) {
  bool history = !args.good.empty() || !args.bad.empty();
  if (args.series == history || (history && (args.good.empty() || args.bad.empty()))) {
    return ReportError(Status::BadInput(
        "kgate bisect takes either --good REF and --bad REF (a git history) or --series (the "
        "candidate's patches)"));
  }
  auto target = ParseBisectTarget(args.metric);
  if (!target.ok()) return ReportError(target.status());
  auto proposal = LoadProposal(args.proposal);
  if (!proposal.ok()) return ReportError(proposal.status());
  ProcessRunner& runner = DefaultProcessRunner();
  std::string work_dir = args.work_dir.empty() ? DefaultWorkDir(ResolveDbPath(context)) : args.work_dir;
  auto bisectable = args.series ? PatchSeries(proposal->candidate, work_dir)
                                : GitHistory(args, proposal->candidate, runner);
  if (!bisectable.ok()) return ReportError(bisectable.status());

  auto console = OpenConsoleRun(ResolveDbPath(context));
  if (!console.ok()) return ReportError(console.status());
  Store& db = *console->store;
  const RunEnvironment& env = console->env;

  const int count = static_cast<int>(bisectable->items.size());
  std::cout << fmt::format("bisecting {}, about {} step(s); judged by {}\n", bisectable->description,
                           ExpectedBisectSteps(count), target->by_verdict() ? "the verdict" : args.metric);
  RunOptions base;
  base.tier = args.tier;
  base.work_dir = work_dir;
  if (!args.scenarios.empty()) base.plan.scenarios = Split(args.scenarios, ',');
  if (args.runs > 0) base.plan.runs = args.runs;
  base.adaptive = args.runs == 0;
  base.build_of_arm["baseline"] = bisectable->baseline;

  int steps = 0;
  std::map<int, BisectStep> judged;
  auto probe = [&](int i) -> Result<BisectStep> {
    const BisectItem& item = bisectable->items[i];
    const std::string& id = item.id;
    std::cout << fmt::format("step {}: {} ({} of {})\n", ++steps, item.name, i + 1, count) << std::flush;
    RunOptions options = base;
    options.command_line = fmt::format("{}  # step {}: {}", context.global.argv_line, steps, id);
    options.build_of_arm["candidate"] = item.build;
    auto summary = RunEngine(env).Run(args.proposal, options);
    if (!summary.ok()) return summary.status().Prefixed(fmt::format("step {} ({})", steps, id.substr(0, 12)));
    BisectStep step;
    if (FailedBuild(db, summary->run_id, "baseline")) {
      return Status::BadInput(
          fmt::format("{} does not build; nothing can be compared with it", bisectable->base_name));
    }
    if (auto failed = FailedBuild(db, summary->run_id, "candidate")) {
      step.result = StepResult::kSkip;
      step.run_id = summary->run_id;
      step.why = "does not build: " + failed->summary;
    } else {
      auto verdict = db.LoadVerdict(summary->run_id);
      if (!verdict.ok()) return verdict.status();
      auto comparisons = db.LoadComparisons(summary->run_id);
      if (!comparisons.ok()) return comparisons.status();
      step = JudgeStep(*target, *verdict, *comparisons);
    }
    std::cout << fmt::format("step {}: {} is {} (run {}): {}\n", steps, id.substr(0, 12),
                             StepResultName(step.result), step.run_id, step.why)
              << std::flush;
    judged[i] = step;
    return step;
  };
  auto outcome = Bisect(count, probe);
  if (!outcome.ok()) return ReportError(outcome.status());
  // The answer comes with its verdict and comparison: the bad ref itself is
  // run when no step did.
  if (outcome->first_bad && !judged.count(*outcome->first_bad)) {
    auto confirmed = probe(*outcome->first_bad);
    if (!confirmed.ok()) return ReportError(confirmed.status());
    if (confirmed->result != StepResult::kBad) {
      std::cout << fmt::format("{} is {} here, not bad: nothing to bisect\n", bisectable->bad_name,
                               StepResultName(confirmed->result));
      return 3;
    }
  }

  std::cout << fmt::format("\n{} step(s):\n", steps);
  for (const auto& [i, step] : judged) {
    std::cout << fmt::format("  {:<4} {:<60.60} run {:<4} {}\n", StepResultName(step.result),
                             bisectable->items[i].name, step.run_id, step.why);
  }
  if (outcome->first_bad) {
    int i = *outcome->first_bad;
    const BisectStep& step = judged.at(i);
    std::cout << fmt::format("first bad {}: {}\n  run {}: {}\n", bisectable->kind, bisectable->items[i].answer,
                             step.run_id, step.why);
    return 0;
  }
  std::cout << fmt::format("the first bad {} is one of these (the others could not be judged):\n",
                           bisectable->kind);
  for (int i : outcome->candidates) std::cout << "  " << bisectable->items[i].name << "\n";
  return 3;
}

}  // namespace

void RegisterBisectCommand(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<BisectArgs>();
  CLI::App* sub = app.add_subcommand(
      "bisect", "find the commit of a git kernel source, or the patch of the candidate's series, that made a "
                "proposal's candidate regress");
  sub->add_option("proposal", args->proposal,
                  "proposal.yaml whose candidate is built from git:<repo>@<ref>, or with patches (--series)")
      ->required();
  sub->add_option("--good", args->good, "a commit without the regression (the baseline of every step)");
  sub->add_option("--bad", args->bad, "a commit with it");
  sub->add_flag("--series", args->series,
                "bisect the candidate's patch series instead: the baseline is its source without patches");
  sub->add_option("--metric", args->metric,
                  "SCENARIO/METRIC whose regression is bisected (default: the verdict, FAIL is bad)");
  sub->add_option("--tier", args->tier, "icount | tcg | kvm | auto (default: the proposal's)");
  sub->add_option("--scenarios", args->scenarios, "only these scenarios, comma-separated");
  sub->add_option("--runs", args->runs, "a fixed number of rounds per step (default: adaptive)");
  sub->add_option("--work-dir", args->work_dir,
                  "where trial logs go (default <cache>/trials/<hash of the store's path>)");
  sub->callback([args, &context] { context.exit_code = Execute(*args, context); });
}

}  // namespace kgate
