#include "cli/table.h"

#include <algorithm>
#include <utility>

namespace headroom {

void Table::AddColumn(std::string header, Align align) {
  headers_.push_back(std::move(header));
  aligns_.push_back(align);
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

size_t Table::Width(std::string_view text) {
  size_t n = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

void Table::Render(std::ostream& out, std::string_view indent) const {
  const size_t ncols = headers_.size();
  std::vector<size_t> widths(ncols, 0);
  const bool show_header =
      std::any_of(headers_.begin(), headers_.end(), [](const auto& h) { return !h.empty(); });
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < ncols; ++c) widths[c] = std::max(widths[c], Width(row[c]));
  };
  if (show_header) measure(headers_);
  for (const auto& row : rows_) measure(row);

  std::string line;
  auto emit = [&](const std::vector<std::string>& row) {
    line.assign(indent);
    for (size_t c = 0; c < ncols; ++c) {
      if (c > 0) line += "  ";
      const size_t pad = widths[c] - Width(row[c]);
      if (aligns_[c] == Align::kRight) {
        line.append(pad, ' ');
        line += row[c];
      } else {
        line += row[c];
        line.append(pad, ' ');
      }
    }
    const auto end = line.find_last_not_of(' ');
    line.resize(end == std::string::npos ? 0 : end + 1);
    out << line << '\n';
  };
  if (show_header) emit(headers_);
  for (const auto& row : rows_) emit(row);
}

}  // namespace headroom
