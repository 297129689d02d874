// One function per SPEC 4 report (each in its own <name>_report.cc); the
// dispatcher is reports.cc. Internal to src/reports.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/history.h"
#include "reports/reports.h"

namespace headroom::reports {

nlohmann::json TriggersReport(const ReportContext& c, const HistoryReader& h);
nlohmann::json FunnelReport(const ReportContext& c, const HistoryReader& h);
nlohmann::json NrrReport(const ReportContext& c, const HistoryReader& h);
nlohmann::json AttributionReport(const ReportContext& c, const HistoryReader& h);
nlohmann::json TtvReport(const ReportContext& c, const HistoryReader& h);
nlohmann::json ReleasesReport(const ReportContext& c, const HistoryReader& h);
nlohmann::json FeaturesReport(const ReportContext& c, const HistoryReader& h);
nlohmann::json PilotReport(const ReportContext& c, const HistoryReader& h);
nlohmann::json AuditReport(const ReportContext& c, const HistoryReader& h);

}  // namespace headroom::reports
