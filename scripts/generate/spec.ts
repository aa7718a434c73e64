/** Loading Klaviyo's OpenAPI spec and the seed map, and resolving `$ref`s. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  description?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  example?: unknown;
};

export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  description?: string;
  required?: boolean;
  schema: Schema;
  explode?: boolean;
}

export interface Operation {
  operationId: string;
  tags?: string[];
  summary: string;
  description: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
  "x-klaviyo-ratelimit"?: Record<string, string>;
  "x-klaviyo-scopes"?: string[];
  "x-klaviyo-filters"?: Record<
    string,
    { operators: Record<string, string[]>; value?: { type?: string; format?: string } }
  >;
}

export interface SeedEndpoint {
  seed_name: string;
  seed_description: string;
  tool_name: string;
  operation_id: string;
  method: string;
  path: string;
  scopes: string[];
  rate_limit: Record<string, string>;
  tag: string;
}

export interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** In spec/ (see its README). */
export const SPEC_FILE = "openapi-stable-2026-07-15.json";
export const BETA_SPEC_FILE = "openapi-beta-2026-07-15.pre.json";
export const ENDPOINTS_FILE = "endpoints.json";

export function loadInputs(specDir: string): { spec: Spec; beta: Spec; seed: SeedEndpoint[] } {
  const read = (file: string) => JSON.parse(readFileSync(resolve(specDir, file), "utf8"));
  const spec = read(SPEC_FILE) as Spec;
  const beta = read(BETA_SPEC_FILE) as Spec;
  const map = read(ENDPOINTS_FILE) as { endpoints: SeedEndpoint[] };
  return { spec, beta, seed: map.endpoints };
}

/** Follows `$ref` chains; keeps the outer `nullable`/`description` when the ref adds none. */
export function deref(spec: Spec, schema: Schema | undefined): Schema {
  let current: Schema = schema ?? {};
  const outer = current;
  for (let hops = 0; current.$ref && hops < 20; hops++) {
    const name = current.$ref.split("/").pop() ?? "";
    const target = spec.components.schemas[name];
    if (!target) throw new Error(`Unresolvable $ref ${current.$ref}`);
    current = target;
  }
  if (outer !== current && (outer.nullable || outer.description)) {
    return {
      ...current,
      nullable: current.nullable || outer.nullable,
      description: outer.description ?? current.description,
    };
  }
  return current;
}
