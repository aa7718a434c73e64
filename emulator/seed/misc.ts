/** The account, sign-up forms, webhooks and finished bulk jobs. */
import { shortId } from "../random.js";
import type { AudienceSeed } from "./audiences.js";
import { DAY, HOUR, iso, MINUTE, type SeedContext } from "./context.js";
import type { CampaignModel, ProfileModel } from "./model.js";
import { STORE } from "./words.js";

export function seedAccount(ctx: SeedContext): string {
  const id = shortId(ctx.rng);
  ctx.insert(
    "account",
    {
      test_account: false,
      contact_information: {
        default_sender_name: STORE.name,
        default_sender_email: STORE.senderEmail,
        website_url: STORE.website,
        organization_name: STORE.name,
        street_address: {
          address1: "125 College Street",
          address2: "Suite 3",
          city: "Burlington",
          region: "VT",
          country: "US",
          zip: "05401",
        },
      },
      industry: "Retail / Outdoor & Sporting Goods",
      timezone: "America/New_York",
      preferred_currency: "USD",
      public_api_key: id,
      locale: "en-US",
    },
    id,
  );
  return id;
}

const FORMS = [
  {
    name: "Welcome Popup: 10% Off",
    type: "popup",
    status: "live",
    location: null,
    versions: [
      ["Original", "draft"],
      ["Spring Refresh", "live"],
    ],
  },
  {
    name: "Footer Newsletter Signup",
    type: "embed",
    status: "live",
    location: null,
    versions: [["Default", "live"]],
  },
  {
    name: "Back in Stock Flyout",
    type: "flyout",
    status: "draft",
    location: "bottom_right",
    versions: [["Draft", "draft"]],
  },
] as const;

export interface FormSeed {
  formIds: string[];
  formVersionIds: string[];
}

export function seedForms(ctx: SeedContext): FormSeed {
  const formIds: string[] = [];
  const formVersionIds: string[] = [];
  for (const form of FORMS) {
    const created = ctx.now - ctx.int(120, 300) * DAY;
    const updated = ctx.now - ctx.int(2, 60) * DAY;
    const formId = ctx.insert("form", {
      name: form.name,
      status: form.status,
      ab_test: false,
      definition: {
        versions: form.versions.map(([name, status]) => ({
          name,
          type: form.type,
          status,
          ab_test: false,
          channel: "WEB",
          location: form.location,
          steps: [
            { name: "Sign up", columns: [{ rows: [] }] },
            { name: "Success", columns: [{ rows: [] }] },
          ],
        })),
      },
      created_at: iso(created),
      updated_at: iso(updated),
    });
    formIds.push(formId);
    const versionIds = form.versions.map(([name, status], i) =>
      ctx.insert("form-version", {
        form_type: form.type,
        variation_name: name,
        status,
        created_at: iso(created + i * 30 * DAY),
        updated_at: iso(i === form.versions.length - 1 ? updated : created + i * 30 * DAY + HOUR),
      }),
    );
    ctx.link("form", formId, "form-versions", versionIds);
    formVersionIds.push(...versionIds);
  }
  return { formIds, formVersionIds };
}

/** Klaviyo's system webhook topics (they have ids and no attributes). */
export const WEBHOOK_TOPICS = [
  "event:klaviyo.received_email",
  "event:klaviyo.opened_email",
  "event:klaviyo.clicked_email",
  "event:klaviyo.bounced_email",
  "event:klaviyo.dropped_email",
  "event:klaviyo.marked_email_as_spam",
  "event:klaviyo.sent_sms",
  "event:klaviyo.received_sms",
  "event:klaviyo.clicked_sms",
  "event:klaviyo.failed_to_deliver_sms",
  "event:klaviyo.received_push",
  "event:klaviyo.opened_push",
  "event:klaviyo.bounced_push",
  "event:klaviyo.subscribed_to_email_marketing",
  "event:klaviyo.unsubscribed_from_email_marketing",
  "event:klaviyo.subscribed_to_sms_marketing",
  "event:klaviyo.unsubscribed_from_sms_marketing",
  "event:klaviyo.ready_to_review",
  "event:klaviyo.submitted_review",
];

export interface WebhookSeed {
  webhookIds: string[];
  webhookTopicIds: string[];
}

export function seedWebhooks(ctx: SeedContext): WebhookSeed {
  for (const topic of WEBHOOK_TOPICS) ctx.insert("webhook-topic", {}, topic);
  const hooks = [
    {
      name: "Warehouse: email engagement",
      description: "Streams email engagement events to the data warehouse.",
      endpoint_url: "https://hooks.example.com/klaviyo/email-events",
      enabled: true,
      topics: WEBHOOK_TOPICS.filter((t) => t.endsWith("_email")),
    },
    {
      name: "SMS delivery monitor",
      description: null,
      endpoint_url: "https://hooks.example.com/klaviyo/sms-delivery",
      enabled: false,
      topics: WEBHOOK_TOPICS.filter((t) => t.endsWith("_sms")),
    },
  ];
  const webhookIds = hooks.map(({ topics, ...attributes }) => {
    const created = ctx.now - ctx.int(30, 150) * DAY;
    const id = ctx.insert("webhook", {
      ...attributes,
      created_at: iso(created),
      updated_at: iso(created + ctx.int(0, 20) * DAY),
    });
    ctx.link("webhook", id, "webhook-topics", topics);
    return id;
  });
  return { webhookIds, webhookTopicIds: [...WEBHOOK_TOPICS] };
}

