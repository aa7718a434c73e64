/**
 * The relationships the emulator stores, with their inverses. Klaviyo keeps both directions
 * consistent (adding a profile to a list makes the list show up under the profile), so a link
 * written on one side is visible from the other.
 */

export interface RelationInfo {
  /** JSON:API type of the related resources. */
  target: string;
  many: boolean;
  /** `type.relationship` on the other side, when Klaviyo exposes it. */
  inverse?: string;
}

const PAIRS: Array<[string, string, string, string]> = [
  // [side A, A's target, side B, B's target]
  ["list.profiles", "profile", "profile.lists", "list"],
  ["segment.profiles", "profile", "profile.segments", "segment"],
  ["tag.lists", "list", "list.tags", "tag"],
  ["tag.segments", "segment", "segment.tags", "tag"],
  ["tag.campaigns", "campaign", "campaign.tags", "tag"],
  ["tag.flows", "flow", "flow.tags", "tag"],
  ["tag-group.tags", "tag", "tag.tag-group", "tag-group"],
  ["catalog-category.items", "catalog-item", "catalog-item.categories", "catalog-category"],
  ["catalog-item.variants", "catalog-variant", "catalog-variant.item", "catalog-item"],
  ["coupon.coupon-codes", "coupon-code", "coupon-code.coupon", "coupon"],
  ["campaign.campaign-messages", "campaign-message", "campaign-message.campaign", "campaign"],
  ["flow.flow-actions", "flow-action", "flow-action.flow", "flow"],
  ["flow-action.flow-messages", "flow-message", "flow-message.flow-action", "flow-action"],
  ["form.form-versions", "form-version", "form-version.form", "form"],
  ["profile.push-tokens", "push-token", "push-token.profile", "profile"],
  ["profile.conversations", "conversation", "conversation.profile", "profile"],
];

const ONE_WAY: Array<[string, string]> = [
  ["event.profile", "profile"],
  ["event.metric", "metric"],
  ["campaign-message.template", "template"],
  ["campaign-message.image", "image"],
  ["flow-message.template", "template"],
  ["coupon-code.profile", "profile"],
  ["webhook.webhook-topics", "webhook-topic"],
  ["profile-bulk-import-job.profiles", "profile"],
  ["profile-bulk-import-job.lists", "list"],
  ["profile-bulk-import-job.import-errors", "import-error"],
  // The flows a list or segment triggers (a flow's trigger is one of them, or a metric).
  ["list.flow-triggers", "flow"],
  ["segment.flow-triggers", "flow"],
  ["metric.flow-triggers", "flow"],
  ["review.item", "catalog-item"],
  ["review.events", "event"],
];

/** To-one relationships; every other stored relationship is to-many. */
const TO_ONE = new Set([
  "tag.tag-group",
  "catalog-variant.item",
  "coupon-code.coupon",
  "campaign-message.campaign",
  "flow-action.flow",
  "flow-message.flow-action",
  "form-version.form",
  "push-token.profile",
  "conversation.profile",
  "event.profile",
  "event.metric",
  "campaign-message.template",
  "campaign-message.image",
  "flow-message.template",
  "coupon-code.profile",
  "review.item",
]);

export const RELATIONS: ReadonlyMap<string, RelationInfo> = new Map([
  ...PAIRS.flatMap(
    ([a, aTarget, b, bTarget]): Array<[string, RelationInfo]> => [
      [a, { target: aTarget, many: !TO_ONE.has(a), inverse: b }],
      [b, { target: bTarget, many: !TO_ONE.has(b), inverse: a }],
    ],
  ),
  ...ONE_WAY.map(([key, target]): [string, RelationInfo] => [
    key,
    { target, many: !TO_ONE.has(key) },
  ]),
]);

export function relationOf(type: string, relationship: string): RelationInfo | undefined {
  return RELATIONS.get(`${type}.${relationship}`);
}
