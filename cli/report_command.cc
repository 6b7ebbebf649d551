// kgate report: render a stored run in one of the ReportFormats().
//
// `kgate report RUN [--format F] [-o FILE]` opens the store read-only, loads
// the run and renders it with the format's Reporter to stdout, or to FILE
// (written atomically). Exit 0 when rendered; 2 for an unknown format, an
// unknown run or a run that has not been judged (except for a format that
// renders unjudged runs, see Reporter::NeedsVerdict); 4 when the store or FILE
// cannot be opened or written.
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "cli/command.h"
#include "reports/report_data.h"
#include "reports/reporter.h"

namespace kgate {
namespace {

struct ReportArgs {
  std::int64_t run_id = 0;
  std::string format = "console";
  std::string output;
};

int RunReport(const ReportArgs& args, const CommandContext& context) {
  std::unique_ptr<Reporter> reporter;
  if (args.format == "console") {
    // Color only when writing to the terminal.
    ConsoleReportOptions options{context.global.verbose,
                                 context.global.color && args.output.empty()};
    reporter = MakeConsoleReporter(options);
  } else {
    reporter = MakeReporter(args.format);
  }
  if (!reporter) {
    return ReportError(Status::BadInput(fmt::format("--format: unknown format '{}'; formats: {}",
                                                    args.format, Join(ReportFormats(), ", "))));
  }
  auto store = Store::Open(ResolveDbPath(context), Store::Mode::kReadOnly);
  if (!store.ok()) return ReportError(store.status());
  auto data = LoadReportData(**store, args.run_id);
  if (!data.ok()) return ReportLookupError(data.status());
  if (!data->verdict && reporter->NeedsVerdict()) {
    return ReportError(NotJudged(args.run_id));
  }
  std::ostringstream text;
  Status rendered = reporter->Render(*data, text);
  if (!rendered.ok()) return ReportError(rendered);
  if (args.output.empty()) {
    std::cout << text.str();
  } else {
    Status written = WriteFileAtomic(args.output, text.str());
    if (!written.ok()) return ReportError(written.Prefixed(args.output));
  }
  return 0;
}

}  // namespace

void RegisterReportCommand(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* sub = app.add_subcommand("report", "render a stored run in one format (see --format)");
  sub->add_option("run", args->run_id, "the run id (kgate run prints it)")->required();
  sub->add_option("--format", args->format,
                  "output format: " + Join(ReportFormats(), ", ") + " (default console)");
  sub->add_option("-o,--output", args->output, "write to FILE instead of stdout");
  sub->callback([args, &context] { context.exit_code = RunReport(*args, context); });
}

}  // namespace kgate
