/**
 * A profile's conversations (one per messaging channel). "The" conversation of a profile, as
 * the older endpoints name it, is its SMS one (else its first). The collections are the generic
 * handler's, through the `profile.conversations` link.
 */
import { notFound } from "../api-error.js";
import type { Handler } from "../handler-types.js";
import { readQuery, selfLink } from "../listing.js";
import { document, linkageDocument } from "../render.js";

function conversationOfProfile(linkage: boolean): Handler {
  return (request, state) => {
    const { store } = state;
    const options = readQuery(request, state);
    const profile = store.get("profile", request.params.id ?? "");
    if (!profile) throw notFound("profile", request.params.id ?? "");
    const conversations = store
      .related("profile", profile.id, "conversations")
      .map((id) => store.get("conversation", id))
      .filter((c) => c !== undefined);
    const one = conversations.find((c) => c.attributes.channel === "sms") ?? conversations[0];
    const links = { self: selfLink(state.baseUrl, request) };
    if (linkage) return { status: 200, body: linkageDocument(one ?? null, links) };
    return {
      status: 200,
      body: one ? document(store, one, options, links) : { data: null, links },
    };
  };
}

export const conversationHandlers: Record<string, Handler> = {
  get_conversation_for_profile: conversationOfProfile(false),
  get_conversation_id_for_profile: conversationOfProfile(true),
};
