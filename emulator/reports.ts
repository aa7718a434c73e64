/**
 * The Reporting API and metric aggregates of the emulator: campaign/flow values and series
 * reports and POST /api/metric-aggregates, computed from the events in a Store. Each function
 * takes the request's `data.attributes` and returns the response's `data.attributes`; a bad
 * request throws ReportError (a 400 whose `pointer` names the offending member).
 */
export { ReportError } from "./reports/errors.js";
export {
  campaignValuesReport,
  flowSeriesReport,
  flowValuesReport,
} from "./reports/message-reports.js";
export { metricAggregates } from "./reports/metric-aggregates.js";
export { STATISTICS, type Statistic } from "./reports/statistics.js";
export { TIMEFRAME_KEYS } from "./reports/time.js";
