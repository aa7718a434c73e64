/** Failures as the model sees them: actionable, with their outcome, untrusted texts marked, no secret. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorResult, validationErrorResult } from "../../../src/engine/call/error-result.js";
import { UNTRUSTED_NOTE } from "../../../src/engine/call/untrusted.js";
import {
  createApiError,
  KlaviyoConfigError,
  type KlaviyoErrorObject,
  KlaviyoNetworkError,
  KlaviyoTimeoutError,
  type RequestOutcome,
} from "../../../src/klaviyo/errors.js";
import { redactSecrets } from "../../../src/klaviyo/redact.js";

const P1 = "01GDDKASAP8TKDDA2GRZDSVP4H";

/** Duck-types the errors of src/klaviyo/errors.ts without importing them. */
function apiError(name: string, status: number, errors: unknown[], extra: object = {}): Error {
  const { message, ...rest } = extra as { message?: string; retryAfterSeconds?: number };
  const error = createApiError({
    status,
    operationId: "op",
    message: message ?? `Klaviyo returned HTTP ${status} for op: ...`,
    errors: errors as KlaviyoErrorObject[],
    ...rest,
  });
  // The class the client would throw for this status: the name says which.
  expect(error.name).toBe(name);
  return error;
}

function errorJson(error: unknown, toolName = "create_profile", markUntrusted?: boolean): unknown {
  const result = errorResult(error, { toolName, markUntrusted });
  expect(result.isError).toBe(true);
  expect(result.content).toHaveLength(1);
  return JSON.parse(result.content[0]?.text ?? "");
}

const FIX_HINT = "Fix the arguments named in errors and call again.";

