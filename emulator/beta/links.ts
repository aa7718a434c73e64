/**
 * The relationships only the beta revision has, kept in both directions like relations.ts keeps
 * the stable ones (a variation created under a message is listed under that message). The
 * store knows nothing of these: `connect` and `disconnect` write both sides, and a to-one side
 * moves (a message cloned to another audience leaves the first one's list).
 */
import type { Store } from "../store.js";

interface Side {
  many: boolean;
  inverse?: string;
}

/** [side, many, other side, many]: `type.relationship` each. */
const PAIRS: Array<[string, boolean, string, boolean]> = [
  ["campaign.campaign-audiences", true, "campaign-audience.campaign", false],
  ["campaign-audience.campaign-messages", true, "campaign-message.campaign-audience", false],
  ["campaign-message.campaign-variations", true, "campaign-variation.campaign-message", false],
  ["campaign-variation.translation", false, "translation.campaign-variation", false],
  [
    "text-messaging-sender.text-messaging-sender-registration",
    false,
    "text-messaging-sender-registration.text-messaging-sender",
    false,
  ],
  ["agent-tool.agent-secrets", true, "agent-secret.agent-tools", true],
  ["agent-tool.agent-skills", true, "agent-skill.agent-tools", true],
  ["campaign-message-schedule.campaign-message", false, "campaign-message.schedule", false],
];

const SIDES = new Map<string, Side>(
  PAIRS.flatMap(
    ([a, aMany, b, bMany]): Array<[string, Side]> => [
      [a, { many: aMany, inverse: b }],
      [b, { many: bMany, inverse: a }],
    ],
  ),
);

function sideOf(type: string, relationship: string): Side | undefined {
  return SIDES.get(`${type}.${relationship}`);
}

function split(key: string): [string, string] {
  const dot = key.indexOf(".");
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/** Links `ids` (a to-one side is replaced, `replace` empties a to-many first); both sides. */
export function connect(
  store: Store,
  type: string,
  id: string,
  relationship: string,
  ids: readonly string[],
  replace = false,
): void {
  const side = sideOf(type, relationship);
  if (replace || (side && !side.many)) {
    disconnect(store, type, id, relationship, store.related(type, id, relationship));
  }
  for (const other of ids) {
    store.link(type, id, relationship, [other]);
    if (!side?.inverse) continue;
    const [otherType, inverse] = split(side.inverse);
    if (!sideOf(otherType, inverse)?.many) {
      for (const previous of store.related(otherType, other, inverse)) {
        if (previous !== id) disconnect(store, otherType, other, inverse, [previous]);
      }
    }
    store.link(otherType, other, inverse, [id]);
  }
}

export function disconnect(
  store: Store,
  type: string,
  id: string,
  relationship: string,
  ids: readonly string[],
): void {
  const inverse = sideOf(type, relationship)?.inverse;
  store.unlink(type, id, relationship, ids);
  if (!inverse) return;
  const [otherType, otherRelationship] = split(inverse);
  for (const other of ids) store.unlink(otherType, other, otherRelationship, [id]);
}
