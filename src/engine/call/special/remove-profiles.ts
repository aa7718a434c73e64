/**
 * remove_profile_from_list takes profile ids, emails, or both. Emails are resolved to ids with
 * get_profiles (100 per lookup) before the one DELETE, and the result says which were not found.
 * The lookups are get_profiles calls as its definition says (operation, rate limit, paging), and
 * every request reports progress while it waits for a rate-limit slot.
 */
import { get_profiles } from "../../../../tools/profiles.js";
import type { ExecutionContext, SpecialHandler } from "../context.js";
import { ArgumentError, buildRequest } from "../request.js";
import type { ToolResult } from "../result.js";

const LOOKUP_BATCH = 100;

export const removeProfilesFromList: SpecialHandler = async (tool, args, ctx) => {
  const ids = new Set((args.profile_ids as string[] | undefined) ?? []);
  const emails = (args.emails as string[] | undefined) ?? [];
  if (ids.size === 0 && emails.length === 0) {
    throw new ArgumentError("profile_ids", "Give profile_ids, emails, or both: nothing to remove.");
  }
  const notFound: string[] = [];
  for (let start = 0; start < emails.length; start += LOOKUP_BATCH) {
    const batch = emails.slice(start, start + LOOKUP_BATCH);
    const found = await lookupEmails(batch, ctx);
    for (const email of batch) {
      const id = found.get(email.toLowerCase());
      if (id) ids.add(id);
      else notFound.push(email);
    }
  }
  if (ids.size === 0) {
    return {
      isError: true,
      content: [
        {
          type: "text",
          text: JSON.stringify({
            error: "No profile matches the given emails; nothing was removed.",
            not_found: notFound,
          }),
        },
      ],
    };
  }
  if (ids.size > 1000)
    throw new ArgumentError(
      "profile_ids",
      `At most 1000 profiles per call; got ${ids.size}. Split the call.`,
    );
  const request = buildRequest(tool, { ...args, profile_ids: [...ids], emails: undefined });
  await ctx.client.request(request, { signal: ctx.signal, onWait: ctx.onWait });
  const summary: Record<string, unknown> = { status: "success", removed_profile_ids: [...ids] };
  if (notFound.length > 0) summary.not_found_emails = notFound;
  return { content: [{ type: "text", text: JSON.stringify(summary) }] } satisfies ToolResult;
};

async function lookupEmails(emails: string[], ctx: ExecutionContext): Promise<Map<string, string>> {
  const quoted = emails.map((e) => JSON.stringify(e)).join(",");
  const lookup = buildRequest(get_profiles, {
    filter: `any(email,[${quoted}])`,
    fields: { profile: ["email"] },
    page_size: LOOKUP_BATCH,
  });
  const response = await ctx.client.request(lookup, { signal: ctx.signal, onWait: ctx.onWait });
  const found = new Map<string, string>();
  const data =
    (response.body as { data?: Array<{ id: string; attributes?: { email?: string } }> })?.data ??
    [];
  for (const profile of data) {
    if (profile.attributes?.email) found.set(profile.attributes.email.toLowerCase(), profile.id);
  }
  return found;
}
