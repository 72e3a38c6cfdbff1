// Renderings of the conformance matrix (see matrix_report.h).
#include "matrix_report.h"

#include <fmt/core.h>

#include <array>

namespace tcpconform::cli::matrix {
namespace {

using campaign::matrix::to_string;
namespace fs = std::filesystem;

// Column headers of the plain-text table (one line, so short).
constexpr std::array<std::string_view, kColumnCount> kShort = {
    "SYN",  "S/A",  "ACK",  "data",  "FIN",   "R=",    "R~",   "R!",
    "none", "send", "recv", "close", "abort", "calls", "timer"};

std::string_view symbol(Verdict v) {
  switch (v) {
    case Verdict::kUnreached: return ".";
    case Verdict::kConform: return "ok";
    case Verdict::kKnown: return "K";
    case Verdict::kDiverges: return "X";
  }
  return "?";
}

std::string md_symbol(Verdict v) {
  switch (v) {
    case Verdict::kUnreached: return "·";
    case Verdict::kConform: return "✓";
    case Verdict::kKnown: return "K";
    case Verdict::kDiverges: return "✗";
  }
  return "?";
}

std::string relative(const std::string& file, const fs::path& base) {
  if (file.empty()) return file;
  std::error_code ec;
  const fs::path rel = fs::relative(fs::absolute(file, ec), fs::absolute(base, ec), ec);
  return ec || rel.empty() ? file : rel.string();
}

const CellDivergence* first_unexplained(const Cell& c) {
  for (const auto& d : c.divergences) {
    if (!d.explained) return &d;
  }
  return c.divergences.empty() ? nullptr : &c.divergences.front();
}

}  // namespace

std::string text(const std::vector<StackMatrix>& stacks) {
  std::string out;
  std::string order;
  for (const auto& s : stacks) order += (order.empty() ? "" : " | ") + s.sut;
  out += fmt::format(
      "state x event conformance matrix against the {} profile; each cell: {}\n"
      "ok conform (reached, no divergence)  K known deviation (the linux profile explains it)  "
      "X divergence  . not reached\n"
      "columns: R= RST at RCV.NXT, R~ RST elsewhere in the window, R! RST outside it; S/A "
      "SYN-ACK; none: no SYN/RST/FIN/ACK\n\n",
      stacks.empty() ? "?" : stacks.front().profile, order);
  const std::size_t width = stacks.size() * 3 + 1;
  out += fmt::format("{:<13}", "");
  for (const auto name : kShort)
    out += fmt::format("{:<{}}", name, std::max(width, name.size() + 1));
  out += "\n";
  for (int st = 0; st < model::kStateCount; ++st) {
    const auto state = static_cast<model::State>(st);
    out += fmt::format("{:<13}", model::to_string(state));
    for (int c = 0; c < kColumnCount; ++c) {
      std::string cell;
      for (std::size_t k = 0; k < stacks.size(); ++k) {
        cell += fmt::format("{}{}", k == 0 ? "" : "|",
                            symbol(stacks[k].at(state, static_cast<Column>(c)).verdict()));
      }
      out += fmt::format("{:<{}}", cell,
                         std::max(width, kShort[static_cast<std::size_t>(c)].size() + 1));
    }
    out += "\n";
  }
  for (const auto& s : stacks) {
    std::size_t reached = 0;
    std::size_t diverging = 0;
    for (const auto& row : s.cells) {
      for (const auto& cell : row) {
        reached += cell.verdict() != Verdict::kUnreached ? 1 : 0;
        diverging += cell.verdict() == Verdict::kDiverges ? 1 : 0;
      }
    }
    out += fmt::format(
        "\n{} ({}): {} programs in {:.1f} s, {} of {} cells reached, {} diverge; {} prefixes did "
        "not hold, {} harness errors, {} crashes\n",
        s.sut, s.stack, s.programs, s.seconds, reached, model::kStateCount * kColumnCount,
        diverging, s.lane_failures, s.harness_errors, s.crashes.size());
    for (int st = 0; st < model::kStateCount; ++st) {
      for (int c = 0; c < kColumnCount; ++c) {
        for (const auto& d :
             s.cells[static_cast<std::size_t>(st)][static_cast<std::size_t>(c)].divergences) {
          out += fmt::format("  {} x {}: {} — model {}, stack {}{}\n      {}\n",
                             model::to_string(static_cast<model::State>(st)),
                             to_string(static_cast<Column>(c)), d.field, d.model_side, d.stack_side,
                             d.explained ? " [known deviation]" : "", d.file);
        }
      }
    }
    for (const auto& crash : s.crashes) {
      out += fmt::format("  crash: {}\n      {}\n", crash.message, crash.file);
    }
  }
  return out;
}

nlohmann::json json(const std::vector<StackMatrix>& stacks) {
  nlohmann::json columns = nlohmann::json::array();
  for (int c = 0; c < kColumnCount; ++c) {
    columns.push_back(std::string(to_string(static_cast<Column>(c))));
  }
  nlohmann::json states = nlohmann::json::array();
  for (int st = 0; st < model::kStateCount; ++st) {
    states.push_back(std::string(model::to_string(static_cast<model::State>(st))));
  }
  nlohmann::json all = nlohmann::json::array();
  for (const auto& s : stacks) {
    nlohmann::json cells = nlohmann::json::array();
    for (int st = 0; st < model::kStateCount; ++st) {
      for (int c = 0; c < kColumnCount; ++c) {
        const Cell& cell = s.at(static_cast<model::State>(st), static_cast<Column>(c));
        nlohmann::json divergences = nlohmann::json::array();
        for (const auto& d : cell.divergences) {
          divergences.push_back({{"signature", d.signature},
                                 {"field", d.field},
                                 {"model", d.model_side},
                                 {"stack", d.stack_side},
                                 {"reproducer", d.file},
                                 {"known_deviation", d.explained}});
        }
        cells.push_back({{"state", states[static_cast<std::size_t>(st)]},
                         {"event", columns[static_cast<std::size_t>(c)]},
                         {"verdict", std::string(to_string(cell.verdict()))},
                         {"steps", cell.reached},
                         {"divergences", divergences}});
      }
    }
    nlohmann::json crashes = nlohmann::json::array();
    for (const auto& crash : s.crashes) {
      crashes.push_back({{"message", crash.message}, {"reproducer", crash.file}});
    }
    all.push_back({{"sut", s.sut},
                   {"stack", s.stack},
                   {"profile", s.profile},
                   {"seconds", s.seconds},
                   {"programs", s.programs},
                   {"prefix_failures", s.lane_failures},
                   {"harness_errors", s.harness_errors},
                   {"cells", cells},
                   {"crashes", crashes}});
  }
  return {{"states", states}, {"events", columns}, {"stacks", all}};
}

std::string markdown(const std::vector<StackMatrix>& stacks, const fs::path& base) {
  std::string order;
  for (const auto& s : stacks)
    order += fmt::format("{}{} ({})", order.empty() ? "" : " / ", s.sut, s.stack);
  std::string out = fmt::format(
      "# State × event conformance matrix\n\nProfile `{}`. Each cell shows {} in that order: "
      "✓ conform (reached, no divergence), K known deviation (the `linux` profile explains it), ✗ "
      "divergence (linked to its minimised reproducer), · not reached. RST columns: the RST's "
      "sequence number at RCV.NXT, elsewhere in the receive window, or outside it (RFC 5961 "
      "§3.2).\n\n",
      stacks.empty() ? "?" : stacks.front().profile, order);
  out += "| state |";
  for (int c = 0; c < kColumnCount; ++c)
    out += fmt::format(" {} |", to_string(static_cast<Column>(c)));
  out += "\n|---|";
  for (int c = 0; c < kColumnCount; ++c) out += ":---:|";
  out += "\n";
  for (int st = 0; st < model::kStateCount; ++st) {
    const auto state = static_cast<model::State>(st);
    out += fmt::format("| {} |", model::to_string(state));
    for (int c = 0; c < kColumnCount; ++c) {
      std::string cell;
      for (std::size_t k = 0; k < stacks.size(); ++k) {
        const Cell& x = stacks[k].at(state, static_cast<Column>(c));
        const Verdict v = x.verdict();
        std::string sym = md_symbol(v);
        const CellDivergence* d = first_unexplained(x);
        if (d != nullptr && !d->file.empty() && v != Verdict::kConform) {
          sym = fmt::format("[{}]({})", sym, relative(d->file, base));
        }
        cell += fmt::format("{}{}", k == 0 ? "" : " ", sym);
      }
      out += fmt::format(" {} |", cell);
    }
    out += "\n";
  }
  for (const auto& s : stacks) {
    out += fmt::format(
        "\n## {} ({})\n\n{} programs in {:.0f} s; {} prefixes did not hold on the "
        "stack and are not counted.\n\n",
        s.sut, s.stack, s.programs, s.seconds, s.lane_failures);
    bool any = false;
    for (int st = 0; st < model::kStateCount; ++st) {
      for (int c = 0; c < kColumnCount; ++c) {
        for (const auto& d :
             s.cells[static_cast<std::size_t>(st)][static_cast<std::size_t>(c)].divergences) {
          any = true;
          out += fmt::format("- **{} × {}** — `{}`: model `{}`, stack `{}`{} — [reproducer]({})\n",
                             model::to_string(static_cast<model::State>(st)),
                             to_string(static_cast<Column>(c)), d.field, d.model_side, d.stack_side,
                             d.explained ? " (known deviation)" : "", relative(d.file, base));
        }
      }
    }
    for (const auto& crash : s.crashes) {
      any = true;
      out += fmt::format("- **crash**: {} — [reproducer]({})\n", crash.message,
                         relative(crash.file, base));
    }
    if (!any) out += "No divergence.\n";
  }
  return out;
}

}  // namespace tcpconform::cli::matrix
