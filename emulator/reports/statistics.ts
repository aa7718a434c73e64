/**
 * Reporting API statistics (campaign and flow reports), computed from tallies of message events.
 * Rates follow Klaviyo's definitions: engagement rates are over delivered messages, delivery
 * problems over recipients, and a rate with a zero denominator is 0.
 */

/** What a message event means for the report, from its metric's name. */
export type MessageEventKind =
  | "received"
  | "opened"
  | "clicked"
  | "bounced"
  | "failed"
  | "spam"
  | "unsubscribed";

const KIND_PATTERNS: Array<[RegExp, MessageEventKind]> = [
  [/^Received /, "received"], // Received Email / SMS / Push
  [/^Opened /, "opened"],
  [/^Clicked /, "clicked"],
  [/^Bounced /, "bounced"],
  [/^Failed to [Dd]eliver/, "failed"], // SMS delivery failures
  [/^Marked .*Spam/, "spam"],
  [/^Unsubscribed/, "unsubscribed"],
];

export function kindOfMetric(name: string): MessageEventKind | undefined {
  return KIND_PATTERNS.find(([pattern]) => pattern.test(name))?.[1];
}

/** Counters for one report cell (a grouping, or a grouping within one series bucket). */
export class Tally {
  received = 0;
  /** Bounces/failures with no Received event for the same profile and message. */
  unreceivedSends = 0;
  bounced = 0;
  failed = 0;
  opens = 0;
  clicks = 0;
  spam = 0;
  unsubscribes = 0;
  conversions = 0;
  value = 0;
  segments = 0;
  creditUsage = 0;
  readonly openers = new Set<string>();
  readonly clickers = new Set<string>();
  readonly unsubscribers = new Set<string>();
  readonly converters = new Set<string>();
}

const ratio = (numerator: number, denominator: number) =>
  denominator === 0 ? 0 : numerator / denominator;

// Float sums (order values, ratios) are trimmed so 0.1 + 0.2 reads as 0.3.
const tidy = (value: number) => Math.round(value * 1e6) / 1e6;

type Derived = ReturnType<typeof derive>;

function derive(t: Tally) {
  // Seed data may log Received for every send (bounces on top) or only for delivered messages;
  // counting unreceived bounces as extra sends makes both conventions agree.
  const recipients = t.received + t.unreceivedSends;
  return {
    recipients,
    delivered: Math.max(0, recipients - t.bounced - t.failed),
    bounced: t.bounced,
    failed: t.failed,
    opens: t.opens,
    opensUnique: t.openers.size,
    clicks: t.clicks,
    clicksUnique: t.clickers.size,
    conversions: t.conversions,
    conversionUniques: t.converters.size,
    value: t.value,
    spam: t.spam,
    unsubscribes: t.unsubscribes,
    unsubscribeUniques: t.unsubscribers.size,
  };
}

const FORMULAS = {
  average_order_value: (d: Derived) => ratio(d.value, d.conversions),
  bounce_rate: (d: Derived) => ratio(d.bounced, d.recipients),
  bounced: (d: Derived) => d.bounced,
  bounced_or_failed: (d: Derived) => d.bounced + d.failed,
  bounced_or_failed_rate: (d: Derived) => ratio(d.bounced + d.failed, d.recipients),
  click_rate: (d: Derived) => ratio(d.clicksUnique, d.delivered),
  click_to_open_rate: (d: Derived) => ratio(d.clicksUnique, d.opensUnique),
  clicks: (d: Derived) => d.clicks,
  clicks_unique: (d: Derived) => d.clicksUnique,
  conversion_rate: (d: Derived) => ratio(d.conversionUniques, d.delivered),
  conversion_uniques: (d: Derived) => d.conversionUniques,
  conversion_value: (d: Derived) => d.value,
  conversions: (d: Derived) => d.conversions,
  delivered: (d: Derived) => d.delivered,
  delivery_rate: (d: Derived) => ratio(d.delivered, d.recipients),
  failed: (d: Derived) => d.failed,
  failed_rate: (d: Derived) => ratio(d.failed, d.recipients),
  message_segment_count_sum: (_d: Derived, t: Tally) => t.segments,
  open_rate: (d: Derived) => ratio(d.opensUnique, d.delivered),
  opens: (d: Derived) => d.opens,
  opens_unique: (d: Derived) => d.opensUnique,
  recipients: (d: Derived) => d.recipients,
  revenue_per_recipient: (d: Derived) => ratio(d.value, d.delivered),
  spam_complaint_rate: (d: Derived) => ratio(d.spam, d.delivered),
  spam_complaints: (d: Derived) => d.spam,
  text_message_credit_usage_amount: (_d: Derived, t: Tally) => t.creditUsage,
  // SMS pricing is not modelled: no spend, hence no ROI.
  text_message_roi: () => 0,
  text_message_spend: () => 0,
  unsubscribe_rate: (d: Derived) => ratio(d.unsubscribeUniques, d.delivered),
  unsubscribe_uniques: (d: Derived) => d.unsubscribeUniques,
  unsubscribes: (d: Derived) => d.unsubscribes,
} satisfies Record<string, (d: Derived, t: Tally) => number>;

export type Statistic = keyof typeof FORMULAS;

/** The spec's statistic enum (identical for campaign values, flow values and flow series). */
export const STATISTICS = Object.keys(FORMULAS) as Statistic[];

/** The requested statistics of one tally. */
export function computeStatistics(
  tally: Tally,
  statistics: readonly Statistic[],
): Record<string, number> {
  const derived = derive(tally);
  return Object.fromEntries(statistics.map((name) => [name, tidy(FORMULAS[name](derived, tally))]));
}
