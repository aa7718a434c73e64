/**
 * The Klaviyo emulator's public entry: everything outside emulator/ (the server's sandbox mode,
 * the CLI, tests, benchmarks, scripts) reaches it through this module only.
 */
export { OPERATIONS } from "./catalog/index.js";
export type { EmulatedOperation } from "./catalog-types.js";
export { EmulatorUsageError, runEmulatorCommand } from "./command.js";
export { type Emulator, type EmulatorOptions, startEmulator } from "./emulator.js";
export type { FaultOptions } from "./faults.js";
/** The deterministic random numbers the emulator's demo data and faults use. */
export { createRng } from "./random.js";
export type { DemoSummary } from "./seed.js";
export type { Store } from "./store.js";
