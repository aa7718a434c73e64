/**
 * The tools/list entries of every stable tool, made at build time. Run from source there are
 * none here and the listing is computed at start; the bundle (scripts/bundle.mjs) replaces this
 * module with the entries it computed from the same code, so that a start-up computes nothing.
 */
import type { CompactTool } from "../engine/surface/registry.js";

export const PREBUILT_LISTING: readonly CompactTool[] | undefined = undefined;
