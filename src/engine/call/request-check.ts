/**
 * The last gate before Klaviyo: every request a call assembles (the generic one, each page of
 * max_items, those of hand-written handlers) is checked against its operation's schema from
 * Klaviyo's spec (path and query parameters, JSON:API body), and one that Klaviyo would refuse is
 * not sent: the call answers with a validation result naming the argument the model wrote.
 * The zod inputs stop at a depth and leave the largest unions open; this check does not.
 *
 * The schemas are compiled by `npm run generate` into schemas/requests/ (one module per
 * toolset), loaded on the first request of an operation of that toolset.
 */
import type { KlaviyoRequest } from "../../klaviyo/client.js";
import type { ToolDefinition } from "../definition.js";
import type { KlaviyoSender } from "./context.js";
import type { ValidationIssue } from "./error-result-validation.js";
import { argumentPath } from "./request-check-arguments.js";
import { ValueChecker, type WireIssue } from "./request-check-value.js";
import { noted } from "./request-check-words.js";
import type { OperationSchema, RequestTable } from "./request-schema.js";

/** A request refused before sending, with its issues named by argument. */
export class RequestCheckError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(issues[0]?.message ?? "invalid request");
    this.name = "RequestCheckError";
  }
}

type RequestIndex = typeof import("../../../schemas/requests/index.js");

interface LoadedModule {
  table: RequestTable;
  checker: ValueChecker;
}

let index: RequestIndex | undefined;
const modules = new Map<string, LoadedModule>();

/** The operation's schema and a checker for its module, loading the module the first time. */
export async function operationSchema(
  operationId: string,
): Promise<{ schema: OperationSchema; checker: ValueChecker } | undefined> {
  index ??= await import("../../../schemas/requests/index.js");
  const name = index.MODULE_OF_OPERATION[operationId];
  if (name === undefined) return undefined;
  let loaded = modules.get(name);
  if (!loaded) {
    const load = index.LOAD_MODULE[name];
    if (!load) throw new Error(`no request schema module ${name}`);
    const { table } = await load();
    loaded = { table, checker: new ValueChecker(table.nodes) };
    modules.set(name, loaded);
  }
  const schema = loaded.table.operations[operationId];
  return schema && { schema, checker: loaded.checker };
}

/** The request's mismatches with its operation's schema, by wire path (none: send it). */
export async function checkRequest(request: KlaviyoRequest): Promise<WireIssue[]> {
  const found = await operationSchema(request.operationId);
  if (!found) return [];
  const { schema, checker } = found;
  // The cheap pass first: only a request that fails is walked again to be explained.
  if (requestValid(schema, checker, request)) return [];
  return explainRequest(schema, checker, request);
}

function requestValid(schema: OperationSchema, checker: ValueChecker, request: KlaviyoRequest) {
  const values = pathValues(schema, request.path);
  if (values === undefined) return false;
  for (const name in schema.pathParameters) {
    if (!checker.valid(schema.pathParameters[name] as number, values[name])) return false;
  }
  const query = schema.query ?? {};
  for (const [name, raw] of request.query) {
    const param = query[name];
    if (!param || !checker.valid(param.node, queryValue(checker, param.node, raw))) return false;
  }
  for (const name in query) {
    if (query[name]?.required && !hasParameter(request, name)) return false;
  }
  if (bodyKindProblem(schema, request) !== undefined) return false;
  const node = schema.body?.node;
  return (
    request.body?.kind !== "json" || node === undefined || checker.valid(node, request.body.value)
  );
}

/** A body of the wrong kind, or missing: what is wrong, in words. */
function bodyKindProblem(schema: OperationSchema, request: KlaviyoRequest): string | undefined {
  const expected = schema.body;
  const body = request.body;
  if (!body) {
    if (!expected?.required) return undefined;
    return expected.multipart
      ? "This operation needs a file (a multipart form), which this tool does not send."
      : "This operation needs a body.";
  }
  if (!expected) return "This operation takes no body.";
  if (body.kind === "multipart")
    return expected.multipart ? undefined : "This operation takes JSON, not a form.";
  return expected.multipart ? "This operation takes a multipart form, not JSON." : undefined;
}

