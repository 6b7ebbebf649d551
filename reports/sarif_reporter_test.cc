#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/finding_rules.h"
#include "reports/testing/report_fixtures.h"
#include "reports/reporter.h"

namespace kgate {
namespace {

using Json = nlohmann::json;

// The sample run plus findings of every location kind: a console splat with
// a log path and line, a static finding in a patch file, one with an
// uncatalogued rule and a level SARIF does not know.
ReportData SarifSample() {
  ReportData d = testing::SampleReportData();
  FindingRecord f;
  f.run_id = 7;
  f.trial_id = 2;
  f.arm = "candidate";
  f.rule = "console-warning";
  f.level = "error";
  f.file = "/var/lib/kgate/work/run-7/trial-1/console.log";
  f.line = 412;
  f.message = "WARNING: CPU: 0 PID: 1 at mm/readahead.c:210 page_cache_ra_order+0x1c/0x2a0";
  f.excerpt = "WARNING: CPU: 0 PID: 1 at mm/readahead.c:210 page_cache_ra_order+0x1c/0x2a0\n"
              "Call Trace:\n";
  d.findings.push_back(f);
  f.trial_id.reset();
  f.rule = "fpu-in-kernel";
  f.file = "module/ra tuner.c";
  f.line = 88;
  f.message = "kernel_fpu_begin() around the model's inference";
  f.excerpt = "\tkernel_fpu_begin();\n";
  d.findings.push_back(f);
  f.rule = "vendor-lint";
  f.level = "fatal";
  f.file = "";
  f.line = 0;
  f.message = "something a newer kgate found";
  f.excerpt = "";
  d.findings.push_back(f);
  return d;
}

std::string RenderSarif(const ReportData& d) {
  std::ostringstream out;
  auto reporter = MakeReporter("sarif");
  REQUIRE(reporter != nullptr);
  REQUIRE(reporter->Render(d, out).ok());
  return out.str();
}

TEST_CASE("sarif report matches its golden file", "[reports]") {
  std::string text = RenderSarif(SarifSample());
  testing::MaybeUpdateGolden("sample_report.sarif", text);
  CHECK(text == testing::ReadGolden("sample_report.sarif"));
}

TEST_CASE("sarif report has the 2.1.0 header and one run", "[reports]") {
  Json j = Json::parse(RenderSarif(SarifSample()));
  CHECK(j["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(j["version"] == "2.1.0");
  REQUIRE(j["runs"].size() == 1);
  const Json& run = j["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "kgate");
  CHECK(run["tool"]["driver"]["version"] == "0.3.0");
  CHECK(run["invocations"][0]["executionSuccessful"] == true);
  CHECK(run["invocations"][0]["commandLine"] == "kgate run proposals/readahead.yaml");
  CHECK(run["invocations"][0]["properties"]["verdict"] == "FAIL");
  CHECK(run["properties"]["runId"] == 7);
  CHECK(run["properties"]["verdict"] == "FAIL");
  CHECK(run["results"].size() == 4);
}

TEST_CASE("sarif ruleIndex points at the result's rule", "[reports]") {
  Json run = Json::parse(RenderSarif(SarifSample()))["runs"][0];
  const Json& rules = run["tool"]["driver"]["rules"];
  CHECK(rules.size() == FindingRules().size() + 1);  // the catalogue plus vendor-lint
  for (const Json& r : run["results"]) {
    int index = r["ruleIndex"];
    REQUIRE(index >= 0);
    REQUIRE(index < static_cast<int>(rules.size()));
    CHECK(rules[index]["id"] == r["ruleId"]);
  }
  CHECK(run["results"][3]["ruleIndex"] == FindingRules().size());
  const Json& unknown = rules[FindingRules().size()];
  CHECK(unknown["id"] == "vendor-lint");
  CHECK(unknown["defaultConfiguration"]["level"] == "warning");
  CHECK(unknown["fullDescription"]["text"].get<std::string>().find("does not describe") !=
        std::string::npos);
  CHECK(run["results"][3]["level"] == "warning");  // "fatal" is no SARIF level
}

TEST_CASE("sarif rules explain why maintainers object", "[reports]") {
  for (const char* id : {"console-oops", "console-panic", "console-bug", "console-warning",
                         "console-kasan", "console-ubsan", "console-lockdep", "console-hung-task",
                         "console-rcu-stall", "console-soft-lockup", "console-taint",
                         "fpu-in-kernel", "kernel-file-io", "hardcoded-path", "raw-hook",
                         "new-uapi", "no-kill-switch", "polling-kthread", "in-kernel-training",
                         "module-build-failed", "module-build-warning", "module-symbol-missing",
                         "module-load-failed", "module-unload-failed", "module-slab-leak",
                         "module-memory-leak", "module-splat", "checkpatch", "fault-workload-failed",
                         "fault-unresponsive", "fault-splat", "fault-new-taint",
                         "fault-garbage-accepted", "kernel-build-failed"}) {
    const FindingRule* rule = FindingRuleFor(id);
    REQUIRE(rule != nullptr);
    CHECK(rule->why.size() > 40);
    CHECK((rule->default_level == "error" || rule->default_level == "warning" ||
           rule->default_level == "note"));
    CHECK(rule->console == std::string_view(id).starts_with("console-"));
  }
  CHECK(FindingRuleFor("no-such-rule") == nullptr);
  CHECK(FindingRules().size() == 34);
}

TEST_CASE("sarif locates findings by console log, source root or arm", "[reports]") {
  Json results = Json::parse(RenderSarif(SarifSample()))["runs"][0]["results"];
  // The sample's own finding has no file: a logical location only.
  const Json& none = results[0]["locations"][0];
  CHECK_FALSE(none.contains("physicalLocation"));
  CHECK(none["logicalLocations"][0]["fullyQualifiedName"] == "candidate/trial 2");
  CHECK(results[0]["properties"]["trial_id"] == 2);

  const Json& console = results[1]["locations"][0]["physicalLocation"];
  CHECK(console["artifactLocation"]["uri"] == "file:///var/lib/kgate/work/run-7/trial-1/console.log");
  CHECK_FALSE(console["artifactLocation"].contains("uriBaseId"));
  CHECK(console["region"]["startLine"] == 412);
  CHECK(console["region"]["snippet"]["text"].get<std::string>().starts_with("WARNING: CPU: 0"));

  const Json& source = results[2]["locations"][0]["physicalLocation"];
  CHECK(source["artifactLocation"]["uri"] == "module/ra%20tuner.c");
  CHECK(source["artifactLocation"]["uriBaseId"] == "SRCROOT");
  CHECK(source["region"]["startLine"] == 88);
  CHECK(results[2]["properties"]["trial_id"].is_null());
  CHECK(results[3]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] ==
        "candidate");
}

TEST_CASE("sarif renders an unjudged run and replaces invalid UTF-8", "[reports]") {
  ReportData d = SarifSample();
  d.verdict.reset();
  d.findings[0].message = "bad \xff bytes";
  Json run = Json::parse(RenderSarif(d))["runs"][0];
  CHECK_FALSE(run["properties"].contains("verdict"));
  CHECK_FALSE(run["invocations"][0].contains("properties"));
  CHECK(run["results"][0]["message"]["text"] == "bad \xEF\xBF\xBD bytes");
  CHECK_FALSE(MakeReporter("sarif")->NeedsVerdict());
  CHECK(MakeReporter("junit")->NeedsVerdict());
}

}  // namespace
}  // namespace kgate
