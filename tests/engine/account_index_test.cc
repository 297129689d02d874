// AccountIndex: every inserted account is found by its id (and only by it)
// across the table's growth; ids that differ in one byte, in length only, or
// are empty stay apart.
#include "engine/account_index.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "engine/account_state.h"

namespace headroom {
namespace {

TEST(AccountIndex, FindsEveryAccountByItsIdAcrossGrowth) {
  std::deque<AccountState> accounts;  // stable addresses, as the engine's map nodes
  AccountIndex index;
  EXPECT_EQ(index.Find("acct1"), nullptr);  // empty table
  for (int i = 0; i < 5'000; ++i) {
    accounts.emplace_back().id = "acct" + std::to_string(i);
    index.Insert(&accounts.back());
    ASSERT_EQ(index.Find(accounts.back().id), &accounts.back()) << i;
  }
  EXPECT_EQ(index.size(), 5'000u);
  for (int i = 0; i < 5'000; ++i)
    ASSERT_EQ(index.Find("acct" + std::to_string(i)), &accounts[static_cast<size_t>(i)]) << i;
  EXPECT_EQ(index.Find("acct5000"), nullptr);
  EXPECT_EQ(index.Find("acct"), nullptr);
  EXPECT_EQ(index.Find("acct00"), nullptr);  // not "acct0"
  EXPECT_EQ(index.Find(""), nullptr);
}

TEST(AccountIndex, IdsThatDifferOnlySlightlyStayApart) {
  std::deque<AccountState> accounts;
  AccountIndex index;
  index.reserve(4);
  for (const char* id : {"", "a", "a ", "A"}) {
    accounts.emplace_back().id = id;
    index.Insert(&accounts.back());
  }
  const std::string with_nul("a\0b", 3);
  accounts.emplace_back().id = with_nul;
  index.Insert(&accounts.back());
  EXPECT_EQ(index.Find(""), &accounts[0]);
  EXPECT_EQ(index.Find("a"), &accounts[1]);
  EXPECT_EQ(index.Find("a "), &accounts[2]);
  EXPECT_EQ(index.Find("A"), &accounts[3]);
  EXPECT_EQ(index.Find(with_nul), &accounts[4]);  // the whole id, past the NUL
  EXPECT_EQ(index.Find("ab"), nullptr);
  EXPECT_EQ(index.size(), 5u);
}

}  // namespace
}  // namespace headroom
