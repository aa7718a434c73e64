/**
 * The Klaviyo emulator's public entry: everything outside emulator/ (the server's sandbox mode,
 * the CLI, tests, benchmarks, scripts) reaches it through this module only
 * (test/architecture.test.ts checks it). See emulator/README.md.
 */

/** `klaviyo-mcp emulator`: the emulator on its own, from the command line. */
export { EmulatorUsageError, runEmulatorCommand } from "./command.js";
export { type Emulator, type EmulatorOptions, startEmulator } from "./emulator.js";
export type { FaultOptions } from "./faults.js";
/** Klaviyo's OAuth for apps, emulated (the `oauth` option). */
export type { OAuthClientConfig, OAuthOptions, OAuthUrls } from "./oauth/protocol.js";
/** The generated operation table: every operation served, and each resource type's fields. */
export type { EmulatedOperation, ResourceTypeInfo } from "./operation-types.js";
/** The beta revision's table (served to requests with a `YYYY-MM-DD.pre` revision). */
export {
  OPERATIONS as BETA_OPERATIONS,
  RESOURCE_TYPES as BETA_RESOURCE_TYPES,
} from "./operations/beta/index.js";
export { OPERATIONS, RESOURCE_TYPES } from "./operations/index.js";
/** The deterministic random numbers the emulator's demo data and faults use. */
export { createRng } from "./random.js";
export type { DemoSummary } from "./seed.js";
export type { Store } from "./store.js";
