/**
 * The beta's AI agents: knowledge (indexed along the job clock), secrets (stored masked, never
 * returned), skills and tools, the customer agent's settings, its conversations (one turn per
 * `customer-agent-responses` call, answered from the knowledge) and their reports.
 */
import { createHash } from "node:crypto";
import { ApiError, invalidPointer } from "../../api-error.js";
import { connect } from "../../beta/links.js";
import { isObject, type JsonObject, relationshipIds } from "../../body.js";
import type { EmulatorState, Handler } from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import { readQuery, selfLink } from "../../listing.js";
import { ReportError } from "../../reports/errors.js";
import { companyZone, resolveTimeframe } from "../../reports/time.js";
import type { Attributes, Store, StoredResource } from "../../store.js";
import { answer, betaCreate, betaStamp, betaUpdate, checkedData, existing } from "./crud.js";

const object = (value: unknown): JsonObject => (isObject(value) ? value : {});
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** Knowledge is `pending` until the job clock indexes it. */
function indexLater(state: EmulatorState, id: string): void {
  state.jobs.defer(() => {
    const stored = state.store.get("agent-knowledge", id);
    if (stored && stored.attributes.status === "pending") {
      state.store.update("agent-knowledge", id, {
        status: "indexed",
        indexed_at: isoTime(state.store.now()),
      });
    }
    return undefined;
  });
}

function knowledgeSource(source: JsonObject): JsonObject {
  if (source.source_type === "snippet") {
    for (const name of ["title", "content"]) {
      if (!text(source[name])) {
        throw invalidPointer(
          `/data/attributes/source/${name}`,
          `'${name}' is required for a snippet.`,
        );
      }
    }
    return { source_type: "snippet", title: source.title, content: source.content };
  }
  const url = text(source.url);
  if (!/^https?:\/\/[^\s/]+/.test(url)) {
    throw invalidPointer("/data/attributes/source/url", "'url' must be an http(s) URL.");
  }
  return {
    source_type: "webpage",
    url,
    scope: source.scope ?? "single-page",
    auto_reindex: source.auto_reindex ?? false,
  };
}

const createKnowledge = betaCreate(
  "agent-knowledge",
  (_state, attributes) => ({
    attributes: {
      source: knowledgeSource(object(attributes.source)),
      status: "pending",
      indexed_at: null,
      error: null,
    },
  }),
  (state, knowledge) => indexLater(state, knowledge.id),
);

/** A file upload (multipart: `title`, `file`): indexed like the rest. */
const createKnowledgeFile: Handler = async (request, state) => {
  readQuery(request, state);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(request.rawBody), {
      headers: { "content-type": request.contentType },
    }).formData();
  } catch {
    throw invalidPointer("/", "The multipart body could not be read.");
  }
  const file = form.get("file");
  if (!file || typeof file === "string") {
    throw new ApiError(400, "'file' is required: the document to index.", { parameter: "file" });
  }
  if (file.size > 25 * 1024 * 1024) throw new ApiError(413, "Files may be at most 25 MB.");
  const title = form.get("title");
  const knowledge = state.store.insert(
    "agent-knowledge",
    betaStamp(
      "agent-knowledge",
      {
        source: { source_type: "file", title: typeof title === "string" ? title : file.name },
        status: "pending",
        indexed_at: null,
        error: null,
      },
      true,
      state.store.now(),
    ),
  );
  indexLater(state, knowledge.id);
  return answer(request, state, knowledge);
};

/** A snippet's title and content change; other sources are re-indexed as they are. */
const updateKnowledge = betaUpdate("agent-knowledge", (_state, knowledge, attributes) => {
  const source = object(knowledge.attributes.source);
  const changes: JsonObject = {};
  for (const name of ["title", "content"]) {
    if (attributes[name] !== undefined) changes[name] = attributes[name];
  }
  if (changes.content !== undefined && source.source_type !== "snippet") {
    throw invalidPointer("/data/attributes/content", "Only a snippet's content can be edited.");
  }
  return { source: { ...source, ...changes } };
});

/** What a secret shows of its value. */
function mask(value: unknown): string {
  const secret = text(value);
  if (!secret.trim()) throw invalidPointer("/data/attributes/value", "'value' must be non-empty.");
  return `${"•".repeat(8)}${secret.slice(-4)}`;
}

const createSecret = betaCreate("agent-secret", (_state, attributes) => {
  const name = text(attributes.name).trim();
  if (!name) throw invalidPointer("/data/attributes/name", "'name' must be non-empty.");
  // The value itself is never kept: only its mask and a fingerprint.
  return {
    attributes: {
      name,
      mask: mask(attributes.value),
      fingerprint: createHash("sha256").update(text(attributes.value)).digest("hex"),
    },
  };
});

