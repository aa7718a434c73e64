/** Klaviyo's JSON:API error documents, as the emulator sends them. */
import { randomUUID } from "node:crypto";

export type ErrorSource = { pointer: string } | { parameter: string };

export interface ErrorObject {
  id: string;
  status: number;
  code: string;
  title: string;
  detail: string;
  source?: ErrorSource;
  links?: Record<string, string>;
  meta?: Record<string, unknown>;
}

const TITLES: Record<number, [code: string, title: string]> = {
  400: ["invalid", "Invalid input."],
  401: ["not_authenticated", "Authentication credentials were not provided."],
  403: ["permission_denied", "You do not have permission to perform this action."],
  404: ["not_found", "Not found."],
  405: ["method_not_allowed", "Method not allowed."],
  406: ["not_acceptable", "Could not satisfy the request Accept header."],
  409: ["conflict", "Conflict."],
  413: ["request_too_large", "Request entity too large."],
  415: ["unsupported_media_type", "Unsupported media type."],
  429: ["throttled", "Request was throttled."],
  500: ["error", "A server error occurred."],
};

/** Thrown anywhere in a handler; the server turns it into Klaviyo's `errors[]` body. */
export class ApiError extends Error {
  readonly code: string;
  readonly title: string;
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly source?: ErrorSource,
    options: { code?: string; title?: string; meta?: Record<string, unknown> } = {},
  ) {
    super(detail);
    const [code, title] = TITLES[status] ?? ["error", "Error."];
    this.code = options.code ?? code;
    this.title = options.title ?? title;
    this.meta = options.meta;
  }
  readonly meta?: Record<string, unknown>;

  toObject(): ErrorObject {
    return {
      id: randomUUID(),
      status: this.status,
      code: this.code,
      title: this.title,
      detail: this.detail,
      ...(this.source ? { source: this.source } : {}),
      links: {},
      meta: this.meta ?? {},
    };
  }
}

export const invalidParameter = (parameter: string, detail: string) =>
  new ApiError(400, detail, { parameter });

export const invalidPointer = (pointer: string, detail: string) =>
  new ApiError(400, detail, { pointer });

export const notFound = (type: string, id: string) =>
  new ApiError(404, `A ${type} with id ${id} does not exist.`);
