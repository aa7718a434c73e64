/**
 * Campaign send jobs. Sending moves a Draft campaign to "Sending" at once and to "Sent" when
 * the job completes; the job's id is the campaign's. A send in flight can be cancelled (the
 * campaign becomes "Cancelled") or reverted (back to "Draft").
 */
import { ApiError, invalidPointer, notFound } from "../../api-error.js";
import { isObject, resourceData } from "../../body.js";
import type { Handler } from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import { readQuery } from "../../listing.js";
import { stamp } from "../generic.js";
import { checkAttributes, jobResponse } from "./common.js";

const JOB = "campaign-send-job";

/** `send_campaign`: POST /api/campaign-send-jobs with the campaign's id. */
const sendCampaign: Handler = (request, state) => {
  readQuery(request, state);
  const data = resourceData(request);
  checkAttributes(data.attributes, {}, "/data/attributes", JOB);
  const id = data.id;
  if (!id) throw invalidPointer("/data/id", "'id' is required: the id of the campaign to send.");
  const { store } = state;
  const campaign = store.get("campaign", id);
  if (!campaign) {
    throw new ApiError(404, `A campaign with id ${id} does not exist.`, { pointer: "/data/id" });
  }
  const status = campaign.attributes.status;
  if (status !== "Draft") {
    throw new ApiError(
      400,
      `Campaign ${id} cannot be sent: its status is '${String(status)}'. Only a Draft campaign can be sent.`,
      { pointer: "/data/id" },
    );
  }
  const audiences = campaign.attributes.audiences;
  if (isObject(audiences) && Array.isArray(audiences.included) && audiences.included.length === 0) {
    throw new ApiError(400, `Campaign ${id} has no audience to send to.`, { pointer: "/data/id" });
  }
  campaign.attributes.status = "Sending";
  stamp("campaign", campaign.attributes, false, store.now());
  const job = state.jobs.enqueue(
    JOB,
    {},
    () => {
      const sent = store.get("campaign", id);
      if (sent?.attributes.status === "Sending") {
        sent.attributes.status = "Sent";
        sent.attributes.send_time = isoTime(store.now());
        stamp("campaign", sent.attributes, false, store.now());
      }
      return undefined;
    },
    id,
  );
  return jobResponse(request, state, job);
};

/** `cancel_campaign_send`: PATCH /api/campaign-send-jobs/{id} with action cancel or revert. */
const cancelCampaignSend: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const id = request.params.id ?? "";
  const job = store.get(JOB, id);
  if (!job) throw notFound(JOB, id);
  const data = resourceData(request);
  if (data.id === undefined) {
    throw invalidPointer("/data/id", "'id' is required and must match the id in the path.");
  }
  if (data.id !== id) {
    throw invalidPointer("/data/id", `'id' (${data.id}) must match the id in the path (${id}).`);
  }
  checkAttributes(
    data.attributes,
    { action: { kind: { enum: ["cancel", "revert"] }, required: true } },
    "/data/attributes",
    JOB,
  );
  const status = job.attributes.status;
  if (status === "complete") {
    throw new ApiError(400, `Campaign ${id} has already been sent; its send can't be changed.`, {
      pointer: "/data/attributes/action",
    });
  }
  if (status === "cancelled") {
    throw new ApiError(400, `The send of campaign ${id} was already cancelled.`, {
      pointer: "/data/attributes/action",
    });
  }
  state.jobs.cancel(JOB, id);
  job.attributes.status = "cancelled";
  const campaign = store.get("campaign", id);
  if (campaign) {
    campaign.attributes.status = data.attributes.action === "cancel" ? "Cancelled" : "Draft";
    stamp("campaign", campaign.attributes, false, store.now());
  }
  return { status: 204 };
};

export const campaignJobHandlers: Record<string, Handler> = {
  send_campaign: sendCampaign,
  cancel_campaign_send: cancelCampaignSend,
};
