// Senior-title matching for `new_senior_users` (SPEC 3.7 rule 20): the title
// split into lower-case alphanumeric tokens contains one of the words or
// phrases as a contiguous run of tokens. "VP of Sales", "Sr. Director, IT" and
// "Vice-President" match; "Directorate Liaison" does not.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace headroom {

std::vector<std::string> TitleTokens(std::string_view text);

class TitleMatcher {
 public:
  explicit TitleMatcher(const std::vector<std::string>& phrases);
  bool Matches(std::string_view title) const;

 private:
  std::vector<std::vector<std::string>> phrases_;
};

}  // namespace headroom
