/**
 * The seed map (spec/endpoints.json): the Klaviyo endpoints the project exposes, one tool each,
 * written from Klaviyo's spec rather than by the generator. Tests take their counts, names and
 * operations from here, so a tool added to or dropped from the seed map changes no assertion.
 */
import seedMap from "../../spec/endpoints.json" with { type: "json" };

export type Endpoint = (typeof seedMap.endpoints)[number];

export const SPEC_REVISION: string = seedMap.spec_revision;
export const ENDPOINTS: readonly Endpoint[] = seedMap.endpoints;
/** One tool per endpoint: how many tools a server with every toolset lists. */
export const ENDPOINT_COUNT = ENDPOINTS.length;
/** The count the seed map states about itself (checked against its list). */
export const STATED_ENDPOINT_COUNT: number = seedMap.count;

const byToolName = new Map(ENDPOINTS.map((endpoint) => [endpoint.tool_name, endpoint]));

/** The endpoint a tool calls; throws naming the tool when the seed map lacks it. */
export function endpointOf(toolName: string): Endpoint {
  const endpoint = byToolName.get(toolName);
  if (!endpoint) throw new Error(`${toolName} is not in spec/endpoints.json`);
  return endpoint;
}
