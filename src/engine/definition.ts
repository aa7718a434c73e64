/**
 * The shape of a tool definition, and of the hand-written policy of a tool. The definitions in
 * tools/<group>.ts are data of this shape, generated from Klaviyo's OpenAPI spec and the policy
 * in tools/policy.ts; the engine in src/ interprets them. Nothing here does I/O.
 */
import type { z } from "zod";
import type { SpecialHandler } from "./call/context.js";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** A rate limit as Klaviyo states it: "75/s", "750/m", "100/d". */
export interface RateLimit {
  burst?: string;
  steady?: string;
  daily?: string;
  /** Tighter limits for requests that use a query parameter value (documented in prose only). */
  conditions?: RateLimitCondition[];
}

/**
 * e.g. get_profile with `include=list`: 1/s and 15/m. Such a request counts against both the
 * condition's bucket and the operation's own.
 */
export interface RateLimitCondition {
  /** Wire name of the query parameter: "include", "additional-fields[profile]". */
  parameter: string;
  /** The value that triggers it, as one item of the parameter's comma list: "list". */
  value: string;
  burst?: string;
  steady?: string;
}

/**
 * A nested JSON:API resource inside a request body (for example `attributes.profile.data` of
 * create_event, or `attributes.items.data[]` of a bulk job). The model passes a plain object
 * (or a plain id when the resource carries no attributes); the engine wraps it back.
 */
export interface NestedResource {
  type: string;
  many: boolean;
  /** The resource is only `{type, id}`: the model passes ids, not objects. */
  idOnly?: boolean;
  /** The object's `meta` key goes to the resource's `meta`, not its attributes. */
  meta?: boolean;
  /** Relationships of the nested resource, by argument name (`category_ids`). */
  relationships?: Record<string, RelationshipMapping>;
}

export interface RelationshipMapping {
  /** The relationship's wire name (`categories`, `tag-group`). */
  name: string;
  /** The JSON:API type of the related resource. */
  type: string;
  many: boolean;
}

/** Where one tool argument goes in the HTTP request. */
export type ArgMapping =
  /** A `{name}` segment of the path. */
  | { in: "path"; name: string }
  /** A query parameter; arrays are comma-joined (explode: false). */
  | { in: "query"; name: string }
  /** `fields: {campaign_message: [...]}` becomes `fields[campaign-message]=...`; keys -> types. */
  | { in: "fields"; types: Record<string, string> }
  /** `additional_fields: [...]` becomes `additional-fields[<type>]=...`. */
  | { in: "additional_fields"; type: string }
  /** `data.id` of the request document (when no path parameter supplies it). */
  | { in: "body_id" }
  /** `data.attributes[name]`, optionally a nested resource that the engine wraps. */
  | { in: "attribute"; name: string; nested?: NestedResource }
  /** `data.meta` of the request document (e.g. `patch_properties` on profile upserts). */
  | { in: "meta" }
  /** The public key of the /client/ endpoints; defaults to KLAVIYO_PUBLIC_KEY. */
  | { in: "company_id" }
  /** `data.relationships[name].data`, from an id or a list of ids. */
  | ({ in: "relationship" } & RelationshipMapping)
  /**
   * Relationship endpoints: the document is `data: [{type, id}, ...]`, from a list of ids, or
   * (`withMeta`) from a list of `{id, meta}` whose meta goes on each item.
   */
  | { in: "identifiers"; type: string; withMeta?: true }
  /** A multipart form field (image upload). */
  | { in: "form"; name: string };

/** How the request body is built. */
export type BodyKind =
  | { kind: "none" }
  /** `{data: {type, id?, attributes, relationships}}`; `idArg` names the argument giving `data.id`. */
  | { kind: "resource"; type: string; idArg?: string }
  /** `{data: [{type, id}, ...]}` */
  | { kind: "identifiers"; type: string }
  | { kind: "multipart" };

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * Cursor paging of an endpoint. List endpoints (GET collections) page with `page[cursor]`;
 * reports with `page_cursor` (one document per page, never auto-paginated).
 */
