/**
 * How the builder applies a tool's hand-written policy (tools/policy.ts) to what the spec says,
 * on real operations of the vendored spec: each exception changes the plan only where it says.
 */
import { describe, expect, it } from "vitest";
import { buildTool } from "../../../scripts/generate/build-tool.js";
import { catalogEndpoints } from "../../../scripts/generate/catalog.js";
import { loadInputs } from "../../../scripts/generate/spec.js";
import { specDir } from "../../../scripts/generate.js";
import { removeProfilesFromList } from "../../../src/engine/call/special/remove-profiles.js";
import type { ToolPolicy } from "../../../src/engine/definition.js";

const { spec, seed: seedMap } = loadInputs(specDir);
const endpoints = catalogEndpoints(spec, seedMap);
const build = (name: string, policy?: ToolPolicy) => {
  const seed = endpoints.find((endpoint) => endpoint.tool_name === name);
  if (!seed) throw new Error(`no seed endpoint ${name}`);
  return buildTool(spec, seed, policy);
};
const described = (description: string, extra: Omit<ToolPolicy, "description"> = {}) => ({
  description,
  ...extra,
});

describe("buildTool with a policy", () => {
  it("takes the description from the policy, else a shortened spec description", () => {
    expect(build("get_lists", described("Hand-written.")).description).toBe("Hand-written.");
    const fromSpec = build("get_lists").description;
    expect(fromSpec).not.toBe("Hand-written.");
    expect(fromSpec.length).toBeGreaterThan(0);
    expect(fromSpec.length).toBeLessThanOrEqual(280);
  });

  it("derives annotations from the method, and overrides only what the policy names", () => {
    expect(build("create_campaign_send_job").annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    const sends = build(
      "create_campaign_send_job",
      described("Send.", { annotations: { destructiveHint: true } }),
    );
    expect(sends.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    });
    const report = build(
      "query_metric_aggregates",
      described("Report.", { annotations: { readOnlyHint: true } }),
    );
    expect(report.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(build("delete_list").annotations).toMatchObject({
      destructiveHint: true,
      idempotentHint: true,
    });
  });

  it("refuses a tool that would be both read-only and destructive", () => {
    const both = described("x", { annotations: { readOnlyHint: true, destructiveHint: true } });
    expect(() => build("create_list", both)).toThrow(/both read-only and destructive/);
  });

  it("names the body id and relationship arguments as the policy says", () => {
    // A write takes no sparse fields: they only trim the echo of what was sent.
    expect(Object.keys(build("merge_profiles").args)).toEqual(["profile_merge_id", "profile_ids"]);
    const named = build(
      "merge_profiles",
      described("Merge.", {
        argNames: {
          "data.id": "destination_profile_id",
          "data.relationships.profiles": "source_profile_ids",
        },
      }),
    );
    expect(named.args).toEqual({
      destination_profile_id: { in: "body_id" },
      source_profile_ids: { in: "relationship", name: "profiles", type: "profile", many: true },
    });
    expect(named.body).toEqual({
      kind: "resource",
      type: "profile-merge",
      idArg: "destination_profile_id",
    });
  });

  it("gives a relationship's body id its own argument beside the path id, named by the policy", () => {
    // A PATCH's body id is the path's, except on a relationship path, where it names the other end.
    expect(build("update_campaign").body).toMatchObject({ idArg: "campaign_id" });
    expect(build("update_image_for_campaign_message").body).toMatchObject({
      idArg: "related_image_id",
    });
    const named = build(
      "update_image_for_campaign_message",
      described("Set.", { argNames: { "data.id": "image_id" } }),
    );
    expect(named.args).toEqual({
      campaign_message_id: { in: "path", name: "id" },
      image_id: { in: "body_id" },
    });
    expect(named.body).toEqual({ kind: "resource", type: "image", idArg: "image_id" });
  });

  it("refuses an argNames entry that names no argument", () => {
    const typo = described("x", { argNames: { "data.relationships.profile": "source_ids" } });
    expect(() => build("merge_profiles", typo)).toThrow(/argNames\["data.relationships.profile"\]/);
  });

  it("marks a handler, and puts the handler's input in place of or after the generated one", () => {
    const generic = build("remove_profile_from_list");
    expect(generic.handler).toBeUndefined();
    expect(generic.fields.map((field) => field.split(":")[0])).toEqual(["list_id", "profile_ids"]);
    const handled = build(
      "remove_profile_from_list",
      described("Remove.", {
        handler: removeProfilesFromList,
        input: { profile_ids: "z.array(z.string()).optional()", emails: "z.array(z.email())" },
      }),
    );
    expect(handled.handler).toBe(true);
    expect(handled.fields).toEqual([
      generic.fields[0],
      "profile_ids: z.array(z.string()).optional()",
      "emails: z.array(z.email())",
    ]);
    // The request mapping of a replaced argument stays the generated one.
    expect(handled.args).toEqual(generic.args);
  });
});
