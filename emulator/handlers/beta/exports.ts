/**
 * The beta's asynchronous jobs: profile and event exports (`processing`, then `complete` with
 * a download that expires a week later) and template preview sends. They move along the
 * emulator's job clock like the bulk jobs (jobs.ts).
 */
import { ApiError, invalidPointer } from "../../api-error.js";
import { relationshipIds } from "../../body.js";
import type { EmulatorState, Handler } from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import { readQuery, selfLink } from "../../listing.js";
import type { StoredResource } from "../../store.js";
import { answer, checkedData, existing, requiredLink } from "./crud.js";

const WEEK = 7 * 86_400_000;

/** A queued export: `processing` until the job clock completes it. */
function enqueueExport(
  state: EmulatorState,
  type: string,
  attributes: Record<string, unknown>,
  count: () => number,
): StoredResource {
  const job = state.jobs.enqueue(
    type,
    { status: "processing", result: null, error: null, ...attributes },
    () => ({ result: { expires_at: isoTime(state.store.now() + WEEK) }, row_count: count() }),
  );
  return job;
}

const exportProfiles: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes, relationships } = checkedData(request);
  const list = relationshipIds(relationships, "list", "list");
  const segment = relationshipIds(relationships, "segment", "segment");
  if (Boolean(list?.length) === Boolean(segment?.length)) {
    throw invalidPointer(
      "/data/relationships",
      "Give exactly one group to export: a 'list' or a 'segment' relationship.",
    );
  }
  const [groupType, groupId] = list?.length ? ["list", list[0]] : ["segment", segment?.[0]];
  const group = existing(state, groupType as string, groupId as string);
  const job = enqueueExport(
    state,
    "profile-bulk-export-job",
    { properties: attributes.properties ?? null },
    () => state.store.related(group.type, group.id, "profiles").length,
  );
  state.store.link("profile-bulk-export-job", job.id, group.type, [group.id]);
  return answer(request, state, job);
};

const exportEvents: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes, relationships } = checkedData(request);
  const metric = requiredLink(state, relationships, "metric", "metric");
  const start = Date.parse(String(attributes.start_date));
  const end = Date.parse(String(attributes.end_date));
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    throw invalidPointer(
      "/data/attributes/end_date",
      "'start_date' and 'end_date' must be ISO 8601 date-times, the end after the start.",
    );
  }
  const job = enqueueExport(
    state,
    "event-bulk-export-job",
    { start_date: attributes.start_date, end_date: attributes.end_date },
    () =>
      state.store.all("event").filter((event) => {
        if (state.store.relatedOne("event", event.id, "metric") !== metric.id) return false;
        const at = Date.parse(String(event.attributes.datetime));
        return at >= start && at < end;
      }).length,
  );
  state.store.link("event-bulk-export-job", job.id, "metric", [metric.id]);
  return answer(request, state, job);
};

/** The export's file, once the job is complete (until then, no data). */
function download(type: string): Handler {
  return (request, state) => {
    readQuery(request, state);
    const job = existing(state, type, request.params.id ?? "");
    const links = { self: selfLink(state.baseUrl, request) };
    if (job.attributes.status !== "complete") return { status: 200, body: { data: null, links } };
    const file = `${state.baseUrl}/downloads/${type}s/${encodeURIComponent(job.id)}.csv.gz`;
    return { status: 200, body: { data: { type: "download", links: { self: file } }, links } };
  };
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** A test send of a template: queued, then complete; nothing is delivered. */
const previewSend: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes, relationships } = checkedData(request);
  requiredLink(state, relationships, "template", "template");
  const profile = relationshipIds(relationships, "profile", "profile")?.[0];
  if (profile) existing(state, "profile", profile);
  const recipients = attributes.recipients;
  if (!Array.isArray(recipients) || recipients.length === 0 || recipients.length > 10) {
    throw invalidPointer("/data/attributes/recipients", "Give 1 to 10 recipient email addresses.");
  }
  recipients.forEach((recipient, index) => {
    if (typeof recipient !== "string" || !EMAIL.test(recipient)) {
      throw new ApiError(400, `'${String(recipient)}' is not a valid email address.`, {
        pointer: `/data/attributes/recipients/${index}`,
      });
    }
  });
  const job = state.jobs.enqueue("template-preview-send-job", { recipients }, () => ({}));
  return answer(request, state, job);
};

export const betaExportHandlers: Record<string, Handler> = {
  create_profile_bulk_export_job_beta: exportProfiles,
  create_event_bulk_export_job_beta: exportEvents,
  get_download_for_profile_bulk_export_job_beta: download("profile-bulk-export-job"),
  get_download_for_event_bulk_export_job_beta: download("event-bulk-export-job"),
  create_template_preview_send_job_beta: previewSend,
};
