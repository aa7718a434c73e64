/**
 * The shape of the request schemas that scripts/generate/request-schemas.ts compiles from
 * Klaviyo's OpenAPI specs into schemas/requests/ (one module per toolset), and that
 * request-check.ts validates every request against before it is sent. Types only: the generated
 * modules import them without importing the engine.
 */

/**
 * One schema of the subset Klaviyo's request schemas use. Child schemas are indices into the
 * table's `nodes`, so a schema shared by many operations (or recursive) is stored once.
 */
export interface SchemaNode {
  type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
  enum?: ReadonlyArray<string | number | boolean | null>;
  nullable?: true;
  /** Only the formats that are checked. */
  format?: "date-time" | "date" | "time" | "uri";
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: number;
  minItems?: number;
  maxItems?: number;
  /** An object with properties accepts no other key unless `additionalProperties` is given. */
  properties?: Readonly<Record<string, number>>;
  required?: readonly string[];
  /** Any key (`true`) or keys whose values match a node; only with `properties`. */
  additionalProperties?: true | number;
  maxProperties?: number;
  /** The value matches one of these (the spec's oneOf or anyOf). */
  oneOf?: readonly number[];
  /** The property whose one-value enum tells the oneOf branches apart (`type`). */
  discriminator?: string;
  /** The value matches all of these (allOf parts that are not plain objects). */
  allOf?: readonly number[];
}

export interface ParameterSchema {
  node: number;
  required?: true;
}

/** What one operation accepts: path and query parameters, and its JSON body. */
export interface OperationSchema {
  /** The path template, `{id}` and all. */
  path: string;
  pathParameters?: Readonly<Record<string, number>>;
  query?: Readonly<Record<string, ParameterSchema>>;
  body?: BodySchema;
}

/** A JSON:API body (its node), or a multipart form, whose fields its handler checks. */
export interface BodySchema {
  node?: number;
  multipart?: true;
  required?: true;
}

/** One generated module: the operations of a toolset and the schemas they share. */
export interface RequestTable {
  nodes: readonly SchemaNode[];
  operations: Readonly<Record<string, OperationSchema>>;
}