export interface Paging {
  /** Wire name of the cursor parameter. */
  cursor: "page[cursor]" | "page_cursor";
  /**
   * `page[size]` bounds. `default` is what the engine sends when the call gives no page_size:
   * the spec's default, at most 20 for profile and event collections. Absent when the endpoint
   * takes no page[size].
   */
  size?: { default: number; min: number; max: number };
  /** Items per page when Klaviyo fixes the page size (no page[size]; stated in prose). */
  fixed?: number;
  /** `max_items` is accepted: the engine follows the cursor across pages. */
  collect?: boolean;
}

/**
 * One field of a tool's `filter` argument: Klaviyo's `x-klaviyo-filters` rule for it, with the
 * values it can take where the spec enumerates them (in the rule, in the resource's schema, or
 * only in prose: see scripts/generate/filter-values.ts).
 */
export interface FilterField {
  /** Operators by the value they take: a scalar, a list (`any(id,["a","b"])`), or none (`has`). */
  operators: { single?: readonly string[]; list?: readonly string[]; none?: readonly string[] };
  /** The value's kind: "string" (quoted), "date-time" (unquoted ISO 8601), "number", "boolean". */
  type?: string;
  /** Every value the field can take, when that set is finite (statuses, channels, types). */
  values?: readonly string[];
}

export interface ToolDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  /** Resource group (toolset): "profiles", "catalogs", ... */
  group: string;
  operation: { id: string; method: HttpMethod; path: string };
  /** `private`: Authorization header; `public`: the `company_id` query parameter only. */
  auth: "private" | "public";
  scopes: readonly string[];
  rateLimit: RateLimit;
  annotations: ToolAnnotations;
  input: z.ZodObject<Shape>;
  /**
   * The input as JSON Schema, as tools/list shows it (generated from the zod schema, so that a
   * listing builds none); without it, the registry converts `input`.
   */
  inputJsonSchema?: Readonly<Record<string, unknown>>;
  args: Record<string, ArgMapping>;
  body: BodyKind;
  /** Cursor paging, on list endpoints and reports. */
  paging?: Paging;
  /**
   * An operation of Klaviyo's beta spec: listed only with `--beta`, and sent with the beta
   * `revision` header instead of the server's.
   */
  beta?: {
    revision: string;
    /** The stable operation on the same method and path, whose rate limits it shares. */
    stableTwin?: string;
  };
  /**
   * Imports the toolset's input schemas (`input`, `inputJsonSchema`), which start-up leaves out:
   * await it before reading either. Absent where they are always there.
   */
  loadSchemas?: () => Promise<void>;
  /** The fields `filter` accepts, by field name (dotted paths as Klaviyo names them). */
  filters?: Readonly<Record<string, FilterField>>;
  /**
   * A hand-written handler (src/engine/call/special/) that replaces the generic request: it gets
   * the validated arguments and may send any requests. Wired from the tool's policy.
   */
  handler?: SpecialHandler;
}

/**
 * What is decided by hand about one tool, keyed by its name in tools/policy.ts. The generator
 * reads it to write the definition (description, annotations, argument names, the handler's
 * wiring); the engine reads it for the core toolset and the tool to check a write with.
 * Everything else comes from the spec.
 */
