// The SARIF format: a run's findings as SARIF 2.1.0, for code-scanning UIs.
//
// Valid against the OASIS sarif-2.1.0 schema (tests/e2e/report_schemas.sh
// checks it). One run:
//   tool.driver    name "kgate", version (the run's kgate_version),
//                  rules[]: every rule of the catalogue (reports/finding_rules.h),
//                  then each uncatalogued rule the findings use, in order of
//                  first use, with a generic description. Each has id, name,
//                  shortDescription, fullDescription (why maintainers
//                  object), help, defaultConfiguration.level and
//                  properties.family ("console" or "static").
//   results[]      one per finding, in stored order: ruleId, ruleIndex (its
//                  position in rules[]), level (the finding's when it is a
//                  SARIF level, else the rule's default), message.text, one
//                  location, and properties {arm, trial_id}. A finding with
//                  a file has a physicalLocation: console logs by their
//                  path (an absolute path as a file:// URI), patch and
//                  module files relative to uriBaseId "SRCROOT"; region
//                  {startLine, snippet.text = excerpt} when line > 0. A
//                  finding without a file has instead a logicalLocation
//                  naming its arm and stored trial id ("candidate/trial 2";
//                  just the arm, or "run", when there is none).
//   invocations[0] executionSuccessful (run status "done"), commandLine,
//                  start/end times, properties.verdict.
//   originalUriBaseIds  SRCROOT, described (its location is the proposal's
//                  source tree, which the report does not know).
//   properties     runId, proposal, proposalFile, tier, and the verdict and
//                  policy when judged.
// An unjudged run renders too: findings are console facts that do not depend
// on the judgement; the verdict keys are then absent. Invalid UTF-8 becomes
// U+FFFD.
#include <cctype>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "reports/finding_rules.h"
#include "reports/reporter.h"

namespace kgate {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";

bool IsSarifLevel(const std::string& level) {
  return level == "error" || level == "warning" || level == "note" || level == "none";
}

Json Text(std::string_view text) { return {{"text", std::string(text)}}; }

Json RuleJson(const FindingRule& rule) {
  return {{"id", std::string(rule.id)},
          {"name", std::string(rule.name)},
          {"shortDescription", Text(rule.summary)},
          {"fullDescription", Text(rule.why)},
          {"help", Text(rule.help)},
          {"defaultConfiguration", {{"level", std::string(rule.default_level)}}},
          {"properties", {{"family", rule.console ? "console" : "static"}}}};
}

Json UnknownRuleJson(const std::string& id) {
  return {{"id", id},
          {"shortDescription", Text("Finding of rule " + id + ".")},
          {"fullDescription", Text("kgate's rule catalogue does not describe this rule; the "
                                   "finding's message says what was found.")},
          {"defaultConfiguration", {{"level", "warning"}}},
          {"properties", {{"family", StartsWith(id, "console-") ? "console" : "static"}}}};
}

// A path as a URI reference: RFC 3986 unreserved characters and '/' kept,
// everything else percent-encoded; an absolute path becomes a file:// URI.
std::string PathUri(const std::string& path) {
  std::string out = StartsWith(path, "/") ? "file://" : "";
  for (unsigned char ch : path) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '/') {
      out += static_cast<char>(ch);
    } else {
      out += fmt::format("%{:02X}", ch);
    }
  }
  return out;
}

Json Location(const FindingRecord& f, const FindingRule* rule) {
  if (f.file.empty()) {
    std::string arm = f.arm.empty() ? "run" : f.arm;
    std::string trial = f.trial_id ? fmt::format("trial {}", *f.trial_id) : "";
    return {{"logicalLocations",
             Json::array({{{"name", trial.empty() ? arm : trial},
                           {"fullyQualifiedName", trial.empty() ? arm : arm + "/" + trial}}})}};
  }
  bool console = rule ? rule->console : StartsWith(f.rule, "console-");
  Json artifact = {{"uri", PathUri(f.file)}};
  if (!console && !StartsWith(f.file, "/")) artifact["uriBaseId"] = "SRCROOT";
  Json physical = {{"artifactLocation", artifact}};
  if (f.line > 0) {
    physical["region"] = {{"startLine", f.line}};
    if (!f.excerpt.empty()) physical["region"]["snippet"] = Text(f.excerpt);
  }
  return {{"physicalLocation", physical}};
}

class SarifReporter : public Reporter {
 public:
  std::string Name() const override { return "sarif"; }
  bool NeedsVerdict() const override { return false; }

  Status Render(const ReportData& d, std::ostream& out) const override {
    Json rules = Json::array();
    std::map<std::string, int> index;
    for (const FindingRule& rule : FindingRules()) {
      index[std::string(rule.id)] = static_cast<int>(rules.size());
      rules.push_back(RuleJson(rule));
    }
    Json results = Json::array();
    for (const FindingRecord& f : d.findings) {
      const FindingRule* rule = FindingRuleFor(f.rule);
      if (!index.count(f.rule)) {
        index[f.rule] = static_cast<int>(rules.size());
        rules.push_back(UnknownRuleJson(f.rule));
      }
      std::string level = IsSarifLevel(f.level) ? f.level
                          : rule                ? std::string(rule->default_level)
                                                : "warning";
      results.push_back(
          {{"ruleId", f.rule},
           {"ruleIndex", index[f.rule]},
           {"level", level},
           {"message", Text(f.message.empty() ? f.rule : f.message)},
           {"locations", Json::array({Location(f, rule)})},
           {"properties", {{"arm", f.arm}, {"trial_id", f.trial_id ? Json(*f.trial_id) : Json()}}}});
    }
    Json driver = {{"name", "kgate"}};
    if (!d.run.kgate_version.empty()) driver["version"] = d.run.kgate_version;
    driver["rules"] = std::move(rules);

    Json invocation = {{"executionSuccessful", d.run.status == "done"}};
    if (!d.run.command_line.empty()) invocation["commandLine"] = d.run.command_line;
    if (!d.run.started_at.empty()) invocation["startTimeUtc"] = d.run.started_at;
    if (!d.run.finished_at.empty()) invocation["endTimeUtc"] = d.run.finished_at;
    Json properties = {{"runId", d.run.id},
                       {"proposal", d.run.proposal},
                       {"proposalFile", d.run.proposal_file},
                       {"tier", d.run.tier}};
    if (d.verdict) {
      invocation["properties"] = {{"verdict", d.verdict->verdict}};
      properties["verdict"] = d.verdict->verdict;
      properties["policy"] = d.verdict->policy;
    }

    Json run = {{"tool", {{"driver", std::move(driver)}}},
                {"invocations", Json::array({std::move(invocation)})},
                {"originalUriBaseIds",
                 {{"SRCROOT",
                   {{"description", Text("The root of the proposal's patch or module source.")}}}}},
                {"results", std::move(results)},
                {"properties", std::move(properties)}};
    Json sarif = {{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", Json::array({run})}};
    out << sarif.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeSarifReporter() { return std::make_unique<SarifReporter>(); }

}  // namespace kgate
