/**
 * The beta's AI customer agent for "Juniper & Pine": its settings, the knowledge it answers
 * from, its skills and tools (and the secret one tool uses), and a month of conversations.
 */
import { createHash } from "node:crypto";
import { connect } from "../beta/links.js";
import { iso, MINUTE, type SeedContext } from "./context.js";
import { STORE } from "./words.js";

const KNOWLEDGE: Array<[title: string, content: string]> = [
  [
    "Shipping",
    "Orders over $75 ship free within the US. Most orders leave our warehouse in 1-2 business days and arrive in 3-5.",
  ],
  [
    "Returns and exchanges",
    "Unused gear can be returned within 60 days for a full refund. Exchanges for a different size ship free.",
  ],
  [
    "Gear care",
    "Wash down jackets on a gentle cycle with a down wash, then tumble dry low with clean tennis balls.",
  ],
];

const SKILLS: Array<[display: string, description: string, status: string, source: string]> = [
  ["Order status", "Finds an order and says where it is.", "live", "prebuilt"],
  ["Returns and exchanges", "Explains the return policy and starts a return.", "live", "custom"],
  ["Gear recommendations", "Suggests gear for a trip from the catalog.", "draft", "custom"],
];

const QUESTIONS: Array<[question: string, skill: number, status: string]> = [
  ["Where is my order #4821?", 0, "resolved-by-ai"],
  ["How long does shipping take to Vermont?", 0, "resolved-by-ai"],
  ["Can I exchange my boots for a size 10?", 1, "closed"],
  ["I want to return a tent I haven't used.", 1, "resolved-by-ai"],
  ["Which sleeping bag is warm enough for 20°F?", 2, "open"],
  ["I need to talk to a person about a damaged stove.", 1, "routed-to-team"],
];

export function seedAgents(ctx: SeedContext, accountId: string): void {
  const { store } = ctx;
  ctx.insert(
    "customer-agent",
    {
      name: "Juni",
      tone_of_voice: {
        preset: "friendly",
        custom_instruction: "Sound like a helpful shop assistant who spends weekends outdoors.",
        updated_at: iso(ctx.daysAgo(30, 20)),
      },
      escalation_rules: [
        {
          title: "Damaged items",
          description: "Hand off when an item arrived damaged.",
          status: "enabled",
        },
        {
          title: "Angry customer",
          description: "Hand off after two frustrated messages.",
          status: "enabled",
        },
      ],
      communication_styles: [
        {
          title: "Brief answers",
          description: "Two or three sentences at most.",
          status: "enabled",
        },
        { title: "Emoji", description: "Use an emoji now and then.", status: "disabled" },
      ],
    },
    accountId,
  );
  const stamp = (days: number) => {
    const at = iso(ctx.daysAgo(days, days - 2));
    return { created_at: at, updated_at: at };
  };
  for (const [title, content] of KNOWLEDGE) {
    const at = stamp(45);
    ctx.insert("agent-knowledge", {
      source: { source_type: "snippet", title, content },
      status: "indexed",
      ...at,
      indexed_at: at.updated_at,
      error: null,
    });
  }
  const faq = stamp(20);
  ctx.insert("agent-knowledge", {
    source: {
      source_type: "webpage",
      url: `${STORE.website}/pages/faq`,
      scope: "single-page",
      auto_reindex: true,
    },
    status: "indexed",
    ...faq,
    indexed_at: faq.updated_at,
    error: null,
  });
  const secret = ctx.insert("agent-secret", {
    name: "Order system API token",
    mask: `••••••••${ctx.hex(4)}`,
    fingerprint: createHash("sha256").update("demo").digest("hex"),
    ...stamp(60),
  });
  const skills = SKILLS.map(([display, description, status, source]) =>
    ctx.insert("agent-skill", {
      source,
      display_name: display,
      name: display.toLowerCase().replace(/[^a-z0-9]+/g, "_"),
      description,
      instructions: `When a customer asks about ${display.toLowerCase()}, ${description.toLowerCase()}`,
      status,
      handoff: status === "live" ? "offer" : "none",
      ...stamp(50),
    }),
  );
  const lookup = ctx.insert("agent-tool", {
    name: "look_up_order",
    public_name: "Look up order",
    public_description: "Finds an order by its number and returns its status and tracking link.",
    details: {
      type: "custom",
      protocol: "https",
      request_template: {
        url_template: "https://orders.juniperandpine.example.com/api/orders/{{order_number}}",
        http_method: "GET",
        request_timeout_seconds: 10,
        query_parameters: [],
        headers: [{ name: "Authorization", value: "Bearer {{api_token}}" }],
        body_template: null,
      },
      variables: [
        {
          name: "order_number",
          type: "string",
          required: true,
          description: "The order number.",
          source: "dynamic",
          value: null,
        },
        {
          name: "api_token",
          type: "string",
          required: true,
          description: null,
          source: "secret",
          value: secret,
        },
      ],
      timeout_seconds: 10,
      max_retries: 1,
      ...stamp(55),
    },
    tool_type: "custom",
  });
  connect(store, "agent-tool", lookup, "agent-secrets", [secret]);
  const internal = ctx.insert("agent-tool", {
    name: "klaviyo_profile_lookup",
    public_name: "Profile lookup",
    public_description: "Reads the customer's Klaviyo profile: name, orders and consent.",
    details: {
      type: "internal",
      config_params: [
        {
          name: "fields",
          label: "Profile fields",
          description: "Which fields the agent may read.",
          input_type: "multi_select",
          required: false,
        },
      ],
    },
    tool_type: "internal",
  });
  connect(store, "agent-tool", lookup, "agent-skills", [skills[0] as string]);
  connect(store, "agent-tool", internal, "agent-skills", skills.slice(0, 2));
  QUESTIONS.forEach(([question, skill, status], index) => {
    const start = ctx.daysAgo(28 - index * 4, 27 - index * 4);
    const channel = ctx.pick(["web-chat", "web-chat", "sms", "email"]);
    const conversation = ctx.insert("customer-agent-conversation", {
      status,
      created_at: iso(start),
      updated_at: iso(start + 6 * MINUTE),
      channel,
    });
    const reply =
      status === "routed-to-team"
        ? "I'm sorry about that. I'll connect you with a member of our team."
        : (KNOWLEDGE[Math.min(skill, KNOWLEDGE.length - 1)] as [string, string])[1];
    [
      ["user", question],
      ["agent", reply],
    ].forEach(([role, content], turn) => {
      const message = ctx.insert("customer-agent-message", {
        role,
        content,
        created_at: iso(start + turn * MINUTE),
        updated_at: iso(start + turn * MINUTE),
      });
      ctx.link("customer-agent-conversation", conversation, "customer-agent-messages", [message]);
    });
    ctx.link("customer-agent-conversation", conversation, "agent-skills", [
      skills[skill] as string,
    ]);
  });
}
