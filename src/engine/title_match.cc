#include "engine/title_match.h"

#include <algorithm>
#include <cctype>

namespace headroom {

std::vector<std::string> TitleTokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string cur;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      cur.push_back(static_cast<char>(std::tolower(c)));
    } else if (!cur.empty()) {
      tokens.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) tokens.push_back(std::move(cur));
  return tokens;
}

TitleMatcher::TitleMatcher(const std::vector<std::string>& phrases) {
  for (const auto& p : phrases) {
    auto tokens = TitleTokens(p);
    if (!tokens.empty()) phrases_.push_back(std::move(tokens));
  }
}

bool TitleMatcher::Matches(std::string_view title) const {
  const auto tokens = TitleTokens(title);
  for (const auto& phrase : phrases_) {
    if (phrase.size() > tokens.size()) continue;
    if (std::search(tokens.begin(), tokens.end(), phrase.begin(), phrase.end()) != tokens.end())
      return true;
  }
  return false;
}

}  // namespace headroom
