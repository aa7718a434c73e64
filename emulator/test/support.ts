/** Talking to an emulator from tests: a tiny Klaviyo-shaped fetch wrapper. */
import type { Emulator } from "../emulator.js";

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON:API documents
  body: any;
}

export function api(emulator: Emulator, key = emulator.apiKey) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: {
        Authorization: `Klaviyo-API-Key ${key}`,
        revision: "2026-07-15",
        Accept: "application/vnd.api+json",
        ...(body === undefined ? {} : { "Content-Type": "application/vnd.api+json" }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    // Klaviyo's edge answers some errors with HTML; keep those as text.
    const json = (response.headers.get("content-type") ?? "").includes("json");
    return {
      status: response.status,
      headers: response.headers,
      body: text && json ? JSON.parse(text) : text || undefined,
    };
  };
}
