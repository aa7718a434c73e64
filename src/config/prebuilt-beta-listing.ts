/**
 * The tools/list entries of the beta tools, listed with every tool under --beta, made at build
 * time; see prebuilt-listing.ts. A stable tool's entry reads the same with --beta, so it is not
 * repeated here. Imported with the beta tools only.
 */
import type { CompactTool } from "../engine/surface/registry.js";

export const PREBUILT_BETA_LISTING: readonly CompactTool[] | undefined = undefined;
