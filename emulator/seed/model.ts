/**
 * What the builders know about the demo world while they seed it. Consent is tracked as
 * opt-in/opt-out times so that events and subscriptions agree (nobody receives a campaign
 * after unsubscribing); the stored `subscriptions` attribute is rendered from it at the end.
 */
import type { City } from "./words.js";

export type SuppressionReason =
  | "HARD_BOUNCE"
  | "INVALID_EMAIL"
  | "SPAM_COMPLAINT"
  | "UNSUBSCRIBE"
  | "USER_SUPPRESSED";

export interface PredictiveModel {
  historicClv: number;
  predictedClv: number;
  historicOrders: number;
  predictedOrders: number;
  averageDaysBetweenOrders: number | null;
  averageOrderValue: number;
  churnProbability: number;
  expectedNextOrder: number;
  channels: string[];
}

export interface ProfileModel {
  id: string;
  created: number;
  updated: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  city: City;
  favoriteCategory: string;
  signupSource: string;
  staff: boolean;
  /** Expected site sessions in the 90-day event window. */
  activity: number;
  emailOptIn: number | null;
  emailOptOut: number | null;
  emailOptOutReason: SuppressionReason | null;
  emailMethod: string;
  emailMethodDetail: string;
  doubleOptIn: boolean;
  smsOptIn: number | null;
  smsOptOut: number | null;
  pushOptIn: number | null;
  predictive: PredictiveModel | null;
  lastEventAt: number | null;
}

export function canEmail(profile: ProfileModel, at: number): boolean {
  return (
    profile.emailOptIn !== null &&
    profile.emailOptIn <= at &&
    (profile.emailOptOut === null || at < profile.emailOptOut)
  );
}

export function canSms(profile: ProfileModel, at: number): boolean {
  return (
    profile.phone !== null &&
    profile.smsOptIn !== null &&
    profile.smsOptIn <= at &&
    (profile.smsOptOut === null || at < profile.smsOptOut)
  );
}

export interface VariantModel {
  id: string;
  sku: string;
  title: string;
  price: number;
}

export interface ProductModel {
  id: string;
  externalId: string;
  title: string;
  category: string;
  categoryName: string;
  price: number;
  url: string;
  imageUrl: string;
  variants: VariantModel[];
}

/** A message a campaign or flow sends, with what its events should carry. */
export interface MessageModel {
  id: string;
  channel: "email" | "sms";
  subject: string;
  /** Campaign name for campaign messages; flow message name for flow messages. */
  name: string;
  campaignId?: string;
  flowId?: string;
  /** Catalog category key the message promotes (drives clicked products). */
  focus?: string;
  /** SMS only: segments per message, logged as "Segment Count" on Received SMS. */
  smsSegments?: number;
}

export interface CampaignModel {
  id: string;
  name: string;
  status: "Sent" | "Draft" | "Scheduled";
  channel: "email" | "sms";
  sendTime: number | null;
  included: string[];
  excluded: string[];
  message: MessageModel;
}

export interface FlowModel {
  id: string;
  name: string;
  status: string;
  /** Message ids in send order, with the delay (ms) from the trigger to each. */
  messages: Array<{ message: MessageModel; delay: number }>;
}