export interface JobSeed {
  /** One finished job id per bulk job type (campaign jobs: the first one). */
  jobIds: Record<string, string>;
  importErrorIds: string[];
}

export function seedJobs(
  ctx: SeedContext,
  profiles: ProfileModel[],
  audiences: AudienceSeed,
  campaigns: CampaignModel[],
  estimate: (campaign: CampaignModel) => number,
): JobSeed {
  const jobIds: Record<string, string> = {};
  const stamps = (minutes: number) => {
    const created = ctx.now - ctx.int(1, 5) * DAY - ctx.int(0, 23) * HOUR;
    const completed = created + minutes * MINUTE;
    return {
      created_at: iso(created),
      completed_at: iso(completed),
      expires_at: iso(completed + 7 * DAY),
    };
  };

  // Profile import: some profiles in, one row rejected.
  const imported = profiles.filter((p) => p.signupSource === "Import").slice(0, 24);
  const errorId = ctx.insert("import-error", {
    code: "invalid",
    title: "Invalid input.",
    detail: "Invalid email address: 'sam.rivera@@example.com'.",
    source: { pointer: `/data/attributes/profiles/data/${imported.length}/attributes/email` },
    original_payload: { email: "sam.rivera@@example.com", first_name: "Sam", last_name: "Rivera" },
  });
  const importStamps = stamps(3);
  const importJob = ctx.insert("profile-bulk-import-job", {
    status: "complete",
    created_at: importStamps.created_at,
    total_count: imported.length + 1,
    completed_count: imported.length,
    failed_count: 1,
    completed_at: importStamps.completed_at,
    expires_at: importStamps.expires_at,
    started_at: importStamps.created_at,
  });
  ctx.link("profile-bulk-import-job", importJob, "lists", [audiences.lists.newsletter]);
  ctx.link(
    "profile-bulk-import-job",
    importJob,
    "profiles",
    imported.map((p) => p.id),
  );
  ctx.link("profile-bulk-import-job", importJob, "import-errors", [errorId]);
  jobIds["profile-bulk-import-job"] = importJob;

  const catalogJobs: Array<[string, number, number]> = [
    ["catalog-item-bulk-create-job", 6, 0],
    ["catalog-item-bulk-update-job", 12, 1],
    ["catalog-item-bulk-delete-job", 2, 0],
    ["catalog-variant-bulk-create-job", 9, 0],
    ["catalog-variant-bulk-update-job", 20, 0],
    ["catalog-variant-bulk-delete-job", 3, 0],
    ["catalog-category-bulk-create-job", 2, 0],
    ["catalog-category-bulk-update-job", 4, 0],
    ["catalog-category-bulk-delete-job", 1, 0],
    ["coupon-code-bulk-create-job", 10, 0],
  ];
  for (const [type, total, failed] of catalogJobs) {
    const errors = Array.from({ length: failed }, (_, i) => ({
      id: ctx.uuid(),
      code: "not_found",
      title: "Not found",
      detail: "A catalog item with id '$custom:::$default:::JP-0999' does not exist.",
      source: { pointer: `/data/attributes/items/data/${total - 1 - i}/id` },
    }));
    jobIds[type] = ctx.insert(type, {
      status: "complete",
      ...stamps(1),
      total_count: total,
      completed_count: total - failed,
      failed_count: failed,
      errors,
    });
  }

  const suppressionJobs: Array<[string, number, number]> = [
    ["profile-suppression-bulk-create-job", 3, 0],
    ["profile-suppression-bulk-delete-job", 2, 1],
  ];
  for (const [type, total, skipped] of suppressionJobs) {
    const { created_at, completed_at } = stamps(1);
    jobIds[type] = ctx.insert(type, {
      status: "complete",
      created_at,
      total_count: total,
      completed_count: total - skipped,
      completed_at,
      skipped_count: skipped,
    });
  }

  // Campaign jobs share the campaign's id, as in Klaviyo.
  for (const campaign of campaigns) {
    if (campaign.status === "Sent") {
      ctx.insert("campaign-send-job", { status: "complete" }, campaign.id);
      jobIds["campaign-send-job"] ??= campaign.id;
    } else {
      ctx.insert(
        "campaign-recipient-estimation",
        { estimated_recipient_count: estimate(campaign) },
        campaign.id,
      );
      ctx.insert("campaign-recipient-estimation-job", { status: "complete" }, campaign.id);
      jobIds["campaign-recipient-estimation"] ??= campaign.id;
      jobIds["campaign-recipient-estimation-job"] ??= campaign.id;
    }
  }
  return { jobIds, importErrorIds: [errorId] };
}
