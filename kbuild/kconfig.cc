#include "kbuild/kconfig.h"

#include <filesystem>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/strings.h"

namespace kgate {
namespace {

namespace fs = std::filesystem;

const std::regex& SetLine() {
  static const std::regex r(R"(^CONFIG_([A-Za-z0-9_]+)=(.*)$)");
  return r;
}

const std::regex& UnsetLine() {
  static const std::regex r(R"(^# CONFIG_([A-Za-z0-9_]+) is not set$)");
  return r;
}

struct Declaration {
  bool found = false;
  std::vector<std::string> depends;
  std::vector<Selector> selectors;  // every `select <option>` in the tree
};

// Kconfig entries end at the next line that starts a new entry or block.
bool StartsEntry(const std::string& line) {
  static const std::regex r(
      R"(^(config|menuconfig|choice|endchoice|menu|endmenu|if|endif|source|comment|mainmenu)\b)");
  return std::regex_search(line, r);
}

void ScanKconfig(const fs::path& path, const std::string& tree, const std::string& option,
                 Declaration* d) {
  Result<std::string> text = ReadTextFile(path.string());
  if (!text.ok()) return;
  if (text->find(option) == std::string::npos) return;
  static const std::regex kEntry(R"(^(?:menu)?config[ \t]+([A-Za-z0-9_]+))");
  const std::regex decl("^(menu)?config[ \t]+" + option + "[ \t]*$");
  const std::regex select("^select[ \t]+" + option + "(?:[ \t]+if[ \t]+(.*))?$");
  std::vector<std::string> lines = Split(*text, '\n');
  std::string entry;  // the config entry the line is in
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (std::regex_search(lines[i], m, kEntry)) {
      entry = m[1].str();
    } else if (StartsEntry(lines[i])) {
      entry.clear();
    }
    std::string trimmed = Trim(lines[i]);
    if (!entry.empty() && std::regex_match(trimmed, m, select)) {
      d->selectors.push_back({entry, Trim(m[1].str()),
                              fmt::format("{}:{}", path.lexically_relative(tree).string(), i + 1)});
    }
    if (!std::regex_search(lines[i], decl)) continue;
    d->found = true;
    for (std::size_t j = i + 1; j < lines.size() && !StartsEntry(lines[j]); ++j) {
      std::string line = Trim(lines[j]);
      if (StartsWith(line, "depends on")) d->depends.push_back(Trim(line.substr(10)));
    }
  }
}

Declaration Declare(const std::string& tree, const std::string& option) {
  Declaration d;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(tree, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    std::string name = it->path().filename().string();
    if (it->is_directory() && (name == ".git" || name == "Documentation")) {
      it.disable_recursion_pending();
      continue;
    }
    if (StartsWith(name, "Kconfig") && it->is_regular_file()) {
      ScanKconfig(it->path(), tree, option, &d);
    }
  }
  return d;
}

std::vector<std::string> SymbolValues(const std::string& expr, const ConfigValues& config) {
  static const std::regex kSymbol(R"([A-Z][A-Z0-9_]+)");
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::sregex_iterator it(expr.begin(), expr.end(), kSymbol), end; it != end; ++it) {
    std::string s = it->str();
    if (!seen.insert(s).second) continue;
    auto v = config.find(s);
    out.push_back(s + "=" + (v == config.end() ? "n" : v->second));
  }
  return out;
}

}  // namespace

ConfigValues ParseConfigValues(std::string_view text) {
  ConfigValues values;
  for (const std::string& raw : Split(text, '\n')) {
    std::string line = Trim(raw);
    std::smatch m;
    if (std::regex_match(line, m, SetLine())) {
      values[m[1].str()] = m[2].str();
    } else if (std::regex_match(line, m, UnsetLine())) {
      values.insert_or_assign(m[1].str(), std::string(1, 'n'));
    }
  }
  return values;
}

Result<std::vector<ConfigRequest>> ReadConfigFragment(const std::string& path) {
  KG_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  std::vector<ConfigRequest> out;
  std::vector<std::string> lines = Split(text, '\n');
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = Trim(lines[i]);
    std::string origin = fmt::format("{}:{}", path, i + 1);
    std::smatch m;
    if (std::regex_match(line, m, SetLine())) {
      out.push_back({m[1].str(), m[2].str(), origin});
    } else if (std::regex_match(line, m, UnsetLine())) {
      out.push_back({m[1].str(), "n", origin});
    } else if (!line.empty() && line[0] != '#') {
      return Status::BadInput(fmt::format(
          "{}: expected CONFIG_NAME=value, '# CONFIG_NAME is not set', a comment or a blank "
          "line, got '{}'",
          origin, line));
    }
  }
  return out;
}

std::string FragmentText(const std::vector<ConfigRequest>& requests) {
  std::string out;
  for (const ConfigRequest& r : requests) {
    out += r.value == "n" ? fmt::format("# CONFIG_{} is not set\n", r.option)
                          : fmt::format("CONFIG_{}={}\n", r.option, r.value);
  }
  return out;
}

std::vector<DroppedOption> FindDroppedOptions(const std::vector<ConfigRequest>& requests,
                                              const ConfigValues& final_config,
                                              const std::string& source_tree) {
  std::map<std::string, ConfigRequest> last;
  std::vector<std::string> order;
  for (const ConfigRequest& r : requests) {
    if (!last.count(r.option)) order.push_back(r.option);
    last[r.option] = r;
  }
  std::vector<DroppedOption> dropped;
  for (const std::string& option : order) {
    const ConfigRequest& r = last[option];
    auto it = final_config.find(option);
    std::string got = it == final_config.end() ? "n" : it->second;
    if (got == r.value) continue;
    DroppedOption d;
    d.request = r;
    d.got = got;
    Declaration decl = Declare(source_tree, option);
    d.known = decl.found;
    d.depends = Join(decl.depends, " && ");
    d.symbols = SymbolValues(d.depends, final_config);
    // Forced on: the entries whose select holds in the final config.
    if (r.value == "n") {
      for (const Selector& s : decl.selectors) {
        auto v = final_config.find(s.option);
        if (v != final_config.end() && (v->second == "y" || v->second == "m")) {
          d.selected_by.push_back(s);
        }
      }
    }
    dropped.push_back(std::move(d));
  }
  return dropped;
}

std::string DescribeDropped(const std::vector<DroppedOption>& dropped) {
  std::vector<std::string> lines;
  for (const DroppedOption& d : dropped) {
    std::string line = fmt::format("CONFIG_{}={} ({}) became {}", d.request.option,
                                   d.request.value, d.request.origin, d.got);
    if (!d.known) {
      line += "; no Kconfig file in this tree declares it (misspelt, or not in this version)";
    } else if (!d.selected_by.empty()) {
      std::vector<std::string> by;
      for (const Selector& s : d.selected_by) {
        by.push_back(fmt::format("{} ({}{})", s.option, s.where,
                                 s.condition.empty() ? "" : ", if " + s.condition));
      }
      line += fmt::format("; it is selected by {}: turn that off too, or keep it", Join(by, ", "));
    } else if (!d.depends.empty()) {
      line += fmt::format("; it depends on {} ({})", d.depends, Join(d.symbols, " "));
    } else {
      line += "; it has no 'depends on' of its own: look at the menu or 'if' block around it, "
              "or a choice it belongs to";
    }
    lines.push_back(line);
  }
  return Join(lines, "\n");
}

}  // namespace kgate
