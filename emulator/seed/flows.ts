/** Flows with their actions (encoded definitions), messages and templates. */
import { DAY, HOUR, iso, type SeedContext } from "./context.js";
import type { ImageSeed } from "./marketing.js";
import { insertTemplate, smsSegments } from "./marketing.js";
import type { FlowModel, MessageModel } from "./model.js";
import { STORE } from "./words.js";

type Step =
  | { kind: "delay"; value: number; unit: "days" | "hours" }
  | { kind: "email"; name: string; subject: string; preview: string; intro: string; theme: string }
  | { kind: "sms"; name: string; body: string }
  | { kind: "split-no-order-since-start" };

interface FlowSpec {
  key: FlowKey;
  name: string;
  status: "live" | "manual" | "draft";
  trigger: "Added to List" | "Metric" | "Price Drop";
  tags: string[];
  steps: Step[];
}

export type FlowKey =
  | "welcome"
  | "abandonedCart"
  | "browse"
  | "postPurchase"
  | "winback"
  | "priceDrop";

const FLOWS: FlowSpec[] = [
  {
    key: "welcome",
    name: "Welcome Series",
    status: "live",
    trigger: "Added to List",
    tags: ["Evergreen", "Email"],
    steps: [
      {
        kind: "email",
        name: "Welcome Email 1: 10% Off",
        subject: "Welcome to Juniper & Pine: here's 10% off",
        preview: "Use code WELCOME10 on your first order.",
        intro: "Thanks for joining us. Here is 10% off your first order with code WELCOME10.",
        theme: "hiking",
      },
      { kind: "delay", value: 2, unit: "days" },
      {
        kind: "email",
        name: "Welcome Email 2: Our Story",
        subject: "The story behind Juniper & Pine",
        preview: "Two friends, one van and a lot of bad tents.",
        intro: "We started Juniper & Pine after one too many trips with gear that let us down.",
        theme: "home-and-cabin",
      },
    ],
  },
  {
    key: "abandonedCart",
    name: "Abandoned Cart",
    status: "live",
    trigger: "Metric",
    tags: ["Evergreen", "Email", "SMS"],
    steps: [
      { kind: "delay", value: 4, unit: "hours" },
      {
        kind: "email",
        name: "Abandoned Cart Email 1",
        subject: "You left something at the trailhead",
        preview: "Your cart is saved; finish checking out.",
        intro: "Your cart is still waiting for you. Finish checking out before it sells out.",
        theme: "camping",
      },
      { kind: "delay", value: 1, unit: "days" },
      {
        kind: "sms",
        name: "Abandoned Cart SMS",
        body: `Still thinking it over? Your cart at ${STORE.name} is saved: ${STORE.website}/cart`,
      },
    ],
  },
  {
    key: "browse",
    name: "Browse Abandonment",
    status: "live",
    trigger: "Metric",
    tags: ["Evergreen", "Email"],
    steps: [
      { kind: "delay", value: 2, unit: "hours" },
      {
        kind: "email",
        name: "Browse Abandonment Email 1",
        subject: "Still thinking it over?",
        preview: "The gear you looked at is still in stock.",
        intro: "We noticed you checking out some gear. It is still in stock, for now.",
        theme: "hiking",
      },
    ],
  },
  {
    key: "postPurchase",
    name: "Post-Purchase Follow-Up",
    status: "live",
    trigger: "Metric",
    tags: ["Evergreen", "Email"],
    steps: [
      { kind: "delay", value: 3, unit: "days" },
      {
        kind: "email",
        name: "Post-Purchase Email 1: Care Tips",
        subject: "How to get years out of your new gear",
        preview: "Care tips from our gear team.",
        intro:
          "Thanks for your order! Here is how to care for your new gear so it lasts for years.",
        theme: "camping",
      },
      { kind: "delay", value: 11, unit: "days" },
      {
        kind: "email",
        name: "Post-Purchase Email 2: Review Request",
        subject: "How was it? Leave a review",
        preview: "Tell us what you think and help other hikers.",
        intro: "You have had your gear for a couple of weeks. Would you leave a quick review?",
        theme: "apparel",
      },
    ],
  },
  {
    key: "winback",
    name: "Winback",
    status: "manual",
    trigger: "Metric",
    tags: ["Evergreen", "Email"],
    steps: [
      { kind: "delay", value: 90, unit: "days" },
      { kind: "split-no-order-since-start" },
      {
        kind: "email",
        name: "Winback Email 1: 15% Off",
        subject: "We miss you: here's 15% off",
        preview: "Come back with code WINBACK15.",
        intro: "It has been a while. Here is 15% off your next order with code WINBACK15.",
        theme: "fall",
      },
    ],
  },
  {
    key: "priceDrop",
    name: "Holiday Price Drop",
    status: "draft",
    trigger: "Price Drop",
    tags: ["Holiday", "Email"],
    steps: [
      {
        kind: "email",
        name: "Price Drop Email 1",
        subject: "Price drop on something you liked",
        preview: "The gear you viewed just got cheaper.",
        intro: "Good news: an item you looked at just dropped in price.",
        theme: "accessories",
      },
    ],
  },
];

export interface FlowSeed {
  flows: Record<FlowKey, FlowModel>;
  actionIds: string[];
  messageIds: string[];
  templateIds: string[];
}

