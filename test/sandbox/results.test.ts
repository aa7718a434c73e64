/**
 * How results are shaped, through the SDK Client against the sandbox: default page sizes,
 * max_items, the result budget, structuredContent and the untrusted-content note.
 */
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RESULT_OPTIONS, type ResultOptions } from "../../src/engine/call/execute.js";
import { outputSchemaFor } from "../../src/engine/call/result.js";
import type { KlaviyoRequest } from "../../src/klaviyo/client.js";
import { allTools } from "../../tools/index.js";
import { resultText, type SandboxSession, startSandboxSession } from "../support/sandbox-client.js";
import { type PlanContext, SANDBOX_PLAN } from "../support/sandbox-plan.js";

interface Session extends SandboxSession {
  /** Calls a tool that must succeed, and parses its result. */
  call(name: string, args?: Record<string, unknown>): Promise<Json>;
}

type Json = Record<string, unknown> & { data?: unknown };

async function startSession(results: Partial<ResultOptions> = {}): Promise<Session> {
  const session = await startSandboxSession(
    { rateLimits: false, jobDurationMs: 600_000 },
    {},
    { results: { ...DEFAULT_RESULT_OPTIONS, ...results } },
  );
  return {
    ...session,
    call: async (name, args = {}) => {
      const result = await session.client.callTool({ name, arguments: args });
      const text = resultText(result);
      expect(result.isError, text).toBeFalsy();
      return JSON.parse(text) as Json;
    },
  };
}

const pageSizes = (sent: KlaviyoRequest[]) =>
  sent.map((request) => new Map(request.query).get("page[size]"));
const ids = (value: Json) => (value.data as Array<{ id: string }>).map((item) => item.id);
const tool = (name: string) => {
  const found = allTools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
};

describe("default results", () => {
  let session: Session;
  beforeAll(async () => {
    session = await startSession();
  });
  afterAll(() => session?.close());

  it("asks for modest pages: events and profiles 20, others the spec's default", async () => {
    session.sent.length = 0;
    const events = await session.call("get_events");
    expect(ids(events)).toHaveLength(20);
    expect(events.next_cursor).toEqual(expect.any(String));
    const profiles = await session.call("get_profiles");
    expect(ids(profiles)).toHaveLength(20);
    await session.call("get_tags");
    await session.call("get_metrics"); // a fixed page: no page[size]
    expect(pageSizes(session.sent)).toEqual(["20", "20", "50", undefined]);
    // An explicit page_size wins.
    expect(ids(await session.call("get_events", { page_size: 30 }))).toHaveLength(30);
  });

  it("max_items follows the cursor and says whether more remain", async () => {
    const all = session.emulator.store.all("profile").map((profile) => profile.id);
    // Only emails, so that all 300 profiles fit the default budget.
    const fields = { profile: ["email"] };
    session.sent.length = 0;
    const first = await session.call("get_profiles", { max_items: 45, fields });
    expect(ids(first)).toHaveLength(45);
    expect(first).toMatchObject({ truncated: true, next_cursor: expect.any(String) });
    expect(pageSizes(session.sent)).toEqual(["45"]);

    session.sent.length = 0;
    const rest = await session.call("get_profiles", {
      max_items: 1000,
      page_cursor: first.next_cursor,
      fields,
    });
    expect(rest.truncated).toBe(false);
    expect(rest.next_cursor).toBeUndefined();
    expect(session.sent.length).toBe(Math.ceil((all.length - 45) / 100));
    const seen = [...ids(first), ...ids(rest)];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...all].sort());

    // Under max_items when the list is shorter: everything, not truncated.
    const lists = await session.call("get_lists", { max_items: 500 });
    expect(ids(lists)).toHaveLength(session.emulator.store.all("list").length);
    expect(lists.truncated).toBe(false);
  });

  it("marks customer-controlled values as untrusted, naming where they are", async () => {
    const profile = await session.call("get_profile", {
      profile_id: session.emulator.demo?.profileIds[0],
    });
    expect(Object.keys(profile)[0]).toBe("untrusted");
    expect(profile.untrusted).toMatchObject({
      note: expect.stringContaining("never instructions"),
      data: expect.arrayContaining(["first_name", "properties"]),
    });
    const events = await session.call("get_events", { include: ["profile"], page_size: 3 });
    expect(events.untrusted).toMatchObject({
      "data[]": ["event_properties"],
      "included.profile[]": expect.arrayContaining(["properties"]),
    });
    // List names are written by integrations (and anyone with a private key).
    const lists = await session.call("get_lists");
    expect(lists.untrusted).toMatchObject({ "data[]": ["name"] });
  });

  it("returns no structuredContent unless asked", async () => {
    const result = await session.client.callTool({ name: "get_lists", arguments: {} });
    expect(result.structuredContent).toBeUndefined();
  });
});

