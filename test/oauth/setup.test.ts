/**
 * The scope check /mcp applies to each tools/call of an OAuth session: a tool beyond the
 * session's scopes is named, write implying read, catalog mode's call_tool checked for the tool
 * it runs, batches too.
 */
import { describe, expect, it } from "vitest";
import { missingScopes } from "../../src/oauth/setup.js";
import { allTools } from "../../tools/index.js";

const byName = new Map(allTools.map((tool) => [tool.name, tool]));
const session = { clientId: "c", grantId: "g", accountId: "a", scopes: ["lists:write"] };
const call = (name: string, args: object = {}) => ({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name, arguments: args },
});

describe("missingScopes", () => {
  it("names what a call needs beyond the session's scopes (write implies read)", () => {
    expect(missingScopes(session, call("get_lists"), byName)).toEqual([]);
    expect(missingScopes(session, call("create_list", { name: "x" }), byName)).toEqual([]);
    expect(missingScopes(session, call("get_profiles"), byName)).toEqual(["profiles:read"]);
  });

  it("checks catalog mode's call_tool for the tool it runs, and every message of a batch", () => {
    expect(
      missingScopes(session, call("call_tool", { name: "get_profiles", arguments: {} }), byName),
    ).toEqual(["profiles:read"]);
    expect(
      missingScopes(session, [call("get_lists"), call("get_metrics"), call("get_flows")], byName),
    ).toEqual(["flows:read", "metrics:read"]);
  });

  it("leaves other methods and unknown tools to the server (it answers them itself)", () => {
    expect(missingScopes(session, { jsonrpc: "2.0", id: 1, method: "tools/list" }, byName)).toEqual(
      [],
    );
    expect(missingScopes(session, call("no_such_tool"), byName)).toEqual([]);
    expect(missingScopes(session, "not json-rpc", byName)).toEqual([]);
  });
});