const updateSecret = betaUpdate("agent-secret", (_state, _secret, attributes) => {
  const changes: Attributes = {};
  if (attributes.name !== undefined) changes.name = text(attributes.name).trim();
  if (attributes.value !== undefined) {
    changes.mask = mask(attributes.value);
    changes.fingerprint = createHash("sha256").update(text(attributes.value)).digest("hex");
  }
  return changes;
});

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");

const createSkill = betaCreate("agent-skill", (_state, attributes) => ({
  attributes: {
    source: "custom",
    name: slug(text(attributes.display_name)),
    handoff: "none",
    ...attributes,
  },
}));

/** A custom tool's details, with Klaviyo's defaults; secrets its variables name are linked. */
function toolDetails(details: JsonObject): JsonObject {
  const template = object(details.request_template);
  if (!/^https:\/\//.test(text(template.url_template))) {
    throw invalidPointer(
      "/data/attributes/details/request_template/url_template",
      "'url_template' must be an https URL.",
    );
  }
  return {
    type: "custom",
    protocol: "https",
    ...details,
    request_template: {
      request_timeout_seconds: 10,
      query_parameters: [],
      headers: [],
      body_template: null,
      ...template,
    },
    variables: details.variables ?? [],
    timeout_seconds: details.timeout_seconds ?? 10,
    max_retries: details.max_retries ?? 0,
  };
}

function linkSecrets({ store }: EmulatorState, tool: StoredResource): void {
  const variables = object(tool.attributes.details).variables;
  const ids = (Array.isArray(variables) ? variables : [])
    .map(object)
    .filter((v) => v.source === "secret" && typeof v.value === "string")
    .map((v) => v.value as string)
    .filter((id) => store.get("agent-secret", id));
  connect(store, "agent-tool", tool.id, "agent-secrets", ids, true);
}

const createTool = betaCreate(
  "agent-tool",
  (_state, attributes) => {
    const details = toolDetails(object(attributes.details));
    return {
      attributes: { ...attributes, details, public_name: attributes.name, tool_type: "custom" },
    };
  },
  linkSecrets,
);

const updateTool = betaUpdate(
  "agent-tool",
  (_state, tool, attributes) => {
    if (object(tool.attributes.details).type === "internal") {
      throw new ApiError(400, `Agent tool ${tool.id} is a Klaviyo tool; only custom tools change.`);
    }
    const changes: Attributes = { ...attributes };
    if (attributes.details !== undefined) {
      const details = { ...object(tool.attributes.details), ...object(attributes.details) };
      changes.details = toolDetails(details);
    }
    return changes;
  },
  linkSecrets,
);

const updateConversation = betaUpdate("customer-agent-conversation");

/** Words of the user's message that match a knowledge snippet, for a plausible answer. */
function replyTo(store: Store, message: string): string {
  const words = new Set(message.toLowerCase().match(/[a-z]{4,}/g) ?? []);
  const found = store
    .all("agent-knowledge")
    .map((k) => object(k.attributes.source))
    .find((s) =>
      `${text(s.title)} ${text(s.content)}`
        .toLowerCase()
        .split(/\W+/)
        .some((w) => words.has(w)),
    );
  if (found?.content) return text(found.content);
  return "Thanks for reaching out! I can help with orders, shipping, returns and product questions.";
}

const HANDOFF = /\b(human|person|agent|representative)\b/i;

/** One turn: the user's last message in, the agent's events out, the conversation kept. */
const respond: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const { attributes, relationships } = checkedData(request);
  const messages = (attributes.messages as unknown[]).map(object);
  const last = messages[messages.length - 1];
  if (last?.role !== "user") {
    throw invalidPointer(
      "/data/attributes/messages",
      "The last message must be the user's new one.",
    );
  }
  const given = relationshipIds(relationships, "conversation", "customer-agent-conversation")?.[0];
  const now = isoTime(store.now());
  const conversation = given
    ? existing(state, "customer-agent-conversation", given)
    : store.insert("customer-agent-conversation", {
        status: "open",
        created_at: now,
        updated_at: now,
        channel: attributes.channel ?? "web-chat",
      });
  const handoff = HANDOFF.test(text(last.content));
  const reply = handoff
    ? "I'll connect you with a member of our team."
    : replyTo(store, text(last.content));
  const live = attributes.mode === "live";
  if (live) {
    for (const [role, content] of [
      ["user", text(last.content)],
      ["agent", reply],
    ]) {
      const stored = store.insert("customer-agent-message", {
        role,
        content,
        created_at: now,
        updated_at: now,
      });
      store.link("customer-agent-conversation", conversation.id, "customer-agent-messages", [
        stored.id,
      ]);
    }
    conversation.attributes.updated_at = now;
    if (handoff) conversation.attributes.status = "routed-to-team";
  }
  const events: JsonObject[] = [{ type: "message", role: "agent", content: reply }];
  if (handoff) events.push({ type: "handoff", mode: "soft", category: "explicit-ask" });
  const self = selfLink(state.baseUrl, request);
  return {
    status: request.op.status,
    body: {
      data: {
        type: "customer-agent-response",
        id: store.newId("customer-agent-response"),
        attributes: { conversation_id: conversation.id, events },
        relationships: {
          conversation: { data: { type: "customer-agent-conversation", id: conversation.id } },
        },
        links: { self },
      },
      links: { self },
    },
  };
};

