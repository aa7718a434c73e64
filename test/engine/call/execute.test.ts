/**
 * Deep nesting through a whole tool call: arguments nested too deep are refused before anything
 * is sent, answers of any depth are returned (shaped with a note, or raw), and a write Klaviyo
 * applied is reported as applied whatever happens while shaping its answer.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_RESULT_OPTIONS,
  type ExecutionContext,
  executeTool,
  type KlaviyoSender,
} from "../../../src/engine/call/execute.js";
import type { ToolDefinition } from "../../../src/engine/definition.js";
import { KlaviyoClient, type KlaviyoResponse } from "../../../src/klaviyo/client.js";
import { createLogger } from "../../../src/logger.js";
import { createMcpServer } from "../../../src/server.js";
import { allTools, KLAVIYO_REVISION, toolGroups } from "../../../tools/index.js";
import { nested, nestedText } from "../../support/deep-json.js";
import { FakeKlaviyo } from "../../support/fake-klaviyo.js";
import {
  resultText,
  type SandboxSession,
  startSandboxSession,
} from "../../support/sandbox-client.js";

type Json = Record<string, unknown>;

const MAX_ARGUMENT_DEPTH = 64;
const PROFILE_ID = "01KDEEPNEST0000000000000001";

const parse = (result: unknown): Json => JSON.parse(resultText(result)) as Json;

/** `{deep: ...}`: a properties argument `levels` deep in all (the object itself is level 1). */
const deepProperties = (levels: number) => ({ deep: nested(levels - 1) });

describe("arguments nested too deep, through the sandbox", () => {
  let session: SandboxSession;
  beforeAll(async () => {
    session = await startSandboxSession({ rateLimits: false });
  });
  afterAll(() => session.close());

  it("are refused before anything is sent, naming the argument and the limit", async () => {
    const profiles = session.emulator.store.count("profile");
    for (const levels of [3_000, MAX_ARGUMENT_DEPTH + 1]) {
      const result = await session.client.callTool({
        name: "create_profile",
        arguments: { email: `deep${levels}@example.com`, properties: deepProperties(levels) },
      });
      expect(result.isError).toBe(true);
      const answer = parse(result);
      expect(answer.error).toBe(
        "Invalid arguments for create_profile: nothing was sent to Klaviyo.",
      );
      expect(answer.issues).toEqual([
        { argument: "properties", message: expect.stringContaining(`${MAX_ARGUMENT_DEPTH}`) },
      ]);
    }
    expect(session.emulator.store.count("profile")).toBe(profiles);
  });

  it("are accepted at the limit, returned whole, and later listings still work", async () => {
    const properties = deepProperties(MAX_ARGUMENT_DEPTH);
    const created = await session.client.callTool({
      name: "create_profile",
      arguments: { email: "at-the-limit@example.com", properties },
    });
    expect(created.isError, resultText(created)).toBeFalsy();
    const profile = parse(created).data as Json;
    expect(profile.properties).toStrictEqual(properties);

    const listed = await session.client.callTool({
      name: "get_profiles",
      arguments: { sort: "-created" },
    });
    expect(listed.isError, resultText(listed)).toBeFalsy();
    const first = (parse(listed).data as Json[])[0];
    expect(first).toMatchObject({ id: profile.id, properties });
  });
});

