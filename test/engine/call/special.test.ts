/**
 * The hand-written tools, run through executeTool with a recording fake client (file_path and
 * image checks: special/upload-image.test.ts).
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import { executeTool, type KlaviyoSender } from "../../../src/engine/call/execute.js";
import type { ToolDefinition } from "../../../src/engine/definition.js";
import type { KlaviyoRequest, KlaviyoResponse } from "../../../src/klaviyo/client.js";
import { allTools } from "../../../tools/index.js";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const tool = (name: string) => allTools.find((t) => t.name === name) as ToolDefinition;

function fakeClient(answer: (req: KlaviyoRequest) => KlaviyoResponse) {
  const sent: KlaviyoRequest[] = [];
  const client: KlaviyoSender = {
    request: async (req) => {
      sent.push(req);
      return answer(req);
    },
  };
  return { client, sent };
}

const run = (name: string, args: unknown, client: KlaviyoSender, allowFilePaths = true) =>
  executeTool(tool(name), args, { client, logger: pino({ level: "silent" }), allowFilePaths });
const text = (result: { content: Array<{ text: string }> }) => result.content[0]?.text ?? "";

describe("upload_image_from_file", () => {
  const created = () => ({ status: 201, headers: {}, body: { data: { type: "image", id: "I1" } } });

  it("sends base64 content (also as a data URL) as a multipart file", async () => {
    const { client, sent } = fakeClient(created);
    const b64 = `data:image/png;base64,${PNG.toString("base64")}`;
    const result = await run(
      "upload_image_from_file",
      { file_base64: b64, name: "logo", hidden: true },
      client,
    );
    expect(result.isError).toBeFalsy();
    const body = sent[0]?.body;
    expect(body?.kind).toBe("multipart");
    const form = (body as { form: FormData }).form;
    const file = form.get("file") as File;
    expect(file.type).toBe("image/png");
    expect(file.name).toBe("upload.png");
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    expect(form.get("name")).toBe("logo");
    expect(form.get("hidden")).toBe("true");
  });

  it("refuses local paths when the transport does not allow them", async () => {
    const { client, sent } = fakeClient(created);
    const result = await run(
      "upload_image_from_file",
      { file_path: "/etc/hostname" },
      client,
      false,
    );
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/file_base64/);
    expect(sent).toHaveLength(0);
  });
});

describe("remove_profile_from_list", () => {
  it("looks emails up in batches of 100 and removes the matches", async () => {
    const emails = Array.from({ length: 150 }, (_, i) => `p${i}@example.com`);
    const { client, sent } = fakeClient((req) => {
      if (req.method === "GET") {
        const found = (
          req.query.find(([k]) => k === "filter")?.[1].match(/p\d+@example\.com/g) ?? []
        )
          .filter((e) => !e.startsWith("p149@"))
          .map((email) => ({
            type: "profile",
            id: `ID-${email}`,
            attributes: { email: email.toUpperCase() },
          }));
        return { status: 200, headers: {}, body: { data: found } };
      }
      return { status: 204, headers: {}, body: undefined };
    });
    const result = await run("remove_profile_from_list", { list_id: "L1", emails }, client);
    expect(result.isError).toBeFalsy();
    const lookups = sent.filter((r) => r.method === "GET");
    expect(lookups).toHaveLength(2);
    expect(lookups[0]?.query).toContainEqual(["page[size]", "100"]);
    const del = sent.at(-1);
    expect(del?.method).toBe("DELETE");
    expect(del?.path).toBe("/api/lists/L1/relationships/profiles");
    expect((del?.body as { value: { data: unknown[] } } | undefined)?.value.data).toHaveLength(149);
    expect(JSON.parse(text(result)).not_found_emails).toEqual(["p149@example.com"]);
  });

  it("reports an error and sends no delete when no email matches", async () => {
    const { client, sent } = fakeClient(() => ({ status: 200, headers: {}, body: { data: [] } }));
    const result = await run(
      "remove_profile_from_list",
      { list_id: "L1", emails: ["x@example.com"] },
      client,
    );
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("x@example.com");
    expect(sent.every((r) => r.method === "GET")).toBe(true);
  });

  it("rejects a call with neither ids nor emails", async () => {
    const { client, sent } = fakeClient(() => ({ status: 204, headers: {}, body: undefined }));
    const result = await run("remove_profile_from_list", { list_id: "L1" }, client);
    expect(result.isError).toBe(true);
    expect(sent).toHaveLength(0);
  });
});
