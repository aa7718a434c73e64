/**
 * Rate limits of an operation: the `x-klaviyo-ratelimit` tier, plus the tighter tiers Klaviyo
 * documents only in the prose of some descriptions, e.g. get_profile:
 *
 *   Rate limits when using the `include=list` parameter in your API request:<br>Burst: `1/s`<br>Steady: `15/m`
 *
 * Parsing is strict: a description that mentions such a limit but does not read exactly like
 * that, names a parameter the operation does not take, or a value outside its enum, fails the
 * generator rather than silently losing the limit. Known slips in Klaviyo's prose are corrected in
 * CONDITION_ERRATA instead.
 */
import type { RateLimit, RateLimitCondition } from "../../src/engine/definition.js";
import { deref, type Operation, type Spec } from "./spec.js";

/**
 * Slips in Klaviyo's prose, by operation: "parameter=value" as written -> the value the
 * operation actually takes, or null to drop a condition no valid request can trigger. An entry
 * that no longer matches the spec fails the generator, so this list cannot go stale.
 */
export const CONDITION_ERRATA: Readonly<Record<string, Readonly<Record<string, string | null>>>> = {
  // The prose says include=list / include=segment; the include enum has lists and segments.
  get_profile: { "include=list": "lists", "include=segment": "segments" },
  // Copied from get_profiles_for_list: the relationship endpoint returns ids only and takes no
  // additional-fields parameter.
  get_profile_ids_for_list: { "additional-fields[profile]=predictive_analytics": null },
};

/** How a description announces a conditional limit; every occurrence must parse. */
const MENTION = /rate limits? when using/gi;
const BREAK = String.raw`(?:\s*<br\s*/?>\s*|\s*\n\s*)+`;
const SENTENCE = new RegExp(
  String.raw`^Rate limits when using the \`([^\`=\s]+)=([^\`=,\s]+)\` parameter in your API request:` +
    String.raw`(?:${BREAK}Burst: \`(\d+/s)\`)?(?:${BREAK}Steady: \`(\d+/m)\`)?`,
);
/** A tier line the sentence above did not consume (a second Burst, a Daily, a /h unit...). */
const LEFTOVER = new RegExp(String.raw`^${BREAK}(?:Burst|Steady|Daily)\b`, "i");
/** The operation's own tier, which `x-klaviyo-ratelimit` states too. */
const MAIN_TIER = new RegExp(
  String.raw`\*Rate limits\*:(?:${BREAK}(?:Burst|Steady|Daily): \`[^\`]*\`)+`,
  "g",
);
const TIER_LINE = /\b(?:burst|steady|daily)\s*:\s*`?\d/i;

/**
 * The conditional limits stated in `description`, in the order written; throws when a mention
 * does not parse. `operationId` is for error messages.
 */
export function parseRateLimitConditions(
  operationId: string,
  description: string,
): RateLimitCondition[] {
  const conditions: RateLimitCondition[] = [];
  let unread = description.replace(MAIN_TIER, "");
  for (const mention of description.matchAll(MENTION)) {
    const text = description.slice(mention.index);
    const fail = (why: string) =>
      new Error(
        `${operationId}: cannot parse the conditional rate limit (${why}): ${JSON.stringify(text.slice(0, 160))}`,
      );
    const m = SENTENCE.exec(text);
    if (!m)
      throw fail(
        'expected "Rate limits when using the `name=value` parameter in your API request:<br>Burst: `N/s`<br>Steady: `N/m`"',
      );
    const [sentence, parameter = "", value = "", burst, steady] = m;
    if (!burst && !steady) throw fail("neither a Burst nor a Steady limit follows");
    if (LEFTOVER.test(text.slice(sentence.length))) throw fail("an unexpected tier line follows");
    for (const limit of [burst, steady]) {
      if (limit && Number(limit.split("/")[0]) < 1) throw fail(`limit ${limit} is not positive`);
    }
    if (conditions.some((c) => c.parameter === parameter && c.value === value))
      throw fail(`${parameter}=${value} is stated twice`);
    unread = unread.replace(sentence, "");
    conditions.push({
      parameter,
      value,
      ...(burst ? { burst } : {}),
      ...(steady ? { steady } : {}),
    });
  }
  // A limit worded some other way would be lost silently: every tier line must be accounted for.
  const stray = TIER_LINE.exec(unread);
  if (stray)
    throw new Error(
      `${operationId}: a rate-limit line outside "*Rate limits*:" and "Rate limits when using ...": ${JSON.stringify(unread.slice(Math.max(0, stray.index - 80), stray.index + 40))}`,
    );
  return conditions;
}

/** The operation's query parameters by wire name, with their enum values (items' for arrays). */
export function queryParameters(
  spec: Spec,
  op: Operation,
): Map<string, readonly string[] | undefined> {
  const out = new Map<string, readonly string[] | undefined>();
  for (const param of op.parameters ?? []) {
    if (param.in !== "query") continue;
    const schema = deref(spec, param.schema);
    const items = schema.type === "array" ? deref(spec, schema.items) : schema;
    out.set(param.name, items.enum?.map(String));
  }
  return out;
}

/**
 * Applies `errata` ("parameter=value" -> corrected value, or null to drop; each must occur), then
 * checks every condition names a query parameter the operation takes, with a value among its
 * enum values when it has any.
 */
export function checkConditions(
  operationId: string,
  conditions: RateLimitCondition[],
  parameters: ReadonlyMap<string, readonly string[] | undefined>,
  errata: Readonly<Record<string, string | null>> = {},
): RateLimitCondition[] {
  const key = (c: RateLimitCondition) => `${c.parameter}=${c.value}`;
  for (const entry of Object.keys(errata)) {
    if (!conditions.some((c) => key(c) === entry))
      throw new Error(
        `${operationId}: rate-limit erratum for ${entry} matches nothing in the spec`,
      );
  }
  const kept: RateLimitCondition[] = [];
  for (const stated of conditions) {
    const fix = errata[key(stated)];
    if (fix === null) continue;
    const c = fix === undefined ? stated : { ...stated, value: fix };
    const values = parameters.get(c.parameter);
    if (!parameters.has(c.parameter))
      throw new Error(
        `${operationId}: rate-limit condition ${key(c)} names a query parameter the operation does not take`,
      );
    if (values && !values.includes(c.value))
      throw new Error(
        `${operationId}: rate-limit condition ${key(c)}: ${c.value} is not one of ${values.join(", ")}`,
      );
    if (kept.some((k) => key(k) === key(c)))
      throw new Error(`${operationId}: rate-limit condition ${key(c)} is stated twice`);
    kept.push(c);
  }
  return kept;
}

/** The operation's rate limit as the tools declare it: the tier, plus `conditions` if any. */
export function operationRateLimit(
  spec: Spec,
  op: Operation,
  fallback: Record<string, string>,
): RateLimit {
  const tier: RateLimit = { ...(op["x-klaviyo-ratelimit"] ?? fallback) };
  const conditions = checkConditions(
    op.operationId,
    parseRateLimitConditions(op.operationId, op.description ?? ""),
    queryParameters(spec, op),
    CONDITION_ERRATA[op.operationId],
  );
  return conditions.length > 0 ? { ...tier, conditions } : tier;
}
