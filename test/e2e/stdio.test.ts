/**
 * End to end over real stdio: the SDK's own Client spawns the built server (dist/), which talks
 * to a recording HTTP server on 127.0.0.1. Assertions cover both sides: what the model gets
 * back and what "Klaviyo" received.
 */
import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENDPOINT_COUNT } from "../support/endpoints.js";
import { FakeKlaviyo } from "../support/fake-klaviyo.js";

const CLI = resolve(import.meta.dirname, "../../dist/src/cli.js");
const API_KEY = "pk_e2e_secret_0123456789abcdef";
const PUBLIC_KEY = "PubKey1";
/** Klaviyo's own link host, as it appears in response bodies. */
const LINKS = "https://a.klaviyo.com/api"; // never called: only inside link strings
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

interface Started {
  client: Client;
  stderr: () => string;
}

async function startServer(
  baseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<Started> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI],
    env: {
      PATH: process.env.PATH ?? "",
      KLAVIYO_API_KEY: API_KEY,
      KLAVIYO_PUBLIC_KEY: PUBLIC_KEY,
      KLAVIYO_BASE_URL: baseUrl,
      LOG_LEVEL: "debug",
      ...extraEnv,
    },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "e2e-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

function textOf(result: unknown): string {
  const content = (result as { content: Array<{ type: string; text: string }> }).content;
  return content.map((c) => c.text).join("\n");
}

function jsonOf(result: unknown): Record<string, unknown> {
  return JSON.parse(textOf(result)) as Record<string, unknown>;
}

