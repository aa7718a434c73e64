/** Demo data for the emulator; the builders live in ./seed/. */
export { type DemoSummary, type SeedOptions, seedDemoData } from "./seed/index.js";