export function seedFlows(
  ctx: SeedContext,
  images: ImageSeed,
  metricIds: Record<string, string>,
  tags: Record<string, string>,
): FlowSeed {
  const flows = {} as Record<FlowKey, FlowModel>;
  const actionIds: string[] = [];
  const messageIds: string[] = [];
  const templateIds: string[] = [];
  const logo = images.urls.Logo ?? "";
  for (const spec of FLOWS) {
    const created = ctx.now - ctx.int(200, 330) * DAY;
    const updated = created + ctx.int(5, 150) * DAY;
    const flowId = ctx.insert("flow", {
      name: spec.name,
      status: spec.status,
      archived: false,
      created: iso(created),
      updated: iso(updated),
      trigger_type: spec.trigger,
    });
    const ids = spec.steps.map(() => ctx.store.newId("flow-action"));
    const model: FlowModel = { id: flowId, name: spec.name, status: spec.status, messages: [] };
    let elapsed = 0;
    spec.steps.forEach((step, i) => {
      const id = ids[i] as string;
      const next = ids[i + 1] ?? null;
      const stamps = { created: iso(created + i * HOUR), updated: iso(updated) };
      if (step.kind === "delay") {
        elapsed += step.value * (step.unit === "days" ? DAY : HOUR);
        ctx.insert(
          "flow-action",
          {
            ...stamps,
            definition: {
              id,
              type: "time-delay",
              links: { next },
              data: {
                unit: step.unit,
                value: step.value,
                secondary_value: null,
                timezone: "profile",
                delay_until_time: null,
                delay_until_weekdays: null,
              },
            },
          },
          id,
        );
      } else if (step.kind === "split-no-order-since-start") {
        ctx.insert(
          "flow-action",
          {
            ...stamps,
            definition: {
              id,
              type: "conditional-split",
              links: { next_if_true: next, next_if_false: null },
              data: {
                profile_filter: {
                  condition_groups: [
                    {
                      conditions: [
                        {
                          type: "profile-metric",
                          metric_id: metricIds["Placed Order"] ?? "",
                          measurement: "count",
                          measurement_filter: { type: "numeric", operator: "equals", value: 0 },
                          timeframe_filter: { type: "date", operator: "flow-start" },
                          metric_filters: null,
                        },
                      ],
                    },
                  ],
                },
              },
            },
          },
          id,
        );
      } else {
        const messageId = ctx.store.newId("flow-message");
        let message: Record<string, unknown>;
        let templateId: string | undefined;
        if (step.kind === "email") {
          templateId = insertTemplate(
            ctx,
            `${spec.name}: ${step.name}`,
            {
              heading: step.subject,
              intro: step.intro,
              cta: "Shop now",
              url: `${STORE.website}/collections/${step.theme}`,
              image: images.urls[step.theme] ?? logo,
            },
            i % 2 === 0 ? "CODE" : "SYSTEM_DRAGGABLE",
            created,
            logo,
          );
          templateIds.push(templateId);
          message = {
            id: messageId,
            name: step.name,
            from_email: STORE.senderEmail,
            from_label: STORE.name,
            reply_to_email: STORE.replyTo,
            cc_email: null,
            bcc_email: null,
            subject_line: step.subject,
            preview_text: step.preview,
            template_id: templateId,
            smart_sending_enabled: true,
            transactional: false,
            add_tracking_params: true,
            custom_tracking_params: [
              { param: "utm_source", value: "klaviyo" },
              { param: "utm_medium", value: "email" },
              { param: "utm_campaign", value: spec.name },
            ],
            additional_filters: null,
          };
        } else {
          message = {
            id: messageId,
            name: step.name,
            body: step.body,
            image_id: null,
            dynamic_image: null,
            shorten_links: true,
            include_contact_card: false,
            add_org_prefix: true,
            add_info_link: true,
            add_opt_out_language: false,
            smart_sending_enabled: true,
            sms_quiet_hours_enabled: true,
            transactional: false,
            add_tracking_params: true,
            custom_tracking_params: null,
            template_id: null,
            additional_filters: null,
          };
        }
        ctx.insert(
          "flow-action",
          {
            ...stamps,
            definition: {
              id,
              type: step.kind === "email" ? "send-email" : "send-sms",
              links: { next },
              data: { message, status: spec.status },
            },
          },
          id,
        );
        ctx.insert(
          "flow-message",
          { channel: step.kind, ...stamps, definition: message },
          messageId,
        );
        ctx.link("flow-action", id, "flow-messages", [messageId]);
        if (templateId) ctx.link("flow-message", messageId, "template", [templateId]);
        messageIds.push(messageId);
        const messageModel: MessageModel = {
          id: messageId,
          channel: step.kind,
          subject: step.kind === "email" ? step.subject : "",
          name: step.name,
          flowId,
          ...(step.kind === "email" && step.theme !== "fall" ? { focus: step.theme } : {}),
          ...(step.kind === "sms" ? { smsSegments: smsSegments(step.body) } : {}),
        };
        model.messages.push({ message: messageModel, delay: elapsed });
      }
    });
    ctx.link("flow", flowId, "flow-actions", ids);
    ctx.link(
      "flow",
      flowId,
      "tags",
      spec.tags.flatMap((t) => (tags[t] ? [tags[t]] : [])),
    );
    actionIds.push(...ids);
    flows[spec.key] = model;
  }
  return { flows, actionIds, messageIds, templateIds };
}