describe("stdio server end to end", () => {
  const klaviyo = new FakeKlaviyo();
  /** The one directory file_path may read from (KLAVIYO_UPLOAD_DIRS). */
  const uploads = realpathSync(mkdtempSync(join(tmpdir(), "klaviyo-mcp-")));
  let server: Started;
  const transcripts: string[] = [];

  beforeAll(async () => {
    klaviyo
      .on("GET", "/api/profiles", (req) =>
        req.query.get("filter")?.startsWith("any(email")
          ? {
              status: 200,
              body: {
                data: [{ type: "profile", id: "P-ANN", attributes: { email: "ann@example.com" } }],
                links: {},
              },
            }
          : {
              status: 200,
              body: {
                data: [
                  {
                    type: "profile",
                    id: "P1",
                    attributes: {
                      email: "ann@example.com",
                      first_name: "Ann",
                      last_name: null,
                      properties: {},
                    },
                    relationships: { lists: { links: { self: "https://x/y" } } },
                    links: { self: `${LINKS}/profiles/P1/` },
                  },
                ],
                links: {
                  self: `${LINKS}/profiles/`,
                  next: `${LINKS}/profiles/?page%5Bcursor%5D=CURSOR2&page%5Bsize%5D=1`,
                  prev: null,
                },
              },
            },
      )
      .on("POST", "/api/profiles", (req) => {
        const data = (req.json as { data: { attributes: { email?: string } } }).data;
        if (data.attributes.email === "dupe@example.com") {
          return {
            status: 409,
            body: {
              errors: [
                {
                  id: "e1",
                  status: 409,
                  code: "duplicate_profile",
                  title: "Conflict.",
                  detail: "A profile already exists with one of these identifiers.",
                  source: { pointer: "/data/attributes" },
                  meta: { duplicate_profile_id: "P-DUPE" },
                },
              ],
            },
          };
        }
        return {
          status: 201,
          body: {
            data: {
              type: "profile",
              id: "P-NEW",
              attributes: data.attributes,
              links: { self: "x" },
            },
          },
        };
      })
      .on("POST", "/api/tags/T1/relationships/campaigns", { status: 204 })
      .on("POST", "/client/events", { status: 202 })
      .on("DELETE", "/api/lists/L1/relationships/profiles", { status: 204 })
      .on("POST", "/api/image-upload", {
        status: 201,
        body: { data: { type: "image", id: "IMG1", attributes: { name: "pixel" } } },
      })
      .on("GET", "/api/lists/BAD", {
        status: 400,
        body: {
          errors: [
            {
              id: "e2",
              status: 400,
              code: "invalid",
              title: "Invalid input.",
              detail: "'nonsense' is not a valid field for the resource 'list'.",
              source: { parameter: "fields[list]" },
            },
          ],
        },
      })
      .on("GET", "/api/lists/HTML", {
        status: 403,
        text: "<html><body><h1>403 Forbidden</h1></body></html>",
      });
    server = await startServer(await klaviyo.start(), { KLAVIYO_UPLOAD_DIRS: uploads });
  });

  afterAll(async () => {
    await server?.client.close();
    await klaviyo.stop();
  });

  async function call(name: string, args: Record<string, unknown>) {
    const result = await server.client.callTool({ name, arguments: args });
    transcripts.push(JSON.stringify(result));
    return result;
  }

  it("lists every tool in a stable, sorted order with compact schemas and annotations", async () => {
    const { tools } = await server.client.listTools();
    expect(tools).toHaveLength(ENDPOINT_COUNT);
    const names = tools.map((t) => t.name);
    expect(names).toEqual([...names].sort());
    const getProfiles = tools.find((t) => t.name === "get_profiles");
    // Only what differs from MCP's defaults (see engine/registry.ts compactAnnotations).
    expect(getProfiles?.annotations).toEqual({ readOnlyHint: true });
    expect(tools.find((t) => t.name === "delete_list")?.annotations).toEqual({
      idempotentHint: true,
    });
    expect(getProfiles?.inputSchema.properties).toHaveProperty("filter");
    // Every argument is in the listing itself, not only in the instructions (issue 13).
    expect(getProfiles?.inputSchema.properties).toMatchObject({
      fields: { type: "object", description: expect.stringContaining("profile:[created,email,") },
      page_size: { type: "integer", maximum: 100 },
      max_items: { type: "integer" },
    });
    const again = await server.client.listTools();
    expect(again.tools.map((t) => t.name)).toEqual(names);
  });

  it("lists profiles with filter, fields and paging, and trims the result", async () => {
    const result = await call("get_profiles", {
      filter: "equals(email,'ann@example.com')",
      fields: { profile: ["email", "first_name"] },
      page_size: 1,
    });
    expect(result.isError).toBeFalsy();
    const sent = klaviyo.last();
    expect(sent.method).toBe("GET");
    expect(sent.path).toBe("/api/profiles");
    expect(sent.query.get("filter")).toBe("equals(email,'ann@example.com')");
    expect(sent.query.get("fields[profile]")).toBe("email,first_name");
    expect(sent.query.get("page[size]")).toBe("1");
    expect(sent.headers.authorization).toBe(`Klaviyo-API-Key ${API_KEY}`);
    expect(sent.headers.revision).toBe("2026-07-15");
    expect(sent.headers.accept).toBe("application/vnd.api+json");
    expect(sent.headers["user-agent"]).toMatch(/^klaviyo-mcp\/\d+\.\d+\.\d+/);

    const body = jsonOf(result);
    expect(body.next_cursor).toBe("CURSOR2");
    // Items of one type do not repeat it; a name typed in by a customer is marked untrusted.
    expect(body.data).toEqual([{ id: "P1", email: "ann@example.com", first_name: "Ann" }]);
    expect(body.untrusted).toMatchObject({ "data[]": ["email", "first_name"] });
    expect(textOf(result)).not.toContain("links");

    await call("get_profiles", { page_cursor: "CURSOR2" });
    expect(klaviyo.last().query.get("page[cursor]")).toBe("CURSOR2");
  });

  it("creates a profile from flat arguments", async () => {
    const result = await call("create_profile", {
      email: "new@example.com",
      first_name: "Nia",
      location: { city: "Boston" },
    });
    expect(result.isError).toBeFalsy();
    const sent = klaviyo.last();
    expect(sent.method).toBe("POST");
    expect(sent.headers["content-type"]).toBe("application/vnd.api+json");
    expect(sent.json).toEqual({
      data: {
        type: "profile",
        attributes: { email: "new@example.com", first_name: "Nia", location: { city: "Boston" } },
      },
    });
    expect(jsonOf(result).data).toMatchObject({ id: "P-NEW", email: "new@example.com" });
  });

  it("writes a relationship from a list of ids", async () => {
    const result = await call("create_tag_relationships_campaigns", {
      tag_id: "T1",
      campaign_ids: ["C1", "C2"],
    });
    expect(result.isError).toBeFalsy();
    expect(klaviyo.last().json).toEqual({
      data: [
        { type: "campaign", id: "C1" },
        { type: "campaign", id: "C2" },
      ],
    });
    expect(textOf(result)).toContain("success");
  });

  it("calls a client endpoint with the public key and without the private key", async () => {
    const result = await call("create_client_event", {
      metric: { name: "Viewed Product" },
      profile: { email: "ann@example.com" },
      properties: { sku: "A-1" },
    });
    expect(result.isError).toBeFalsy();
    const sent = klaviyo.last();
    expect(sent.path).toBe("/client/events");
    expect(sent.query.get("company_id")).toBe(PUBLIC_KEY);
    expect(sent.headers.authorization).toBeUndefined();
    expect(JSON.stringify(sent.headers)).not.toContain(API_KEY);
    expect(sent.json).toEqual({
      data: {
        type: "event",
        attributes: {
          metric: { data: { type: "metric", attributes: { name: "Viewed Product" } } },
          profile: { data: { type: "profile", attributes: { email: "ann@example.com" } } },
          properties: { sku: "A-1" },
        },
      },
    });
  });

  it("rejects bad arguments before sending anything, naming the field", async () => {
    const before = klaviyo.requests.length;
    const wrongType = await call("get_profiles", { page_size: 1000 });
    expect(wrongType.isError).toBe(true);
    expect(textOf(wrongType)).toContain("page_size");
    const unknownArg = await call("get_list", { list_id: "L1", colour: "red" });
    expect(unknownArg.isError).toBe(true);
    expect(textOf(unknownArg)).toContain("colour");
    const missing = await call("create_tag_relationships_campaigns", { tag_id: "T1" });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain("campaign_ids");
    expect(klaviyo.requests.length).toBe(before);
  });

  it("turns Klaviyo errors into actionable isError results", async () => {
    const invalid = await call("get_list", { list_id: "BAD" });
    expect(invalid.isError).toBe(true);
    const body = jsonOf(invalid);
    expect(body.status).toBe(400);
    expect(JSON.stringify(body)).toContain("fields[list]");
    expect(JSON.stringify(body)).toContain("is not a valid field");

    const conflict = await call("create_profile", { email: "dupe@example.com" });
    expect(conflict.isError).toBe(true);
    expect(textOf(conflict)).toContain("P-DUPE");

    const html = await call("get_list", { list_id: "HTML" });
    expect(html.isError).toBe(true);
    expect(textOf(html)).toContain("403");
    expect(textOf(html)).toMatch(/non-JSON/i);

    const unknown = await call("no_such_tool", {});
    expect(unknown.isError).toBe(true);
  });

  it("removes profiles from a list by email, looking the emails up first", async () => {
    const result = await call("remove_profile_from_list", {
      list_id: "L1",
      emails: ["ann@example.com", "ghost@example.com"],
      profile_ids: ["P9"],
    });
    expect(result.isError).toBeFalsy();
    const del = klaviyo.last();
    expect(del.method).toBe("DELETE");
    const ids = (del.json as { data: Array<{ id: string; type: string }> }).data
      .map((d) => d.id)
      .sort();
    expect(ids).toEqual(["P-ANN", "P9"]);
    expect(jsonOf(result).not_found_emails).toEqual(["ghost@example.com"]);
  });

  it("uploads an image from a file in KLAVIYO_UPLOAD_DIRS as multipart", async () => {
    const file = join(uploads, "pixel.png");
    writeFileSync(file, PNG);
    const result = await call("upload_image_from_file", { file_path: file, name: "pixel" });
    expect(result.isError).toBeFalsy();
    const sent = klaviyo.last();
    expect(sent.path).toBe("/api/image-upload");
    expect(String(sent.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent.rawBody.includes(PNG)).toBe(true);
    expect(sent.rawBody.toString("latin1")).toContain('filename="pixel.png"');

    const notImage = join(uploads, "notes.png");
    writeFileSync(notImage, "hello");
    const refused = await call("upload_image_from_file", { file_path: notImage });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/JPEG, PNG or GIF/);
    const outside = await call("upload_image_from_file", { file_path: "/etc/hostname" });
    expect(textOf(outside)).toBe(textOf(refused));
  });

  it("never shows the API key in results or logs", () => {
    expect(transcripts.length).toBeGreaterThan(5);
    for (const transcript of transcripts) expect(transcript).not.toContain(API_KEY);
    expect(server.stderr()).not.toContain(API_KEY);
    expect(server.stderr()).toContain("tool call");
  });
});

describe("read-only stdio server", () => {
  it("lists only read tools and refuses writes", async () => {
    const klaviyo = new FakeKlaviyo();
    const server = await startServer(await klaviyo.start(), {
      KLAVIYO_READ_ONLY: "true",
      KLAVIYO_TOOLSETS: "profiles,lists",
    });
    try {
      const { tools } = await server.client.listTools();
      expect(tools.length).toBeGreaterThan(5);
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      expect(tools.every((t) => /profile|list|bulk|import|segment|push/.test(t.name))).toBe(true);
      expect(tools.some((t) => t.name === "get_campaigns")).toBe(false);
      const refused = await server.client.callTool({
        name: "create_profile",
        arguments: { email: "x@example.com" },
      });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain("not enabled");
      expect(klaviyo.requests).toHaveLength(0);
    } finally {
      await server.client.close();
      await klaviyo.stop();
    }
  });
});