describe("errorResult", () => {
  it("keeps code, detail and pointer of a 400 and names the argument", () => {
    const error = apiError("KlaviyoBadRequestError", 400, [
      {
        id: "7f0d2b54-7b8e-4b6d-9a5d-0b0e6c1f2a3b",
        status: 400,
        code: "invalid",
        title: "Invalid input.",
        detail: "Invalid email address",
        source: { pointer: "/data/attributes/email" },
        links: {},
        meta: {},
      },
    ]);
    const errors = [
      {
        code: "invalid",
        title: "Invalid input.",
        detail: "Invalid email address",
        source: { pointer: "/data/attributes/email" },
        argument: "email",
      },
    ];
    expect(errorJson(error, "create_profile", false)).toStrictEqual({
      error: "create_profile failed: Klaviyo returned HTTP 400: Invalid email address",
      status: 400,
      errors,
      hint: FIX_HINT,
    });
    // Marked (the default): Klaviyo's texts may quote the values sent, so they are named as
    // untrusted and appear once, in errors[].
    expect(errorJson(error)).toStrictEqual({
      untrusted: { note: UNTRUSTED_NOTE, "errors[]": ["title", "detail"] },
      error: "create_profile failed: Klaviyo returned HTTP 400: 1 error, see errors",
      status: 400,
      errors,
      hint: FIX_HINT,
    });
  });

  it("maps query parameters to argument names and drops a title equal to the detail", () => {
    const size = { parameter: "page[size]" };
    const error = apiError("KlaviyoBadRequestError", 400, [
      { code: "invalid", title: "Bad size", detail: "Bad size", source: size },
      { code: "invalid", detail: "Bad filter", source: { parameter: "filter" } },
    ]);
    expect(errorJson(error, "get_profiles", false)).toStrictEqual({
      error: "get_profiles failed: Klaviyo returned HTTP 400: Bad size (and 1 more)",
      status: 400,
      errors: [
        { code: "invalid", detail: "Bad size", source: size, argument: "page_size" },
        {
          code: "invalid",
          detail: "Bad filter",
          source: { parameter: "filter" },
          argument: "filter",
        },
      ],
      hint: FIX_HINT,
    });
  });

  it.each([
    [{ pointer: "/data/id" }, "id"],
    [{ pointer: "/data/attributes/location/address1" }, "location.address1"],
    [{ pointer: "/data/attributes/items/data/0/attributes/title" }, "items"],
    [{ pointer: "/data/relationships/list/data/id" }, "list_id"],
    [{ pointer: "/data/relationships/tag-group/data/id" }, "tag_group_id"],
    [{ pointer: "/data/relationships/categories/data/0/id" }, "category_ids"],
    [{ parameter: "fields[profile]" }, "fields"],
    [{ parameter: "page[cursor]" }, "page_cursor"],
    [{ parameter: "additional-fields[profile]" }, "additional_fields"],
  ])("maps source %o to argument %s", (source, argument) => {
    const error = apiError("KlaviyoBadRequestError", 400, [{ detail: "x", source }]);
    expect(errorJson(error)).toMatchObject({ errors: [{ source, argument }] });
  });

  it("points a 409 duplicate profile at update_profile", () => {
    const detail = "A profile already exists with one of these identifiers.";
    const duplicate = {
      id: "b9a0c1d2",
      status: 409,
      code: "duplicate_profile",
      title: "Conflict.",
      detail,
      source: { pointer: "/data/attributes" },
      meta: { duplicate_profile_id: P1 },
    };
    const conflict = apiError("KlaviyoConflictError", 409, [duplicate]);
    expect(errorJson(conflict, "create_profile", false)).toStrictEqual({
      error: `create_profile failed: Klaviyo returned HTTP 409: ${detail}`,
      status: 409,
      errors: [
        {
          code: "duplicate_profile",
          title: "Conflict.",
          detail,
          source: { pointer: "/data/attributes" },
          meta: { duplicate_profile_id: P1 },
        },
      ],
      hint: `A profile already exists: duplicate_profile_id=${P1}, use update_profile with that id.`,
    });
  });

  it("handles an HTML 403 with no JSON errors", () => {
    const error = apiError("KlaviyoPermissionError", 403, [], {
      message: "Klaviyo returned HTTP 403 with a non-JSON body (text/html): Attention Required!",
      rawBodySnippet: "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title>",
      requestId: "req-123",
    });
    expect(errorJson(error, "get_lists")).toStrictEqual({
      error:
        "get_lists failed: Klaviyo returned HTTP 403 with a non-JSON body (text/html): Attention Required!",
      status: 403,
      hint: "The API key lacks the scope this tool needs (or the account lacks the feature). Use a private API key with that scope in KLAVIYO_API_KEY, or over HTTP in X-Klaviyo-API-Key.",
      request_id: "req-123",
    });
  });

  it("gives retry advice for 429 and 5xx", () => {
    const throttled = {
      code: "throttled",
      detail: "Request was throttled. Expected available in 7 seconds.",
    };
    const limited = apiError("KlaviyoRateLimitError", 429, [throttled], { retryAfterSeconds: 7 });
    expect(errorJson(limited, "get_profiles")).toMatchObject({
      status: 429,
      hint: "Rate limited by Klaviyo; retry after 7 seconds.",
    });
    const daily = apiError("KlaviyoRateLimitError", 429, [throttled], { retryAfterSeconds: 7200 });
    const resetsAt = Date.parse(
      (errorJson(daily, "get_profiles") as { resets_at: string }).resets_at,
    );
    expect(resetsAt - Date.now()).toBeGreaterThan(7_100_000);
    expect(resetsAt - Date.now()).toBeLessThan(7_300_000);
    const server = apiError("KlaviyoServerError", 503, [], { message: "Service Unavailable" });
    expect(errorJson(server)).toStrictEqual({
      error: "create_profile failed: Klaviyo returned HTTP 503: Service Unavailable",
      status: 503,
      hint: "Klaviyo had a server error; retrying later may succeed. A write may or may not have been applied: check before repeating it.",
    });
  });

  it("explains timeouts, network, config and unexpected errors in one line", () => {
    const timeout = new KlaviyoTimeoutError("getProfiles", 30_000);
    expect(errorJson(timeout, "get_profiles")).toStrictEqual({
      error:
        "get_profiles timed out waiting for Klaviyo: Klaviyo request getProfiles timed out after 30000 ms",
      hint: "Reads can simply be retried. A write may or may not have been applied: check before repeating it.",
    });
    const network = new KlaviyoNetworkError(
      "create_profile",
      "a.klaviyo.com",
      "ECONNRESET",
      "ECONNRESET",
    );
    expect(errorJson(network)).toMatchObject({
      error: "create_profile could not reach Klaviyo: ECONNRESET",
    });
    const config = new KlaviyoConfigError("KLAVIYO_API_KEY is not set");
    expect(errorJson(config)).toMatchObject({
      error:
        "create_profile could not run: klaviyo-mcp is misconfigured: KLAVIYO_API_KEY is not set",
    });
    expect(errorJson(new Error("boom"))).toStrictEqual({ error: "Unexpected error: boom" });
    expect(errorJson("weird")).toStrictEqual({ error: "Unexpected error: weird" });
  });

  it("never echoes anything that looks like an API key", () => {
    const key = "pk_0123456789abcdef0123456789abcdef01";
    const error = apiError("KlaviyoAuthenticationError", 401, [{ detail: `Invalid key ${key}` }]);
    const text = errorResult(error, { toolName: "get_profiles" }).content[0]?.text ?? "";
    expect(text).not.toContain("pk_");
    expect(JSON.parse(text)).toMatchObject({
      errors: [{ detail: "Invalid key [REDACTED]" }],
      hint: "The Klaviyo API key is missing or invalid. Check KLAVIYO_API_KEY, or over HTTP the key the client sends in X-Klaviyo-API-Key.",
    });
    const leaky = new Error(`sent Authorization: Klaviyo-API-Key ${key}, "Bearer abc.def"`);
    expect(errorJson(leaky)).toStrictEqual({
      error: 'Unexpected error: sent Authorization: Klaviyo-API-Key [REDACTED] "Bearer [REDACTED]',
    });
  });
});

