// The JSON format: every stored row of a run, for machines.
//
// Shape: {"kgate": 1, "schema_version", "context", "run", "arms", "verdict",
// "comparisons", "claims", "findings", "checks", "trials"}; keys keep this
// order, and each record is in the form store/records_json.h gives it.
// Invalid UTF-8 in any text is replaced with U+FFFD rather than failing.
#include <nlohmann/json.hpp>

#include "reports/reporter.h"
#include "store/records_json.h"

namespace kgate {
namespace {

using Json = nlohmann::ordered_json;

Json Context(const ReportData& d) {
  const RunRecord& r = d.run;
  return {{"host", r.host},
          {"kgate_version", r.kgate_version},
          {"git_sha", r.git_sha},
          {"qemu_version", r.qemu_version},
          {"host_kernel", r.host_kernel},
          {"tier", r.tier},
          {"command_line", r.command_line},
          {"started_at", r.started_at},
          {"finished_at", r.finished_at}};
}

Json Run(const ReportData& d) {
  const RunRecord& r = d.run;
  return {{"id", r.id},           {"proposal", r.proposal}, {"title", d.title},
          {"proposal_file", r.proposal_file}, {"status", r.status}, {"shard", r.shard}};
}

template <typename T>
Json Array(const std::vector<T>& rows) {
  Json a = Json::array();
  for (const T& row : rows) a.push_back(ToJson(row));
  return a;
}

class JsonReporter : public Reporter {
 public:
  std::string Name() const override { return "json"; }

  Status Render(const ReportData& d, std::ostream& out) const override {
    Json j;
    j["kgate"] = 1;
    j["schema_version"] = d.schema_version;
    j["context"] = Context(d);
    j["run"] = Run(d);
    j["arms"] = Array(d.arms);
    j["verdict"] = d.verdict ? ToJson(*d.verdict) : Json(nullptr);
    j["comparisons"] = Array(d.comparisons);
    j["claims"] = Array(d.claims);
    j["findings"] = Array(d.findings);
    j["checks"] = Array(d.checks);
    j["trials"] = Array(d.trials);
    out << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeJsonReporter() { return std::make_unique<JsonReporter>(); }

}  // namespace kgate