describe("answers nested deeper than JSON.stringify can go, from a fake Klaviyo", () => {
  const fake = new FakeKlaviyo();
  let client: Client;
  let klaviyo: KlaviyoClient;
  /** A profile document whose properties nest `levels` deep, as raw JSON text. */
  const deepProfileText = (levels: number) =>
    `{"data":{"type":"profile","id":"${PROFILE_ID}","attributes":{"email":"deep@example.com","properties":{"deep":${nestedText(levels)}}},"links":{"self":"x"}}}`;
  const answer = (status: number, levels: number) => ({
    status,
    text: deepProfileText(levels),
    headers: { "content-type": "application/vnd.api+json" },
  });

  beforeAll(async () => {
    const url = await fake.start();
    const logger = createLogger("silent");
    klaviyo = new KlaviyoClient({
      revision: KLAVIYO_REVISION,
      userAgent: "klaviyo-mcp-test",
      logger,
      baseUrl: url,
      apiKey: "pk_deep_nesting_test_key",
    });
    const server = createMcpServer({
      client: klaviyo,
      logger,
      allowFilePaths: false,
      toolsets: [...toolGroups],
      readOnly: false,
      results: { ...DEFAULT_RESULT_OPTIONS, budgetTokens: 4000, structuredContent: true },
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: "deep-test", version: "1.0.0" });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client.close();
    await klaviyo.close();
    await fake.stop();
  });

  for (const levels of [10_000, 100_000]) {
    it(`returns a read answered ${levels} levels deep, shaped within the budget`, async () => {
      fake.on("GET", `/api/profiles/${PROFILE_ID}`, answer(200, levels));
      const result = await client.callTool({
        name: "get_profile",
        arguments: { profile_id: PROFILE_ID },
      });
      expect(result.isError, resultText(result)).toBeFalsy();
      const text = resultText(result);
      expect(text.length).toBeLessThanOrEqual(4000 * 4);
      expect(parse(result)).toMatchObject({
        nested: expect.stringContaining("JSON text"),
        data: { id: PROFILE_ID, email: "deep@example.com" },
      });
      expect(parse(result).outcome).toBeUndefined();
      // The SDK serializes the whole result, structured content included.
      expect(() => JSON.stringify(result)).not.toThrow();
    });

    it(`says a write answered ${levels} levels deep was applied`, async () => {
      fake.on("POST", "/api/profiles", answer(201, levels));
      const before = fake.requests.length;
      const result = await client.callTool({
        name: "create_profile",
        arguments: { email: "deep@example.com" },
      });
      expect(result.isError, resultText(result)).toBeFalsy();
      expect(parse(result)).toMatchObject({ outcome: "applied", data: { id: PROFILE_ID } });
      expect(fake.requests.length - before).toBe(1);
      expect(() => JSON.stringify(result)).not.toThrow();
    });
  }
});

describe("an answer that cannot be shaped", () => {
  const tool = (name: string) => allTools.find((t) => t.name === name) as ToolDefinition;
  const ctx = (client: KlaviyoSender, budgetTokens = 1000): ExecutionContext => ({
    client,
    logger: pino({ level: "silent" }),
    allowFilePaths: false,
    results: { ...DEFAULT_RESULT_OPTIONS, budgetTokens, structuredContent: true },
  });
  /** A 201 whose `data` throws when first read (as a shaping bug would), then reads fine. */
  const flaky = (data: unknown, failures = 1): KlaviyoSender => ({
    request: async (): Promise<KlaviyoResponse> => {
      let reads = 0;
      const body = {
        get data() {
          if (reads++ < failures) throw new RangeError("Maximum call stack size exceeded");
          return data;
        },
      };
      return { status: 201, headers: {}, body };
    },
  });

  it("is returned raw, and a write says it was applied", async () => {
    const data = { type: "profile", id: PROFILE_ID, attributes: { email: "raw@example.com" } };
    const result = await executeTool(
      tool("create_profile"),
      { email: "raw@example.com" },
      ctx(flaky(data)),
    );
    expect(result.isError).toBeUndefined();
    const answer = parse(result);
    expect(answer).toMatchObject({
      outcome: "applied",
      status: 201,
      hint: expect.stringContaining("do not repeat it"),
    });
    expect(answer.truncated).toBeUndefined();
    expect(JSON.parse(answer.raw as string)).toEqual({ data });
    expect(result.structuredContent).toEqual(answer);
  });

  it("is cut to the result budget, hidden characters removed", async () => {
    const data = {
      type: "profile",
      id: PROFILE_ID,
      attributes: { note: `a\u200Bb${"x".repeat(50_000)}` },
    };
    const result = await executeTool(
      tool("get_profile"),
      { profile_id: PROFILE_ID },
      ctx(flaky(data)),
    );
    expect(result.isError).toBeUndefined();
    const text = resultText(result);
    expect(text.length).toBeLessThanOrEqual(4000);
    const answer = parse(result);
    expect(answer).toMatchObject({
      truncated: true,
      untrusted: { hidden_chars_removed: 1 },
      hint: expect.stringContaining("cut to the 1000-token result budget"),
    });
    expect(answer.outcome).toBeUndefined();
    expect(answer.raw).toMatch(
      /^\{"data":\{"type":"profile".*"note":"abx+…\[cut to fit the result budget\]$/,
    );
  });

  it("still says a write was applied when not even its raw form can be read", async () => {
    const result = await executeTool(
      tool("create_profile"),
      { email: "raw@example.com" },
      ctx(flaky({}, Number.POSITIVE_INFINITY)),
    );
    expect(result.isError).toBeUndefined();
    expect(parse(result)).toMatchObject({ outcome: "applied", status: 201 });
  });
});