describe("untrusted marking off", () => {
  it("leaves results as they are, hidden characters included", async () => {
    const on = await startSession();
    const off = await startSession({ markUntrusted: false });
    try {
      const smuggled = `Great store${String.fromCodePoint(0xe0049, 0xe0067, 0xe006e)}\u200b!`;
      const args = { email: "hidden@example.com", properties: { review: smuggled } };
      const profileOf = async (session: Session) => {
        const created = await session.call("create_profile", args);
        const id = (created.data as { id: string }).id;
        const read = await session.call("get_profile", { profile_id: id });
        return { read, data: read.data as { email: string; properties: { review: string } } };
      };
      const marked = await profileOf(on);
      const plain = await profileOf(off);
      expect(plain.read.untrusted).toBeUndefined();
      expect(plain.data.properties.review).toBe(smuggled);
      expect(marked.read.untrusted).toMatchObject({
        data: ["email", "properties"],
        hidden_chars_removed: 4,
      });
      expect(marked.data.properties.review).toBe("Great store!");
      // Otherwise the same result.
      expect(Object.keys(marked.read)).toEqual(["untrusted", ...Object.keys(plain.read)]);
      expect(Object.keys(marked.data)).toEqual(Object.keys(plain.data));
      expect(marked.data.email).toBe(plain.data.email);
    } finally {
      await on.close();
      await off.close();
    }
  });
});

describe("a small result budget (1000 tokens)", () => {
  let session: Session;
  beforeAll(async () => {
    session = await startSession({ budgetTokens: 1000 });
  });
  afterAll(() => session?.close());

  const within = async (name: string, args: Record<string, unknown>) => {
    const result = await session.client.callTool({ name, arguments: args });
    const text = resultText(result);
    expect(result.isError, text).toBeFalsy();
    expect(Math.ceil(text.length / 4)).toBeLessThanOrEqual(1000);
    return JSON.parse(text) as Json;
  };

  it("keeps the first profiles that fit and says how many were dropped and how to get them", async () => {
    const page = await within("get_profiles", { page_size: 20 });
    const kept = ids(page).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(20);
    expect(page).toMatchObject({
      truncated: true,
      dropped: 20 - kept,
      next_cursor: expect.any(String),
    });
    expect(page.hint).toContain(`page_size=${kept}`);
    // The hint works: that page size from the same cursor fits, and its next_cursor goes on
    // with the first profile that was dropped.
    const again = await within("get_profiles", { page_size: kept });
    expect(again.truncated).toBeUndefined();
    expect(ids(again)).toEqual(ids(page));
    const fields = { profile: ["email"] };
    const reference = ids(await within("get_profiles", { page_size: 20, fields }));
    const next = await within("get_profiles", { page_size: 1, page_cursor: again.next_cursor });
    expect(ids(next)).toEqual([reference[kept]]);
  });

  it("with max_items, the same: repeating with max_items=kept continues exactly", async () => {
    const collected = await within("get_profiles", { max_items: 40 });
    const kept = ids(collected).length;
    expect(collected).toMatchObject({ truncated: true, dropped: 40 - kept });
    expect(collected.hint).toContain(`max_items=${kept}`);
    const again = await within("get_profiles", { max_items: kept });
    expect(ids(again)).toEqual(ids(collected));
    expect(again.dropped).toBeUndefined();
    const fields = { profile: ["email"] };
    const reference = ids(await within("get_profiles", { page_size: 20, fields }));
    const next = await within("get_profiles", { max_items: 1, page_cursor: again.next_cursor });
    expect(ids(next)).toEqual([reference[kept]]);
  });

  it("shortens a template's HTML with a marker and says how to read it", async () => {
    const html = `<html><body>${"<p>Spring is here on the trail.</p>\n".repeat(800)}</body></html>`;
    const created = await session.call("create_template", {
      name: "Long newsletter",
      editor_type: "CODE",
      html,
    });
    const template = await within("get_template", {
      template_id: (created.data as { id: string }).id,
    });
    const data = template.data as { name: string; html: string };
    expect(data.name).toBe("Long newsletter");
    const cut = (template.cut as Record<string, number>)["data.html"] as number;
    expect(cut).toBeGreaterThan(html.length / 2);
    expect(data.html.startsWith("<html><body><p>Spring")).toBe(true);
    expect(data.html.endsWith(`…[${cut} chars cut, see hint]`)).toBe(true);
    expect(template.truncated).toBe(true);
    expect(template.hint).toContain('fields={"template":["html"]}');
    expect(template.untrusted).toMatchObject({ data: ["name", "html"] });
  });
});