describe("redactSecrets", () => {
  it("redacts private keys and authorization values, leaving other text alone", () => {
    expect(redactSecrets("key=pk_abc123 ok")).toBe("key=[REDACTED] ok");
    expect(redactSecrets("authorization: bearer eyJhbG.x.y")).toBe(
      "authorization: Bearer [REDACTED]",
    );
    expect(redactSecrets("Klaviyo-API-Key secret")).toBe("Klaviyo-API-Key [REDACTED]");
    expect(redactSecrets(`profile ${P1}`)).toBe(`profile ${P1}`);
  });
});

describe("validationErrorResult", () => {
  it("names each bad field", () => {
    const schema = z.strictObject({
      profiles: z.array(z.object({ email: z.email() })),
      page_size: z.number().max(100),
    });
    const parsed = schema.safeParse({ profiles: [{ email: "nope" }], page_size: 500, foo: 1 });
    const result = validationErrorResult("bulk_subscribe", parsed.error?.issues ?? []);
    expect(result.isError).toBe(true);
    const body = JSON.parse(result.content[0]?.text ?? "");
    expect(body.error).toBe("Invalid arguments for bulk_subscribe: nothing was sent to Klaviyo.");
    const names = body.issues.map((issue: { argument?: string }) => issue.argument);
    expect(names).toEqual(["profiles[0].email", "page_size", undefined]);
    expect(body.issues[2].message).toContain('"foo"');
  });

  it("formats odd keys and is reached from errorResult for a ZodError", () => {
    const result = validationErrorResult("create_event", [
      { path: ["properties", "$first name"], message: "Expected string", code: "invalid_type" },
    ]);
    expect(JSON.parse(result.content[0]?.text ?? "")).toStrictEqual({
      error: "Invalid arguments for create_event: nothing was sent to Klaviyo.",
      issues: [{ argument: 'properties["$first name"]', message: "Expected string" }],
    });
    const parsed = z.object({ list_id: z.string() }).safeParse({});
    expect(errorJson(parsed.error, "get_list")).toMatchObject({
      issues: [{ argument: "list_id" }],
    });
  });
});

describe("the outcome of a failed write", () => {
  const failed = (name: string, status: number, outcome: RequestOutcome) =>
    Object.assign(apiError(name, status, [], { message: "boom" }), { outcome, attempts: 2 });
  const json = (error: unknown, context: Parameters<typeof errorResult>[1]) =>
    JSON.parse(errorResult(error, context).content[0]?.text ?? "") as Record<string, unknown>;

  it("says an unknown outcome, and which tool to check with before repeating", () => {
    const out = json(failed("KlaviyoServerError", 500, "unknown"), {
      toolName: "create_list",
      write: true,
      checkWith: "get_lists",
    });
    expect(out).toMatchObject({ outcome: "unknown", attempts: 2 });
    expect(out.hint).toMatch(
      /outcome is unknown.*Do not repeat it blindly: first check with get_lists/,
    );
  });

  it("says repeating is safe for an idempotent write", () => {
    const out = json(failed("KlaviyoServerError", 502, "unknown"), {
      toolName: "update_list",
      write: true,
      idempotent: true,
    });
    expect(out.hint).toMatch(/repeating it is safe/);
  });

  it("says nothing changed when the write was refused, keeping the advice", () => {
    const out = json(
      Object.assign(apiError("KlaviyoRateLimitError", 429, [], { retryAfterSeconds: 3 }), {
        outcome: "not_applied",
      }),
      { toolName: "create_list", write: true },
    );
    expect(out.hint).toBe(
      "Nothing was changed in Klaviyo. Rate limited by Klaviyo; retry after 3 seconds.",
    );
  });

  it("says an unreadable answer to a write was applied", () => {
    const out = json(failed("KlaviyoApiError", 201, "applied"), {
      toolName: "create_list",
      write: true,
      checkWith: "get_lists",
    });
    expect(out.hint).toMatch(/applied this change.*do not repeat it/);
  });

  it("leaves reads alone", () => {
    const out = json(failed("KlaviyoServerError", 500, "unknown"), { toolName: "get_lists" });
    expect(out.outcome).toBeUndefined();
  });
});
