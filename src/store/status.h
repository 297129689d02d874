// Store-wide counts for `GET /v1/status` (docs/API.md), each one cheap
// (an index lookup or a count over a small derived table), so the dashboard
// may poll it. Same threading rules as the Store. Throws StoreError.
#pragma once

#include <cstdint>

namespace headroom {

class Store;

struct StoreStatus {
  uint64_t inputs = 0;        // rows of the input log (the last seq; clock inputs included)
  uint64_t accounts = 0;      // rows of `accounts`
  uint64_t open_signals = 0;  // signals whose status is open or opportunity
};

StoreStatus ReadStoreStatus(Store& store);

}  // namespace headroom