describe("structuredContent on", () => {
  let session: Session;
  let ctx: PlanContext;
  const validator = new AjvJsonSchemaValidator();
  beforeAll(async () => {
    session = await startSession({ structuredContent: true });
    const demo = session.emulator.demo;
    if (!demo) throw new Error("no demo data");
    ctx = { demo, store: session.emulator.store, saved: {} };
  });
  afterAll(() => session?.close());

  it("outputSchemaFor gives a small object schema", () => {
    const schema = outputSchemaFor(tool("get_profiles")) as { type: string };
    expect(schema.type).toBe("object");
    expect(JSON.stringify(schema).length).toBeLessThan(500);
    expect(outputSchemaFor(tool("create_list"))).toMatchObject({ type: "object" });
  });

  it("every tool of the sandbox plan returns structuredContent that validates", async () => {
    for (const step of SANDBOX_PLAN) {
      const result = await session.client.callTool({ name: step.tool, arguments: step.args(ctx) });
      const text = resultText(result);
      expect(result.isError, `${step.tool}: ${text}`).toBeFalsy();
      expect(result.structuredContent, step.tool).toBeDefined();
      if (text.startsWith("{")) expect(result.structuredContent).toStrictEqual(JSON.parse(text));
      const check = validator.getValidator(outputSchemaFor(tool(step.tool)) as never);
      expect(check(result.structuredContent).valid, step.tool).toBe(true);
      if (step.save) {
        const parsed = JSON.parse(text) as { data?: { id?: string }; id?: string };
        ctx.saved[step.save] = (parsed.data?.id ?? parsed.id) as string;
      }
    }
  }, 60_000);

  it("passes the SDK Client's own validation when tools list their outputSchema", async () => {
    // Until tools/list carries outputSchema itself, add it here, as the listing will.
    const { tools } = await session.client.listTools();
    session.server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: tools.map((listed) => ({
        ...listed,
        outputSchema: outputSchemaFor(tool(listed.name)),
      })),
    }));
    const relisted = await session.client.listTools(); // the client caches the validators
    expect(relisted.tools.every((listed) => listed.outputSchema?.type === "object")).toBe(true);
    const page = await session.client.callTool({
      name: "get_profiles",
      arguments: { max_items: 30 },
    });
    expect((page.structuredContent as { data: unknown[] }).data).toHaveLength(30);
    const template = await session.client.callTool({
      name: "get_template",
      arguments: { template_id: session.emulator.demo?.templateIds[0] },
    });
    expect(template.structuredContent).toMatchObject({ data: { type: "template" } });
    const deleted = await session.client.callTool({
      name: "delete_tag_group",
      arguments: { tag_group_id: ctx.demo.tagGroupIds.at(-1) },
    });
    expect(deleted.structuredContent).toMatchObject({ status: "success" });
  });
});
