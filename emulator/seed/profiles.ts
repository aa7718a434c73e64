/** Profiles (with consent histories and predictive analytics) and their push tokens. */
import { DAY, HOUR, iso, MINUTE, round2, type SeedContext } from "./context.js";
import type { PredictiveModel, ProfileModel } from "./model.js";
import {
  CATEGORIES,
  CITIES,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  ORGANIZATIONS,
  SIGNUP_SOURCES,
  STORE,
  STREETS,
} from "./words.js";

export const CUSTOMER_COUNT = 297;

const STAFF = [
  ["Maya", "Lindqvist", "maya"],
  ["Theo", "Fairbanks", "theo"],
  ["Priya", "Shah", "priya"],
] as const;

/** Window start for events: 90 days before now. */
export function windowStart(ctx: SeedContext): number {
  return ctx.now - 90 * DAY;
}

export function seedProfiles(ctx: SeedContext): ProfileModel[] {
  const emails = new Set<string>();
  const phoneCounters = new Map<string, number>();
  const models: ProfileModel[] = [];
  const start = windowStart(ctx);

  const uniqueEmail = (local: string, domain: string): string => {
    let email = `${local}@${domain}`;
    for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`;
    emails.add(email);
    return email;
  };
  const nextPhone = (areaCode: string): string | null => {
    const used = phoneCounters.get(areaCode) ?? 0;
    if (!areaCode || used >= 100) return null;
    phoneCounters.set(areaCode, used + 1);
    // 555-01xx numbers are reserved for fiction.
    return `+1${areaCode}55501${String(used).padStart(2, "0")}`;
  };

  for (let i = 0; i < CUSTOMER_COUNT + STAFF.length; i++) {
    const staff = i >= CUSTOMER_COUNT ? STAFF[i - CUSTOMER_COUNT] : undefined;
    const firstName = staff?.[0] ?? ctx.pick(FIRST_NAMES);
    const lastName = staff?.[1] ?? ctx.pick(LAST_NAMES);
    const city = staff ? (CITIES[0] as (typeof CITIES)[number]) : ctx.pick(CITIES);
    const created = staff ? ctx.now - ctx.int(360, 365) * DAY : ctx.daysAgo(365, 0.2);
    const first = firstName.toLowerCase();
    const last = lastName.toLowerCase().replace(/[^a-z]/g, "");
    const local = staff
      ? staff[2]
      : ctx.weighted([
          [`${first}.${last}`, 4],
          [`${first}${last}${ctx.int(1, 99)}`, 2],
          [`${first[0]}${last}`, 2],
          [`${first}_${last}`, 1],
          [`${first}.${last[0]}`, 1],
        ]);
    const email = uniqueEmail(
      local,
      staff ? new URL(STORE.website).hostname : ctx.pick(EMAIL_DOMAINS),
    );
    const phone = staff || ctx.chance(0.55) ? nextPhone(city.areaCode) : null;
    const signupSource = staff ? "Import" : ctx.pick(SIGNUP_SOURCES);
    const activity = staff
      ? 0
      : ctx.weighted([
          [0, 30],
          [1, 28],
          [3, 25],
          [6, 13],
          [11, 4],
        ]);

    // Email consent: most opted in when they signed up; some left before the event window.
    const optedIn = staff || ctx.chance(0.78);
    const emailOptIn = optedIn ? created + ctx.int(0, 5) * MINUTE : null;
    let emailOptOut: number | null = null;
    let emailOptOutReason: ProfileModel["emailOptOutReason"] = null;
    if (emailOptIn !== null && !staff && created < start - 2 * DAY) {
      const reason = ctx.weighted([
        [null, 84],
        ["UNSUBSCRIBE", 11],
        ["HARD_BOUNCE", 3],
        ["USER_SUPPRESSED", 2],
      ] as const);
      if (reason) {
        emailOptOut = Math.floor(ctx.float(emailOptIn + DAY, start - DAY));
        emailOptOutReason = reason;
      }
    }
    const smsOptIn = phone && ctx.chance(0.6) ? created + ctx.int(1, 30) * MINUTE : null;
    const smsOptOut =
      smsOptIn !== null && created < start - 2 * DAY && ctx.chance(0.08)
        ? Math.floor(ctx.float(smsOptIn + DAY, start - DAY))
        : null;

    const predictive = !staff && (activity > 0 ? ctx.chance(0.55) : ctx.chance(0.1));
    const model: ProfileModel = {
      id: ctx.ulidAt(created),
      created,
      updated: created,
      firstName,
      lastName,
      email,
      phone,
      city,
      favoriteCategory: staff ? "Camping" : ctx.pick(CATEGORIES).name,
      signupSource,
      staff: Boolean(staff),
      activity,
      emailOptIn,
      emailOptOut,
      emailOptOutReason,
      emailMethod: methodFor(signupSource),
      emailMethodDetail: signupSource,
      doubleOptIn: emailOptIn !== null && ctx.chance(0.3),
      smsOptIn,
      smsOptOut,
      pushOptIn: null,
      predictive: predictive ? predictiveFor(ctx) : null,
      lastEventAt: null,
    };
    model.updated = Math.max(created, emailOptOut ?? 0, smsOptOut ?? 0);
    models.push(model);

    const organization = !staff && ctx.chance(0.06) ? ctx.pick(ORGANIZATIONS) : undefined;
    const properties: Record<string, unknown> = {
      favorite_category: model.favoriteCategory,
      signup_source: signupSource,
    };
    if (model.predictive) properties.loyalty_tier = tierFor(model.predictive.historicClv);
    if (ctx.chance(0.3))
      properties.birthday = `${ctx.int(1958, 2004)}-${pad(ctx.int(1, 12))}-${pad(ctx.int(1, 28))}`;
    if (ctx.chance(0.2)) properties.newsletter_frequency = ctx.pick(["weekly", "monthly"]);
    if (staff) properties.is_staff = true;

    ctx.insert(
      "profile",
      {
        email,
        phone_number: phone,
        external_id: !staff && ctx.chance(0.35) ? `JP-CUST-${100000 + i * 37}` : null,
        first_name: firstName,
        last_name: lastName,
        organization: organization?.[0] ?? (staff ? STORE.name : null),
        locale: city.locale,
        title:
          organization?.[1] ??
          (staff ? ["Founder", "Marketing Lead", "Operations"][i - CUSTOMER_COUNT] : null),
        image: null,
        created: iso(created),
        updated: iso(model.updated),
        last_event_date: null,
        location: {
          address1: `${ctx.int(10, 9800)} ${ctx.pick(STREETS)}`,
          address2: ctx.chance(0.15) ? `Apt ${ctx.int(1, 40)}` : null,
          city: city.city,
          country: city.country,
          latitude: round4(city.latitude + ctx.float(-0.05, 0.05)),
          longitude: round4(city.longitude + ctx.float(-0.05, 0.05)),
          region: city.region,
          zip: city.zip,
          timezone: city.timezone,
          // Documentation address ranges (RFC 5737).
          ip: `${ctx.pick(["192.0.2", "198.51.100", "203.0.113"])}.${ctx.int(1, 254)}`,
        },
        properties,
      },
      model.id,
    );
  }
  return models;
}

/** Push tokens for a handful of app users; marks them push-subscribed. */
export function seedPushTokens(ctx: SeedContext, profiles: ProfileModel[]): string[] {
  const candidates = profiles.filter((p) => p.activity >= 3);
  const ids: string[] = [];
  for (const profile of ctx.sample(candidates, 8)) {
    const ios = ctx.chance(0.6);
    const created = Math.max(profile.created, ctx.daysAgo(200, 5));
    profile.pushOptIn = created;
    const id = ctx.insert("push-token", {
      created: iso(created),
      token: ios ? ctx.hex(64) : `${ctx.hex(22)}:APA91b${ctx.hex(120)}`,
      enablement_status: "AUTHORIZED",
      platform: ios ? "ios" : "android",
      vendor: ios ? "apns" : "fcm",
      background: "AVAILABLE",
      recorded_date: iso(created + ctx.int(1, 60) * MINUTE),
      metadata: {
        device_id: ctx.uuid().toUpperCase(),
        klaviyo_sdk: ios ? "swift" : "android",
        sdk_version: ios ? "4.2.1" : "3.3.0",
        device_model: ios
          ? ctx.pick(["iPhone15,2", "iPhone16,1", "iPhone14,5"])
          : ctx.pick(["Pixel 8", "SM-S918U"]),
        os_name: ios ? "ios" : "android",
        os_version: ios ? ctx.pick(["17.6.1", "18.1", "18.3"]) : ctx.pick(["14", "15"]),
        manufacturer: ios ? "Apple" : ctx.pick(["Google", "Samsung"]),
        app_name: STORE.name,
        app_version: "2.3.1",
        app_build: "231",
        app_id: "com.juniperandpine.app",
        environment: "release",
      },
    });
    ctx.link("profile", profile.id, "push-tokens", [id]);
    ids.push(id);
  }
  return ids;
}

/** Writes what the events decided: consent, last event date, updated stamp. */
export function finalizeProfiles(ctx: SeedContext, profiles: ProfileModel[]): void {
  for (const profile of profiles) {
    const attributes: Record<string, unknown> = {
      subscriptions: subscriptionsFor(profile),
      updated: iso(profile.updated),
    };
    if (profile.lastEventAt !== null) attributes.last_event_date = iso(profile.lastEventAt);
    if (profile.predictive) attributes.predictive_analytics = renderPredictive(profile.predictive);
    ctx.store.update("profile", profile.id, attributes);
  }
}

function subscriptionsFor(p: ProfileModel): Record<string, unknown> {
  const unsubscribed =
    p.emailOptOutReason === "UNSUBSCRIBE" || p.emailOptOutReason === "SPAM_COMPLAINT";
  const emailConsent =
    p.emailOptIn === null ? "NEVER_SUBSCRIBED" : unsubscribed ? "UNSUBSCRIBED" : "SUBSCRIBED";
  const emailChanged = p.emailOptOut ?? p.emailOptIn;
  const suppression =
    p.emailOptOut !== null && p.emailOptOutReason
      ? [{ reason: p.emailOptOutReason, timestamp: iso(p.emailOptOut) }]
      : [];
  const smsConsent =
    p.smsOptIn === null ? "NEVER_SUBSCRIBED" : p.smsOptOut !== null ? "UNSUBSCRIBED" : "SUBSCRIBED";
  const smsChanged = p.smsOptOut ?? p.smsOptIn;
  return {
    email: {
      marketing: {
        can_receive_email_marketing: emailConsent === "SUBSCRIBED" && suppression.length === 0,
        consent: emailConsent,
        consent_timestamp: emailChanged === null ? null : iso(emailChanged),
        last_updated: emailChanged === null ? null : iso(emailChanged),
        method: p.emailOptIn === null ? null : unsubscribed ? "EMAIL_UNSUBSCRIBE" : p.emailMethod,
        method_detail: p.emailOptIn === null || unsubscribed ? "" : p.emailMethodDetail,
        custom_method_detail: null,
        double_optin: p.emailOptIn === null ? null : p.doubleOptIn,
        suppression,
        list_suppressions: [],
      },
    },
    sms: {
      marketing: {
        can_receive_sms_marketing: smsConsent === "SUBSCRIBED",
        consent: smsConsent,
        consent_timestamp: smsChanged === null ? null : iso(smsChanged),
        method: p.smsOptIn === null ? null : p.smsOptOut !== null ? "TEXT" : "FORM",
        method_detail: p.smsOptIn === null ? "" : p.smsOptOut !== null ? "STOP" : p.signupSource,
        last_updated: smsChanged === null ? null : iso(smsChanged),
      },
      transactional: {
        can_receive_sms_transactional: p.smsOptIn !== null,
        consent: p.smsOptIn === null ? "NEVER_SUBSCRIBED" : "SUBSCRIBED",
        consent_timestamp: p.smsOptIn === null ? null : iso(p.smsOptIn),
        method: p.smsOptIn === null ? null : "FORM",
        method_detail: p.smsOptIn === null ? "" : p.signupSource,
        last_updated: p.smsOptIn === null ? null : iso(p.smsOptIn),
      },
    },
    mobile_push: {
      marketing: {
        can_receive_push_marketing: p.pushOptIn !== null,
        consent: p.pushOptIn === null ? "NEVER_SUBSCRIBED" : "SUBSCRIBED",
        consent_timestamp: p.pushOptIn === null ? null : iso(p.pushOptIn),
      },
    },
  };
}

function predictiveFor(ctx: SeedContext): PredictiveModel {
  const historicOrders = ctx.weighted([
    [1, 35],
    [2, 25],
    [3, 15],
    [4, 10],
    [6, 8],
    [9, 5],
    [14, 2],
  ]);
  const averageOrderValue = round2(ctx.float(38, 240));
  const predictedOrders = round2(ctx.float(0, 0.6) * historicOrders + ctx.float(0, 1.5));
  const churnProbability = round2(
    Math.min(0.97, ctx.float(0.05, 0.75) + (historicOrders === 1 ? 0.2 : 0)),
  );
  return {
    historicClv: round2(historicOrders * averageOrderValue),
    predictedClv: round2(predictedOrders * averageOrderValue),
    historicOrders,
    predictedOrders,
    averageDaysBetweenOrders: historicOrders > 1 ? round2(ctx.float(20, 160)) : null,
    averageOrderValue,
    churnProbability,
    expectedNextOrder: ctx.now + ctx.int(3, 120) * DAY + ctx.int(0, 23) * HOUR,
    channels: ctx.weighted([
      [["email", "sms", "push"], 5],
      [["email", "push", "sms"], 2],
      [["sms", "email", "push"], 2],
    ]),
  };
}

function renderPredictive(p: PredictiveModel): Record<string, unknown> {
  return {
    historic_clv: p.historicClv,
    predicted_clv: p.predictedClv,
    total_clv: round2(p.historicClv + p.predictedClv),
    historic_number_of_orders: p.historicOrders,
    predicted_number_of_orders: p.predictedOrders,
    average_days_between_orders: p.averageDaysBetweenOrders,
    average_order_value: p.averageOrderValue,
    churn_probability: p.churnProbability,
    expected_date_of_next_order: iso(p.expectedNextOrder),
    ranked_channel_affinity: p.channels,
  };
}

export function totalClv(p: PredictiveModel): number {
  return round2(p.historicClv + p.predictedClv);
}

function tierFor(clv: number): string {
  return clv >= 600 ? "Gold" : clv >= 250 ? "Silver" : "Bronze";
}

function methodFor(source: string): string {
  switch (source) {
    case "Checkout":
      return "CHECKOUT";
    case "Import":
      return "IMPORT";
    case "In-Store Event":
      return "MANUAL_ADD";
    default:
      return "FORM";
  }
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
