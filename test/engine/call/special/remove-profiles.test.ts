/**
 * remove_profile_from_list, the hand-written tool that also takes emails: run through
 * executeTool with a recording sender, so what it sends to Klaviyo is checked request by request.
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import { executeTool, type KlaviyoSender } from "../../../../src/engine/call/execute.js";
import type { KlaviyoRequest } from "../../../../src/klaviyo/client.js";
import { remove_profile_from_list } from "../../../../tools/lists.js";
import { get_profiles } from "../../../../tools/profiles.js";
import { recordingSender, runTool } from "../../../support/recording-sender.js";

describe("remove_profile_from_list", () => {
  it("looks emails up in batches of 100 and removes the matches", async () => {
    const emails = Array.from({ length: 150 }, (_, i) => `p${i}@example.com`);
    const { client, sent } = recordingSender((req) => {
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
    const result = await runTool("remove_profile_from_list", { list_id: "L1", emails }, client);
    expect(result.isError).toBeFalsy();
    const lookups = sent.filter((r) => r.method === "GET");
    expect(lookups).toHaveLength(2);
    expect(lookups[0]?.query).toContainEqual(["page[size]", "100"]);
    const del = sent.at(-1);
    expect(del?.method).toBe("DELETE");
    expect(del?.path).toBe("/api/lists/L1/relationships/profiles");
    expect((del?.body as { value: { data: unknown[] } } | undefined)?.value.data).toHaveLength(149);
    expect(JSON.parse(result.text).not_found_emails).toEqual(["p149@example.com"]);
  });

  it("reports an error and sends no delete when no email matches", async () => {
    const { client, sent } = recordingSender(() => ({
      status: 200,
      headers: {},
      body: { data: [] },
    }));
    const result = await runTool(
      "remove_profile_from_list",
      { list_id: "L1", emails: ["x@example.com"] },
      client,
    );
    expect(result.isError).toBe(true);
    expect(result.text).toContain("x@example.com");
    expect(sent.every((r) => r.method === "GET")).toBe(true);
  });

  it("rejects a call with neither ids nor emails", async () => {
    const { client, sent } = recordingSender(() => ({ status: 204, headers: {}, body: undefined }));
    const result = await runTool("remove_profile_from_list", { list_id: "L1" }, client);
    expect(result.isError).toBe(true);
    expect(sent).toHaveLength(0);
  });

  it("looks up as get_profiles' definition says, and reports progress while queued", async () => {
    const sent: KlaviyoRequest[] = [];
    const client: KlaviyoSender = {
      request: async (request, options) => {
        sent.push(request);
        options?.onWait?.(1000 * sent.length); // as the throttle does while the call waits
        const profile = { type: "profile", id: "P1", attributes: { email: "a@example.com" } };
        return request.method === "GET"
          ? { status: 200, headers: {}, body: { data: [profile] } }
          : { status: 204, headers: {}, body: undefined };
      },
    };
    const waits: number[] = [];
    const result = await executeTool(
      remove_profile_from_list,
      { list_id: "L1", emails: ["a@example.com"] },
      {
        client,
        logger: pino({ level: "silent" }),
        allowFilePaths: false,
        onWait: (ms) => waits.push(ms),
      },
    );
    expect(result.isError).toBeFalsy();
    const [lookup, removal] = sent;
    expect(lookup).toMatchObject({
      operationId: get_profiles.operation.id,
      method: "GET",
      path: get_profiles.operation.path,
      auth: get_profiles.auth,
      query: [
        ["filter", 'any(email,["a@example.com"])'],
        ["page[size]", "100"],
        ["fields[profile]", "email"],
      ],
    });
    expect(lookup?.rateLimit).toEqual(get_profiles.rateLimit);
    expect(removal?.method).toBe("DELETE");
    expect(waits).toEqual([1000, 2000]);
  });
});
