#include "cli/table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace headroom {
namespace {

std::string Render(const Table& t, std::string_view indent = "") {
  std::ostringstream out;
  t.Render(out, indent);
  return out.str();
}

TEST(TableTest, AlignsColumnsAndTrimsTrailingSpaces) {
  Table t;
  t.AddColumn("NAME");
  t.AddColumn("SCORE", Table::Align::kRight);
  t.AddColumn("NOTE");
  t.AddRow({"acme", "7", "x"});
  t.AddRow({"globex-corp", "100", ""});
  EXPECT_EQ(Render(t),
            "NAME         SCORE  NOTE\n"
            "acme             7  x\n"
            "globex-corp    100\n");
}

TEST(TableTest, MissingCellsAreEmptyAndExtraCellsDropped) {
  Table t;
  t.AddColumn("A");
  t.AddColumn("B");
  t.AddRow({"1"});
  t.AddRow({"2", "3", "ignored"});
  EXPECT_EQ(t.rows(), 2u);
  EXPECT_EQ(Render(t), "A  B\n1\n2  3\n");
}

TEST(TableTest, HeaderlessTablesAndIndent) {
  Table t;
  t.AddColumn("");
  t.AddColumn("", Table::Align::kRight);
  t.AddRow({"capacity", "25"});
  t.AddRow({"value", "7.5"});
  EXPECT_EQ(Render(t, "  "), "  capacity   25\n  value     7.5\n");
}

TEST(TableTest, WidthCountsUtf8CodePoints) {
  EXPECT_EQ(Table::Width("Zürich"), 6u);
  EXPECT_EQ(Table::Width(""), 0u);
  Table t;
  t.AddColumn("CITY");
  t.AddColumn("N", Table::Align::kRight);
  t.AddRow({"Zürich", "1"});
  t.AddRow({"Bern", "22"});
  EXPECT_EQ(Render(t), "CITY     N\nZürich   1\nBern    22\n");
}

TEST(TableTest, EmptyTablePrintsOnlyTheHeader) {
  Table t;
  t.AddColumn("A");
  EXPECT_EQ(Render(t), "A\n");
}

}  // namespace
}  // namespace headroom
