// The read-only query commands of the CLI (SPEC 6.2): `accounts`, `account ID`,
// `signals`, `firings`. Each reads the stored SPEC 6.3 documents from a Store
// and prints them:
// * --json: exactly the stored documents, as a bare JSON array (2-space
//   indent); for `account ID` the detail object. An empty list prints [].
// * otherwise: aligned tables (cli/table.h), "no accounts" etc. when empty.
//   Times show as "YYYY-MM-DD HH:MM" (UTC), absent values as "-", lists
//   comma-separated, numbers with at most two decimals.
// Return values: 0 success; 1 not found (`account ID` with an unknown id);
// 2 a bad flag value or missing argument. Messages go to `err`.
// StoreError propagates (an I/O failure ends the command).
#pragma once

#include <iostream>
#include <ostream>

#include "cli/options.h"
#include "store/store.h"

namespace headroom {

// Flags: --route ae|csm|nurture|suppressed, --limit N (N >= 1).
int RunAccountsCommand(Store& store, const CliOptions& options, std::ostream& out,
                       std::ostream& err = std::cerr);
// args[0]: the account id. Unknown id: "account 'x' not found" on err, returns 1.
int RunAccountCommand(Store& store, const CliOptions& options, std::ostream& out,
                      std::ostream& err = std::cerr);
// Flags: --status open|opportunity|won|lost|expired|suppressed, --owner O, --account A.
int RunSignalsCommand(Store& store, const CliOptions& options, std::ostream& out,
                      std::ostream& err = std::cerr);
// Flags: --account A, --trigger T.
int RunFiringsCommand(Store& store, const CliOptions& options, std::ostream& out,
                      std::ostream& err = std::cerr);

}  // namespace headroom
