#include "trial/console_monitor.h"

#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace kgate {
namespace {

struct Rule {
  const char* id;
  std::regex pattern;  // matched against the stripped line (regex_search)
};

// Ordered: the first rule that matches a line wins, so specific forms
// (KASAN's "BUG: KASAN:", lockdep's "WARNING: possible ...") come before the
// generic BUG:/WARNING: rules.
const std::vector<Rule>& Rules() {
  static const std::vector<Rule> rules = [] {
    auto r = [](const char* s) { return std::regex(s, std::regex::ECMAScript | std::regex::optimize); };
    return std::vector<Rule>{
        {"console-panic", r("^Kernel panic - not syncing")},
        {"console-kasan", r("^(BUG|ERROR): KASAN: ")},
        {"console-ubsan", r("^UBSAN: ")},
        {"console-soft-lockup", r("(BUG: soft lockup - CPU#|Watchdog detected hard LOCKUP on cpu)")},
        {"console-rcu-stall",
         r("(INFO: rcu_\\w+ (self-)?detected stall|rcu: INFO: rcu_\\w+ detected stalls|"
           "INFO: rcu_\\w+ detected stalls)")},
        {"console-lockdep",
         r("^(WARNING: possible recursive locking detected|WARNING: possible circular locking "
           "dependency detected|WARNING: inconsistent lock state|INFO: possible irq lock "
           "inversion dependency detected|WARNING: bad unlock balance detected|"
           "WARNING: suspicious RCU usage)")},
        {"console-hung-task", r("^INFO: task .+ blocked for more than \\d+ seconds")},
        {"console-oops", r("^Oops: ")},
        {"console-bug", r("^BUG: ")},
        {"console-warning", r("^WARNING: (CPU: \\d+ PID: \\d+ at |at )")},
    };
  }();
  return rules;
}

const std::regex& PrefixPattern() {
  // "[    1.234567] " then optionally "[    T1] " / "[    C0] " (CONFIG_PRINTK_CALLER).
  static const std::regex re(R"(^(\s*\[\s*\d+\.\d+\]\s?)?(\s*\[\s*[TC]\d+\]\s?)?)");
  return re;
}

const std::regex& TaintPattern() {
  // "CPU: 0 UID: 0 PID: 1 Comm: sh Tainted: G    B   W  6.12.0 #1"
  static const std::regex re(R"(Tainted: ([A-Z ]+?)\s+\d)");
  return re;
}

// std::regex is slow; a console of megabytes is mostly ordinary lines, so
// only lines holding one of these words reach the rules.
bool MayMatch(const std::string& line) {
  for (const char* word : {"panic", "KASAN", "UBSAN", "LOCKUP", "lockup", "stall", "WARNING",
                           "INFO:", "Oops", "BUG", "Tainted"}) {
    if (line.find(word) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::string Excerpt(const std::vector<std::string>& lines, std::size_t at,
                    const ConsoleScanOptions& options) {
  std::string out;
  for (std::size_t i = at; i < lines.size() && i < at + options.excerpt_lines; ++i) {
    if (out.size() + lines[i].size() + 1 > options.max_excerpt_bytes) break;
    out += lines[i] + "\n";
  }
  return out;
}

FindingRecord MakeFinding(const std::string& rule, const std::string& level, const std::string& message,
                          std::size_t line_index, const std::vector<std::string>& lines,
                          const ConsoleScanOptions& options) {
  FindingRecord f;
  f.rule = rule;
  f.level = level;
  f.file = options.file;
  f.line = static_cast<int>(line_index) + 1;
  f.message = message.size() > 300 ? message.substr(0, 300) + "..." : message;
  f.excerpt = Excerpt(lines, line_index, options);
  return f;
}

}  // namespace

std::string StripPrintkPrefix(const std::string& line) {
  std::smatch m;
  if (std::regex_search(line, m, PrefixPattern())) return line.substr(m.length(0));
  return line;
}

std::vector<FindingRecord> ScanConsole(const std::string& text, const ConsoleScanOptions& options) {
  std::vector<FindingRecord> findings;
  std::map<std::string, std::size_t> per_rule;
  std::set<char> taint_seen;
  auto lines = SplitLines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = StripPrintkPrefix(lines[i]);
    if (line.empty() || !MayMatch(line)) continue;
    for (const Rule& rule : Rules()) {
      if (!std::regex_search(line, rule.pattern)) continue;
      if (per_rule[rule.id]++ < options.max_findings_per_rule) {
        findings.push_back(MakeFinding(rule.id, "error", line, i, lines, options));
      }
      break;
    }
    std::smatch m;
    if (line.find("Tainted: ") != std::string::npos && std::regex_search(line, m, TaintPattern())) {
      std::string fresh;
      for (char c : m[1].str()) {
        // 'G' is the untainted value of the proprietary-module flag.
        if (c != ' ' && c != 'G' && taint_seen.insert(c).second) fresh += c;
      }
      if (!fresh.empty() && per_rule["console-taint"]++ < options.max_findings_per_rule) {
        findings.push_back(MakeFinding("console-taint", "warning",
                                       "kernel tainted: new flags " + fresh + " (" + m[1].str() + ")",
                                       i, lines, options));
      }
    }
  }
  return findings;
}

bool IsCrash(const FindingRecord& finding) {
  return finding.rule == "console-panic" || finding.rule == "console-oops" ||
         finding.rule == "console-bug" || finding.rule == "console-kasan";
}

}  // namespace kgate