export interface ToolPolicy {
  /** What the model reads: what the tool does, its arguments in words, which tool to use instead. */
  description: string;
  /**
   * Hints the HTTP method cannot tell, overriding the rule (GET reads; DELETE and PATCH are
   * destructive; all but POST are idempotent, as are relationship POSTs): a POST that only reads
   * (reports), a POST that sends, deletes or overwrites, a POST that is an upsert.
   */
  annotations?: Partial<
    Pick<ToolAnnotations, "readOnlyHint" | "destructiveHint" | "idempotentHint">
  >;
  /** A member of the `core` toolset (KLAVIYO_TOOLSETS=core). */
  core?: true;
  /**
   * The read tool that shows whether a write whose answer was lost took effect, when it is not
   * the GET of the same collection or resource (which the engine finds by itself).
   */
  checkWith?: string;
  /** A hand-written handler in place of the generic request (see ToolDefinition.handler). */
  handler?: SpecialHandler;
  /**
   * What tools/list says at an argument path (`profiles[].subscriptions`, `group_by`) where the
   * schema alone cannot show it: a rule, or a worked example of a deep structure. Read by the
   * listing (src/engine/surface/compact-schema.ts); describe_tool shows the full schema.
   */
  hints?: Readonly<Record<string, string>>;
  /**
   * Argument names chosen by hand where the generic rule would mislead, keyed by where the value
   * goes: `data.id` (the body's id) or `data.relationships.<name>`.
   */
  argNames?: Readonly<Record<string, string>>;
  /**
   * Arguments the handler takes in place of the generated ones (same name) or beyond them, as the
   * zod source the generator writes into schemas/: `emails: "z.array(z.email()).optional()"`.
   */
  input?: Readonly<Record<string, string>>;
}

/**
 * A generated definition (tools/<group>.ts) with type checking. Its `input` and
 * `inputJsonSchema` are given as thunks and made on first use: start-up builds no zod schema
 * and parses no JSON Schema, a call builds its tool's once.
 */
export function defineTool<Shape extends z.ZodRawShape>(
  definition: Omit<ToolDefinition<Shape>, "input" | "inputJsonSchema"> & {
    input: () => z.ZodObject<Shape>;
    inputJsonSchema: () => Readonly<Record<string, unknown>>;
  },
): ToolDefinition<Shape> {
  const { input, inputJsonSchema, ...rest } = definition;
  return Object.defineProperties(rest, {
    input: memoizedGetter(input),
    inputJsonSchema: memoizedGetter(inputJsonSchema),
  }) as ToolDefinition<Shape>;
}

/** What schemas/<group>.ts exports: a zod thunk per tool, and jsonSchema(name). */
interface SchemaModule {
  jsonSchema(name: string): () => Record<string, unknown>;
}

/**
 * A toolset's input schemas, imported on demand: the generated definitions read them through
 * these thunks, once `load` has resolved (the server awaits it before a call, describe_tool or
 * a listing it did not get from the build).
 */
export function lazySchemas<Module extends SchemaModule>(
  toolset: string,
  importSchemas: () => Promise<Module>,
) {
  let module: Module | undefined;
  let loading: Promise<void> | undefined;
  const loaded = (): Module => {
    if (module) return module;
    throw new Error(
      `The input schemas of toolset ${toolset} are not loaded: await the tool's loadSchemas() first.`,
    );
  };
  return {
    load: (): Promise<void> => {
      loading ??= importSchemas().then(
        (imported) => {
          module = imported;
        },
        (error: unknown) => {
          loading = undefined; // a later call may try again
          throw error;
        },
      );
      return loading;
    },
    zod: <Name extends keyof Module>(name: Name): Module[Name] =>
      (() => (loaded()[name] as () => unknown)()) as Module[Name],
    json: (name: string) => () => loaded().jsonSchema(name)(),
  };
}

/** Loads the input schemas of these tools' toolsets (each toolset once). */
export async function loadSchemas(tools: Iterable<ToolDefinition>): Promise<void> {
  const loaders = new Set<() => Promise<void>>();
  for (const tool of tools) if (tool.loadSchemas) loaders.add(tool.loadSchemas);
  await Promise.all([...loaders].map((load) => load()));
}

function memoizedGetter<T>(make: () => T): PropertyDescriptor {
  let value: T | undefined;
  return {
    get: () => {
      value ??= make();
      return value;
    },
    enumerable: true,
  };
}
