/**
 * npm run bench (part): what checking a request against Klaviyo's spec before sending it costs
 * per call (src/engine/call/request-check.ts), on a small read and on large writes. The baseline
 * is building the same request without the check, measured in the same run; the figures are
 * the check alone (µs, p50/p99) and build+check against build alone (ratio). The first request
 * of a toolset also loads its schemas: that one-off cost is printed apart. Prints figures; it
 * asserts only that every request measured is valid (the success path is what is timed).
 */

import { buildRequest } from "../src/engine/call/request.js";
import { checkRequest } from "../src/engine/call/request-check.js";
import { loadSchemas, type ToolDefinition } from "../src/engine/definition.js";
import { allTools } from "../tools/index.js";

await loadSchemas(allTools);

const CALLS = Number(process.env.BENCH_CALLS ?? 5_000);
const WARMUP = 1_000;

const tool = (name: string): ToolDefinition => {
  const found = allTools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
};

const consent = (channel: "email" | "sms") => ({
  type: "profile-marketing-consent",
  consent: {
    channel,
    can_receive_marketing: true,
    consent_status: { subscription: channel === "sms" ? "subscribed" : "any" },
  },
});
const metric = (i: number) => ({
  type: "profile-metric",
  metric_id: `METRIC${i}`,
  measurement: "count",
  measurement_filter: { type: "numeric", operator: "greater-than", value: i },
  timeframe_filter: { type: "date", operator: "in-the-last", quantity: 30 + i, unit: "day" },
});
const property = (i: number) => ({
  type: "profile-property",
  property: `properties['tier_${i}']`,
  filter: { type: "string", operator: "equals", value: `gold-${i}` },
});

const CASES: Array<{ label: string; tool: ToolDefinition; args: Record<string, unknown> }> = [
  { label: "small read (get_profiles)", tool: tool("get_profiles"), args: { page_size: 20 } },
  {
    label: "large write (create_segment, 40 conditions)",
    tool: tool("create_segment"),
    args: {
      name: "Engaged buyers",
      is_starred: true,
      definition: {
        condition_groups: Array.from({ length: 10 }, (_, g) => ({
          conditions: [consent(g % 2 ? "sms" : "email"), metric(g), property(g), metric(g + 10)],
        })),
      },
    },
  },
  {
    label: "large write (create_campaign, 3 messages)",
    tool: tool("create_campaign"),
    args: {
      name: "Spring sale",
      audiences: { included: ["LIST1", "LIST2"], excluded: ["LIST3"] },
      send_strategy: {
        method: "static",
        datetime: "2026-03-01T09:00:00Z",
        options: { is_local: false },
      },
      send_options: { use_smart_sending: true },
      tracking_options: {
        add_tracking_params: true,
        custom_tracking_params: [{ type: "static", value: "spring", name: "utm_campaign" }],
        is_tracking_clicks: true,
        is_tracking_opens: true,
      },
      campaign_messages: Array.from({ length: 3 }, (_, i) => ({
        definition: {
          channel: "email",
          label: `Variant ${i}`,
          content: {
            subject: `Spring sale ${i}`,
            preview_text: "Up to 40% off",
            from_email: "store@example.com",
            from_label: "Store",
            reply_to_email: "help@example.com",
          },
        },
      })),
    },
  },
];

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ??
  0;
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

for (const { label, tool: definition, args } of CASES) {
  const parsed = definition.input.parse(args) as Record<string, unknown>;
  const loadStarted = performance.now();
  const issues = await checkRequest(buildRequest(definition, parsed));
  const firstMs = performance.now() - loadStarted;
  if (issues.length > 0) throw new Error(`${label}: not valid: ${JSON.stringify(issues)}`);
  const build: number[] = [];
  const checked: number[] = [];
  const check: number[] = [];
  for (let i = 0; i < WARMUP + CALLS; i++) {
    // Alternating, so that both see the same machine state.
    const a = performance.now();
    buildRequest(definition, parsed);
    const b = performance.now();
    const request = buildRequest(definition, parsed);
    const c = performance.now();
    await checkRequest(request);
    const d = performance.now();
    if (i < WARMUP) continue;
    build.push(b - a);
    checked.push(d - b);
    check.push(d - c);
  }
  const p50 = percentile(checked, 0.5) / percentile(build, 0.5);
  console.log(
    `request check, ${label}: check p50 ${us(percentile(check, 0.5))} p99 ${us(percentile(check, 0.99))}; build+check p50 ${us(percentile(checked, 0.5))} vs build alone ${us(percentile(build, 0.5))} (ratio ${p50.toFixed(2)}x); first request of the toolset (loads its schemas) ${firstMs.toFixed(1)} ms`,
  );
}