/** Conversations within the request's timeframe. */
function conversationsIn(store: Store, attributes: JsonObject): StoredResource[] {
  let range: { start: number; end: number };
  try {
    range = resolveTimeframe(attributes, store.now(), companyZone(store));
  } catch (error) {
    if (error instanceof ReportError) throw invalidPointer(error.pointer, error.detail);
    throw error;
  }
  return store.all("customer-agent-conversation").filter((c) => {
    const at = Date.parse(text(c.attributes.created_at));
    return at >= range.start && at < range.end;
  });
}

function grouped(
  items: StoredResource[],
  keys: string[],
  read: (item: StoredResource, key: string) => string,
): Map<string, StoredResource[]> {
  const groups = new Map<string, StoredResource[]>();
  for (const item of items) {
    const key = JSON.stringify(keys.map((k) => read(item, k)));
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

function report(compute: (store: Store, attributes: JsonObject) => JsonObject[]): Handler {
  return (request, state) => {
    readQuery(request, state);
    const { attributes } = checkedData(request);
    const self = selfLink(state.baseUrl, request);
    return {
      status: request.op.status,
      body: {
        data: {
          type: request.op.response?.type,
          id: state.store.newId("report"),
          attributes: { results: compute(state.store, attributes) },
          links: { self },
        },
        links: { self },
      },
    };
  };
}

const RESOLVED = new Set(["resolved-by-ai", "closed"]);

const agentValues = report((store, attributes) => {
  const statistics = attributes.statistics as string[];
  const keys = (attributes.groupings as string[] | undefined) ?? [];
  const read = (c: StoredResource, key: string) =>
    text(key === "status" ? c.attributes.status : (c.attributes.channel ?? "web-chat"));
  return [...grouped(conversationsIn(store, attributes), keys, read)].map(([key, items]) => {
    const values = JSON.parse(key) as string[];
    const resolved = items.filter((c) => RESOLVED.has(text(c.attributes.status))).length;
    const stats: JsonObject = {};
    for (const statistic of statistics) {
      stats[statistic] =
        statistic === "volume" ? items.length : Math.round((resolved / items.length) * 1000) / 1000;
    }
    return { groupings: Object.fromEntries(keys.map((k, i) => [k, values[i]])), statistics: stats };
  });
});

const skillValues = report((store, attributes) => {
  const counts = new Map<string, number>();
  for (const conversation of conversationsIn(store, attributes)) {
    for (const skill of store.related(
      "customer-agent-conversation",
      conversation.id,
      "agent-skills",
    )) {
      counts.set(skill, (counts.get(skill) ?? 0) + 1);
    }
  }
  return [...counts].map(([skill, volume]) => ({
    groupings: { skill: text(store.get("agent-skill", skill)?.attributes.name) || skill },
    statistics: { volume },
  }));
});

export const betaAgentHandlers: Record<string, Handler> = {
  create_agent_knowledge_beta: createKnowledge,
  create_agent_knowledge_file_beta: createKnowledgeFile,
  update_agent_knowledge_beta: updateKnowledge,
  create_agent_secret_beta: createSecret,
  update_agent_secret_beta: updateSecret,
  create_agent_skill_beta: createSkill,
  update_agent_skill_beta: betaUpdate("agent-skill"),
  create_agent_tool_beta: createTool,
  update_agent_tool_beta: updateTool,
  update_customer_agent_beta: betaUpdate("customer-agent"),
  update_customer_agent_conversation_beta: updateConversation,
  create_customer_agent_response_beta: respond,
  query_customer_agent_values_beta: agentValues,
  query_customer_agent_skill_values_beta: skillValues,
};
