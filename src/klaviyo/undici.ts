/**
 * The parts of undici the client uses, imported with its first request: the Agent with its
 * request API, and undici's FormData. undici's index also loads fetch, WebSocket, the mock
 * agents, caches and interceptors, which would cost a stdio process ~8 MB it never uses; this
 * assembles the Agent the way the index does (the request API on Dispatcher's prototype) from
 * the same modules, and a server that lists tools and is never called loads none of it.
 */
import type * as Undici from "undici";

export interface UndiciParts {
  Agent: typeof Undici.Agent;
  /**
   * A request body undici accepts: it takes only its own FormData, so Node's global one (Node's
   * bundled undici) is copied; any other body is returned as it is.
   */
  undiciBody<Body>(body: Body | FormData): Body | Undici.FormData;
}

let parts: Promise<UndiciParts> | undefined;

export function loadUndici(): Promise<UndiciParts> {
  parts ??= Promise.all([
    import("undici/lib/dispatcher/agent.js"),
    import("undici/lib/dispatcher/dispatcher.js"),
    import("undici/lib/api/index.js"),
    import("undici/lib/web/fetch/formdata.js"),
  ]).then(([agent, dispatcher, api, formData]) => {
    Object.assign(dispatcher.default.prototype, api.default);
    const UndiciFormData = formData.default.FormData;
    return {
      Agent: agent.default,
      undiciBody: (form) => {
        if (!(form instanceof FormData) || form instanceof UndiciFormData) return form;
        const out = new UndiciFormData();
        for (const [name, value] of form.entries()) {
          if (typeof value === "string") out.append(name, value);
          else out.append(name, value, value.name);
        }
        return out;
      },
    };
  });
  // A failed import is tried again by the next request.
  parts.catch(() => {
    parts = undefined;
  });
  return parts;
}
