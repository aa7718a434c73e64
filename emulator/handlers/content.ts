/** Templates (render, clone), image upload from a file, and the report endpoints. */
import { ApiError, invalidPointer } from "../api-error.js";
import { isObject, resourceData } from "../body.js";
import type { EmulatorRequest, EmulatorState, Handler } from "../handler-types.js";
import { readQuery, selfLink } from "../listing.js";
import { document, resourceObject } from "../render.js";
import {
  campaignValuesReport,
  flowSeriesReport,
  flowValuesReport,
  metricAggregates,
  ReportError,
} from "../reports.js";
import type { Store } from "../store.js";
import { stamp } from "./generic.js";

/**
 * Substitutes `{{ name }}`, `{{ a.b }}` and `{{ x|default:'y' }}` from the context, and drops
 * other Django tags, which is how Klaviyo's renderer treats a context-only preview.
 */
export function renderTemplateText(text: string, context: Record<string, unknown>): string {
  return text
    .replace(/\{%[^%]*%\}/g, "")
    .replace(
      /\{\{\s*([\w.$]+)\s*(?:\|\s*default\s*:\s*(?:'([^']*)'|"([^"]*)"))?\s*\}\}/g,
      (_, path: string, single?: string, double?: string) => {
        let value: unknown = context;
        for (const part of path.split(".")) value = isObject(value) ? value[part] : undefined;
        if (value === undefined || value === null || value === "") return single ?? double ?? "";
        return typeof value === "object" ? JSON.stringify(value) : String(value);
      },
    );
}

function template(request: EmulatorRequest, state: EmulatorState) {
  const data = resourceData(request);
  if (!data.id) throw invalidPointer("/data/id", "The template id is required.");
  const found = state.store.get("template", data.id);
  if (!found)
    throw new ApiError(404, `A template with id ${data.id} does not exist.`, {
      pointer: "/data/id",
    });
  return { data, found };
}

const renderTemplate: Handler = (request, state) => {
  readQuery(request, state);
  const { data, found } = template(request, state);
  const context = data.attributes.context;
  if (!isObject(context))
    throw invalidPointer(
      "/data/attributes/context",
      "'context' is required: an object of template variables.",
    );
  const render = (value: unknown) =>
    typeof value === "string" ? renderTemplateText(value, context) : value;
  const rendered = {
    ...found,
    attributes: {
      ...found.attributes,
      html: render(found.attributes.html) ?? "",
      text: render(found.attributes.text),
      amp: render(found.attributes.amp),
    },
  };
  return {
    status: request.op.status,
    body: {
      data: resourceObject(state.store, rendered, { baseUrl: state.baseUrl }),
      links: { self: selfLink(state.baseUrl, request) },
    },
  };
};

const cloneTemplate: Handler = (request, state) => {
  const options = readQuery(request, state);
  const { data, found } = template(request, state);
  const name =
    typeof data.attributes.name === "string" && data.attributes.name.trim()
      ? data.attributes.name
      : `${String(found.attributes.name)} (Clone)`;
  const { created: _c, updated: _u, ...rest } = found.attributes;
  const clone = state.store.insert(
    "template",
    stamp("template", { ...structuredClone(rest), name }, true, state.store.now()),
  );
  return {
    status: request.op.status,
    body: document(state.store, clone, options, { self: selfLink(state.baseUrl, request) }),
  };
};

const IMAGE_TYPES: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

const uploadImage: Handler = async (request, state) => {
  const options = readQuery(request, state);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(request.rawBody), {
      headers: { "content-type": request.contentType },
    }).formData();
  } catch {
    throw invalidPointer("/", "The multipart body could not be read.");
  }
  const file = form.get("file");
  if (!file || typeof file === "string")
    throw new ApiError(400, "'file' is required: the image file.", { parameter: "file" });
  const format =
    IMAGE_TYPES[file.type] ??
    /\.(png|jpe?g|gif|webp)$/i.exec(file.name)?.[1]?.toLowerCase().replace("jpg", "jpeg");
  if (!format)
    throw new ApiError(400, `Unsupported image type '${file.type}'. Use PNG, JPEG, GIF or WebP.`, {
      parameter: "file",
    });
  if (file.size > 5 * 1024 * 1024) throw new ApiError(413, "Images may be at most 5 MB.");
  const name = String(form.get("name") ?? file.name ?? "image");
  const image = state.store.insert("image", {
    name,
    format,
    size: file.size,
    hidden: form.get("hidden") === "true",
  });
  state.store.update("image", image.id, {
    image_url: `https://cdn.emulator.klaviyo-mcp.local/images/${image.id}.${format}`,
    updated_at: stamp("image", {}, false, state.store.now()).updated_at,
  });
  return {
    status: request.op.status,
    body: document(state.store, image, options, { self: selfLink(state.baseUrl, request) }),
  };
};

export type Report = (store: Store, attributes: Record<string, unknown>) => Record<string, unknown>;

export function report(compute: Report): Handler {
  return (request, state) => {
    readQuery(request, state);
    const { attributes } = resourceData(request);
    let result: Record<string, unknown>;
    try {
      result = compute(state.store, attributes);
    } catch (error) {
      if (error instanceof ReportError) throw invalidPointer(error.pointer, error.detail);
      throw error;
    }
    const id = state.store.newId(request.op.requestType ?? "report");
    const self = selfLink(state.baseUrl, request);
    return {
      status: request.op.status,
      body: {
        data: { type: request.op.response?.type, id, attributes: result, links: { self } },
        links: { self },
      },
    };
  };
}

export const contentHandlers: Record<string, Handler> = {
  render_template: renderTemplate,
  clone_template: cloneTemplate,
  upload_image_from_file: uploadImage,
  query_campaign_values: report(campaignValuesReport),
  query_flow_values: report(flowValuesReport),
  query_flow_series: report(flowSeriesReport),
  query_metric_aggregates: report(metricAggregates),
};