/** Issue paths start with where they are: `{id}` (path), `?include` (query) or `data` (body). */
function explainRequest(
  schema: OperationSchema,
  checker: ValueChecker,
  request: KlaviyoRequest,
): WireIssue[] {
  const issues: WireIssue[] = [];
  const values = pathValues(schema, request.path);
  if (!values) {
    issues.push({ path: [], message: `The path ${request.path} does not match ${schema.path}.` });
  }
  for (const [name, node] of Object.entries(values ? (schema.pathParameters ?? {}) : {})) {
    issues.push(...checker.explain(node, values?.[name], [`{${name}}`]));
  }
  const query = schema.query ?? {};
  for (const [name, raw] of request.query) {
    const param = query[name];
    if (!param) {
      const known = Object.keys(query).join(", ") || "none";
      issues.push({ path: [`?${name}`], message: `Not a parameter of this operation (${known}).` });
    } else {
      issues.push(
        ...checker.explain(param.node, queryValue(checker, param.node, raw), [`?${name}`]),
      );
    }
  }
  for (const [name, param] of Object.entries(query)) {
    if (param.required && !hasParameter(request, name)) {
      issues.push({ path: [`?${name}`], message: "Required, missing." });
    }
  }
  const kindProblem = bodyKindProblem(schema, request);
  const node = schema.body?.node;
  if (kindProblem) issues.push({ path: [], message: kindProblem });
  else if (request.body?.kind === "json" && node !== undefined) {
    issues.push(...checker.explain(node, request.body.value));
  }
  return issues;
}

function hasParameter(request: KlaviyoRequest, name: string): boolean {
  for (const [given] of request.query) if (given === name) return true;
  return false;
}

/** The path's parameter values, decoded; undefined when the path does not fit the template. */
function pathValues(schema: OperationSchema, path: string): Record<string, string> | undefined {
  const template = schema.path.split("/");
  const actual = path.split("/");
  if (template.length !== actual.length) return undefined;
  const values: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const part = template[i] ?? "";
    const given = actual[i] ?? "";
    if (part.startsWith("{") && part.endsWith("}")) {
      try {
        values[part.slice(1, -1)] = decodeURIComponent(given);
      } catch {
        return undefined;
      }
    } else if (part !== given) return undefined;
  }
  return values;
}

/** A query string as the value its schema describes: lists are comma-joined (explode: false). */
function queryValue(checker: ValueChecker, node: number, raw: string): unknown {
  const type = checker.typeOf(node);
  if (type === "array") {
    const items = checker.itemsOf(node);
    return raw
      .split(",")
      .map((item) => (items === undefined ? item : scalar(checker, items, item)));
  }
  return scalar(checker, node, raw);
}

function scalar(checker: ValueChecker, node: number, raw: string): unknown {
  const type = checker.typeOf(node);
  if (
    (type === "integer" || type === "number") &&
    raw.trim() !== "" &&
    !Number.isNaN(Number(raw))
  ) {
    return Number(raw);
  }
  if (type === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

/** Issues named by the argument the model wrote (what executeTool's validation result shows). */
export function argumentIssues(tool: ToolDefinition, request: KlaviyoRequest, issues: WireIssue[]) {
  return issues.map((issue): ValidationIssue => {
    const at =
      request.operationId === tool.operation.id ? argumentPath(tool, issue.path) : undefined;
    if (at !== undefined) return { ...issue, path: at };
    // No argument put the value there: the server built it wrong, and says where.
    const wire = wireText(issue.path);
    if (!wire) return { ...issue, path: [] };
    const note = `at ${wire} of the request to ${request.operationId}, which this server built: please report it`;
    return { ...noted(issue, note), path: [] };
  });
}

function wireText(path: readonly (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i > 0 ? `.${part}` : part))
    .join("");
}

/**
 * The client, with every request checked before it goes: a request that fails is not sent, and
 * the call fails with a RequestCheckError naming the tool's arguments.
 */
export function checkedSender(client: KlaviyoSender, tool: ToolDefinition): KlaviyoSender {
  return {
    async request(request, options) {
      const issues = await checkRequest(request);
      if (issues.length > 0) throw new RequestCheckError(argumentIssues(tool, request, issues));
      return client.request(request, options);
    },
  };
}
