/**
 * Handlers of the beta revision's operations, by operation id (ids end in `_beta`, so they never
 * meet a stable one). Operations left out here are the generic handler's. Every operation on
 * campaigns first gives the stored campaigns their beta parts (beta/campaign-views.ts).
 */
import { ensureCompanions } from "../../beta/campaign-views.js";
import { BETA_SHAPES } from "../../beta/shapes.js";
import type { Handler } from "../../handler-types.js";
import { OPERATIONS as BETA_OPERATIONS } from "../../operations/beta/index.js";
import { genericHandler } from "../generic.js";
import { betaAgentHandlers } from "./agents.js";
import { betaCampaignPartHandlers } from "./campaign-parts.js";
import { betaCampaignHandlers } from "./campaigns.js";
import { betaExportHandlers } from "./exports.js";
import { betaSetupHandlers } from "./setup.js";

const own: Record<string, Handler> = {
  ...betaCampaignHandlers,
  ...betaCampaignPartHandlers,
  ...betaSetupHandlers,
  ...betaExportHandlers,
  ...betaAgentHandlers,
};

/** Relationship reads whose resource identifiers carry their own `links` (the agents'). */
const LINKED_IDS = [
  "get_secret_ids_for_agent_tool_beta",
  "get_secrets_for_agent_tool_beta",
  "get_skill_ids_for_agent_tool_beta",
  "get_tool_ids_for_agent_secret_beta",
  "get_agent_message_ids_for_customer_agent_conversation_beta",
];

function withLinkedIds(handler: Handler): Handler {
  return async (request, state) => {
    const result = await handler(request, state);
    const body = result.body as { data?: unknown } | undefined;
    const identify = (item: { type: string; id: string }) => ({
      type: item.type,
      id: item.id,
      links: {
        self: `${state.baseUrl}/api/${BETA_SHAPES.collectionOf(item.type)}/${encodeURIComponent(item.id)}/`,
      },
    });
    if (body && Array.isArray(body.data)) body.data = body.data.map(identify);
    return result;
  };
}

function withCompanions(handler: Handler): Handler {
  return (request, state) => {
    ensureCompanions(state.store);
    return handler(request, state);
  };
}

export const betaHandlers: Record<string, Handler> = { ...own };
for (const op of BETA_OPERATIONS) {
  const handler = own[op.id] ?? genericHandler(op.method, op.path);
  if (!handler) continue;
  if (op.path.startsWith("/api/campaign")) betaHandlers[op.id] = withCompanions(handler);
  if (LINKED_IDS.includes(op.id)) betaHandlers[op.id] = withLinkedIds(handler);
}
