// Table: aligned plain-text columns for the CLI's human output.
//
// Columns are separated by two spaces; each is as wide as its widest cell
// (header included), counted in UTF-8 code points. Left-aligned cells are
// padded on the right, right-aligned ones (numbers) on the left; trailing
// spaces are trimmed from every line. The header line is left out when every
// header is empty (key/value blocks).
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

class Table {
 public:
  enum class Align { kLeft, kRight };

  void AddColumn(std::string header, Align align = Align::kLeft);
  // Cells beyond the columns are dropped; missing cells are empty.
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }
  size_t columns() const { return headers_.size(); }

  // Every line starts with `indent` and ends with '\n'.
  void Render(std::ostream& out, std::string_view indent = "") const;

  // Display width of UTF-8 text: code points, continuation bytes not counted.
  static size_t Width(std::string_view text);

 private:
  std::vector<std::string> headers_;
  std::vector<Align> aligns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace headroom
