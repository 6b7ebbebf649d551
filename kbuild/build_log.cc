#include "kbuild/build_log.h"

#include <regex>

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {
namespace {

constexpr std::size_t kContextLines = 6;

std::string Relative(std::string path, const std::vector<std::string>& prefixes) {
  for (const std::string& prefix : prefixes) {
    if (!prefix.empty() && StartsWith(path, prefix)) return path.substr(prefix.size());
  }
  return path;
}

std::vector<std::string> ContextAfter(const std::vector<std::string>& lines, std::size_t i) {
  std::vector<std::string> out;
  for (std::size_t j = i + 1; j < lines.size() && out.size() < kContextLines; ++j) {
    // gcc's caret lines start with a space or a line number gutter; the
    // next diagnostic or make's own line ends the context.
    if (lines[j].empty() || StartsWith(lines[j], "make") || lines[j].find(": error:") != std::string::npos ||
        lines[j].find(": warning:") != std::string::npos || lines[j].find(": note:") != std::string::npos) {
      break;
    }
    out.push_back(lines[j]);
  }
  return out;
}

}  // namespace

std::string BuildError::Describe() const {
  std::string where;
  if (!file.empty()) {
    where = file;
    if (line > 0) where += fmt::format(":{}", line);
    if (column > 0) where += fmt::format(":{}", column);
    where += ": ";
  }
  return where + (kind == "compiler" ? "error: " : kind + " error: ") + message;
}

int CountBuildSteps(std::string_view log) {
  static const std::regex kStep(R"(^  [A-Z][A-Z0-9_]{1,8} +\S)");
  int n = 0;
  for (const std::string& line : Split(log, '\n')) {
    if (std::regex_search(line, kStep)) ++n;
  }
  return n;
}

std::optional<BuildError> FirstBuildError(std::string_view log,
                                          const std::vector<std::string>& src_prefixes) {
  // gcc and clang: "path:line:col: error: message" (also "fatal error").
  static const std::regex kCompiler(R"(^(\S+?):(\d+):(?:(\d+):)? (?:fatal )?error: (.*)$)");
  // ld: "ld: mm/foo.o: in function `f':" then "foo.c:(.text+0x1): undefined reference to `g'".
  static const std::regex kLinker(R"(^(?:\S*/)?ld(?:\.\w+)?: (.*)$)");
  // "/bin/sh: 1: flex: not found", "make[2]: flex: No such file or directory".
  static const std::regex kMissingTool(R"(^(?:/bin/sh: \d+: |.*?: )(\S+): (?:not found|No such file or directory)$)");
  static const std::regex kMake(R"(^make(?:\[\d+\])?: \*\*\* (.*)$)");
  std::vector<std::string> lines = Split(log, '\n');
  std::optional<BuildError> make_error;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    std::smatch m;
    if (std::regex_match(line, m, kCompiler)) {
      BuildError e;
      e.kind = "compiler";
      e.file = Relative(m[1].str(), src_prefixes);
      e.line = std::stoi(m[2].str());
      e.column = m[3].matched ? std::stoi(m[3].str()) : 0;
      e.message = m[4].str();
      e.context = ContextAfter(lines, i);
      return e;
    }
    if (std::regex_match(line, m, kLinker) && line.find("warning:") == std::string::npos) {
      BuildError e;
      e.kind = "linker";
      std::string rest = m[1].str();
      // "mm/foo.o: in function `f':" names the object; the next line says what.
      if (EndsWith(rest, ":") && i + 1 < lines.size()) {
        e.file = Relative(rest.substr(0, rest.find(':')), src_prefixes);
        e.message = Trim(lines[i + 1]);
      } else {
        e.message = rest;
      }
      return e;
    }
    if (std::regex_match(line, m, kMissingTool)) {
      BuildError e;
      e.kind = "missing tool";
      e.message = m[1].str() + " is not installed (the build ran it and the shell did not find it)";
      return e;
    }
    if (!make_error && std::regex_match(line, m, kMake)) {
      make_error = BuildError{};
      make_error->kind = "make";
      make_error->message = m[1].str();
    }
  }
  return make_error;
}

}  // namespace kgate
