#include "store/status.h"

#include "store/store.h"

namespace headroom {

namespace {

uint64_t Count(Database& db, const char* sql) {
  Statement s(db, sql);
  Statement::Use use(s);
  s.Step();
  return static_cast<uint64_t>(s.Int(0));
}

}  // namespace

StoreStatus ReadStoreStatus(Store& store) {
  StoreStatus out;
  out.inputs = store.LastSeq();
  out.accounts = Count(store.database(), "SELECT count(*) FROM accounts");
  out.open_signals = Count(store.database(),
                           "SELECT count(*) FROM signals WHERE status IN ('open', 'opportunity')");
  return out;
}

}  // namespace headroom
