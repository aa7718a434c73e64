/**
 * The shopping simulation behind the demo events: shoppers browse, add to cart, check out and
 * order; messages are received, opened, clicked and sometimes lead to an attributed order; live
 * flows send what their triggers call for. Conventions the reports rely on:
 * - message events carry `$message` (campaign-message or flow-message id), flow ones `$flow`;
 *   campaign email events also `Subject` and `Campaign Name`;
 * - "Placed Order" carries `$value`, `OrderId`, `Items` (product names), `ItemCount`, and
 *   `$attributed_message` / `$attributed_flow` when a message led to it.
 */
import { DAY, HOUR, iso, MINUTE, round2, type SeedContext } from "./context.js";
import {
  canEmail,
  canSms,
  type FlowModel,
  type MessageModel,
  type ProductModel,
  type ProfileModel,
  type VariantModel,
} from "./model.js";
import { windowStart } from "./profiles.js";
import { STORE } from "./words.js";

interface Pending {
  metric: string;
  profile: ProfileModel;
  time: number;
  props: Record<string, unknown>;
  seq: number;
}

interface Line {
  product: ProductModel;
  variant: VariantModel;
  quantity: number;
}

export interface Rates {
  open: number;
  click: number;
  order: number;
  unsubscribe?: number;
  spam?: number;
  bounce?: number;
  discount?: { code: string; percent: number };
}

const CLIENTS = ["Gmail", "Apple Mail", "Apple Mail", "Outlook", "Yahoo Mail", "Gmail"];

export class Simulation {
  private readonly pending: Pending[] = [];
  private readonly start: number;
  private readonly end: number;
  private readonly byCategory = new Map<string, ProductModel[]>();
  private orderNumber = 10231;
  private readonly checkouts: Array<{ profile: ProfileModel; time: number; lines: Line[] }> = [];
  private readonly views: Array<{ profile: ProfileModel; time: number; product: ProductModel }> =
    [];
  private readonly placed: Array<{ profile: ProfileModel; time: number }> = [];
  readonly orders = new Map<string, number[]>();
  readonly openers = new Set<string>();

  constructor(
    private readonly ctx: SeedContext,
    private readonly products: ProductModel[],
  ) {
    this.start = windowStart(ctx) + HOUR;
    this.end = ctx.now - MINUTE;
    for (const product of products) {
      const list = this.byCategory.get(product.category) ?? [];
      list.push(product);
      this.byCategory.set(product.category, list);
    }
  }

  private emit(metric: string, profile: ProfileModel, at: number, props: object): boolean {
    const time = Math.floor(at / 1000) * 1000;
    if (time < this.start || time >= this.end || time < profile.created) return false;
    this.pending.push({
      metric,
      profile,
      time,
      props: props as Record<string, unknown>,
      seq: this.pending.length,
    });
    if (profile.lastEventAt === null || time > profile.lastEventAt) profile.lastEventAt = time;
    return true;
  }

  private product(category?: string): ProductModel {
    const pool = category ? this.byCategory.get(category) : undefined;
    return this.ctx.pick(pool && this.ctx.chance(0.7) ? pool : this.products);
  }

  private favorite(profile: ProfileModel): string | undefined {
    return this.products.find((p) => p.categoryName === profile.favoriteCategory)?.category;
  }

  private line(product: ProductModel): Line {
    return {
      product,
      variant: this.ctx.pick(product.variants),
      quantity: this.ctx.chance(0.85) ? 1 : 2,
    };
  }

  /** Organic site sessions over the window. */
  browse(profile: ProfileModel): void {
    const { ctx } = this;
    const from = Math.max(this.start, profile.created);
    if (from >= this.end) return;
    const sessions = Math.floor(profile.activity * ctx.float(0.5, 1.5) + ctx.rng());
    const favorite = this.favorite(profile);
    const browser = ctx.pick(["Chrome", "Safari", "Safari", "Firefox", "Edge"]);
    for (let s = 0; s < sessions; s++) {
      let t = Math.floor(ctx.float(from, this.end));
      this.emit("Active on Site", profile, t, { page: `${STORE.website}/`, browser });
      const viewed: ProductModel[] = [];
      for (let v = ctx.int(1, 3); v > 0; v--) {
        const product = this.product(favorite);
        t += ctx.int(1, 6) * MINUTE;
        viewed.push(product);
        this.emit("Viewed Product", profile, t, this.productProps(product));
      }
      const last = viewed[viewed.length - 1] as ProductModel;
      if (!ctx.chance(0.3)) {
        this.views.push({ profile, time: t, product: last });
        continue;
      }
      const lines = [this.line(last)];
      if (ctx.chance(0.3)) lines.push(this.line(this.product(favorite)));
      const cartValue = value(lines);
      t += ctx.int(1, 4) * MINUTE;
      const first = lines[0] as Line;
      this.emit("Added to Cart", profile, t, {
        $value: cartValue,
        AddedItemProductName: first.product.title,
        AddedItemProductID: first.product.externalId,
        AddedItemSKU: first.variant.sku,
        AddedItemCategories: [first.product.categoryName],
        AddedItemImageURL: first.product.imageUrl,
        AddedItemURL: first.product.url,
        AddedItemPrice: first.variant.price,
        AddedItemQuantity: first.quantity,
        ItemNames: names(lines),
        CheckoutURL: `${STORE.website}/cart`,
      });
      if (!ctx.chance(0.6)) continue;
      t += ctx.int(2, 10) * MINUTE;
      this.emit("Started Checkout", profile, t, {
        $event_id: `${profile.id.slice(-8)}-${Math.floor(t / 1000)}`,
        $value: cartValue,
        ItemNames: names(lines),
        Items: names(lines),
        ItemCount: count(lines),
        Categories: categories(lines),
        CheckoutURL: `${STORE.website}/checkouts/${ctx.hex(16)}`,
      });
      if (ctx.chance(0.55)) this.placeOrder(profile, t + ctx.int(3, 30) * MINUTE, lines);
      else this.checkouts.push({ profile, time: t, lines });
    }
  }

  private productProps(product: ProductModel): object {
    return {
      ProductName: product.title,
      ProductID: product.externalId,
      SKU: product.variants[0]?.sku,
      Categories: [product.categoryName],
      ImageURL: product.imageUrl,
      URL: product.url,
      Brand: STORE.name,
      Price: product.price,
    };
  }

  placeOrder(
    profile: ProfileModel,
    time: number,
    lines: Line[],
    message?: MessageModel,
    discount?: { code: string; percent: number },
  ): boolean {
    const gross = value(lines);
    const discountValue = discount ? round2((gross * discount.percent) / 100) : 0;
    const orderId = `JP-${this.orderNumber}`;
    const emitted = this.emit("Placed Order", profile, time, {
      $event_id: orderId,
      $value: round2(gross - discountValue),
      OrderId: orderId,
      Items: names(lines),
      ItemNames: names(lines),
      ItemCount: count(lines),
      Categories: categories(lines),
      ...(discount ? { DiscountCode: discount.code, DiscountValue: discountValue } : {}),
      ...(message ? { $attributed_message: message.id } : {}),
      ...(message?.flowId ? { $attributed_flow: message.flowId } : {}),
    });
    if (!emitted) return false;
    this.orderNumber++;
    for (const line of lines) {
      this.emit("Ordered Product", profile, time + 1000, {
        $event_id: `${orderId}-${line.variant.sku}`,
        $value: round2(line.variant.price * line.quantity),
        OrderId: orderId,
        ProductName: line.product.title,
        ProductID: line.product.externalId,
        SKU: line.variant.sku,
        Quantity: line.quantity,
        ProductURL: line.product.url,
        ImageURL: line.product.imageUrl,
        Categories: [line.product.categoryName],
      });
    }
    const times = this.orders.get(profile.id) ?? [];
    times.push(time);
    this.orders.set(profile.id, times);
    this.placed.push({ profile, time });
    return true;
  }

  private engagement(profile: ProfileModel): number {
    return profile.activity === 0 ? 0.6 : profile.activity === 1 ? 0.85 : 1.15;
  }

  /** Sends an email and plays out what the recipient does; returns whether it led to an order. */
  sendEmail(
    profile: ProfileModel,
    message: MessageModel,
    time: number,
    rates: Rates,
    cart?: Line[],
  ): boolean {
    const { ctx } = this;
    const base = {
      $message: message.id,
      Subject: message.subject,
      ...(message.campaignId ? { "Campaign Name": message.name } : {}),
      ...(message.flowId ? { $flow: message.flowId } : {}),
    };
    if (rates.bounce && ctx.chance(rates.bounce)) {
      if (this.emit("Bounced Email", profile, time, { ...base, "Bounce Type": "hard" })) {
        this.optOut(profile, time, "HARD_BOUNCE");
      }
      return false;
    }
    if (!this.emit("Received Email", profile, time, base)) return false;
    if (rates.spam && ctx.chance(rates.spam)) {
      const at = time + ctx.int(5, 600) * MINUTE;
      if (this.emit("Marked Email as Spam", profile, at, base)) {
        this.optOut(profile, at, "SPAM_COMPLAINT");
      }
      return false;
    }
    if (!ctx.chance(Math.min(0.95, rates.open * this.engagement(profile)))) return false;
    const client = ctx.pick(CLIENTS);
    const opened = time + this.delay(2 * MINUTE, 20 * HOUR);
    if (!this.emit("Opened Email", profile, opened, { ...base, "Client Name": client })) {
      return false;
    }
    this.openers.add(profile.id);
    if (ctx.chance(0.3)) {
      this.emit("Opened Email", profile, opened + this.delay(10 * MINUTE, 2 * DAY), {
        ...base,
        "Client Name": client,
      });
    }
    if (rates.unsubscribe && ctx.chance(rates.unsubscribe)) {
      const at = opened + ctx.int(1, 5) * MINUTE;
      if (this.emit("Unsubscribed", profile, at, base)) this.optOut(profile, at, "UNSUBSCRIBE");
      return false;
    }
    if (!ctx.chance(rates.click)) return false;
    const lines = cart ?? [this.line(this.product(message.focus))];
    const clicked = opened + ctx.int(1, 15) * MINUTE;
    const url = (lines[0] as Line).product.url;
    if (
      !this.emit("Clicked Email", profile, clicked, { ...base, URL: url, "Client Name": client })
    ) {
      return false;
    }
    if (!ctx.chance(rates.order)) return false;
    return this.placeOrder(
      profile,
      clicked + this.delay(5 * MINUTE, 2 * DAY),
      lines,
      message,
      rates.discount,
    );
  }

  sendSms(
    profile: ProfileModel,
    message: MessageModel,
    time: number,
    clickRate: number,
    orderRate: number,
    cart?: Line[],
  ): boolean {
    const { ctx } = this;
    const base = {
      $message: message.id,
      ...(message.campaignId ? { "Campaign Name": message.name } : {}),
      ...(message.flowId ? { $flow: message.flowId } : {}),
    };
    const received = { ...base, "Segment Count": message.smsSegments ?? 1 };
    if (!this.emit("Received SMS", profile, time, received)) return false;
    if (!ctx.chance(clickRate)) return false;
    const lines = cart ?? [this.line(this.product(message.focus))];
    const clicked = time + this.delay(MINUTE, 6 * HOUR);
    if (
      !this.emit("Clicked SMS", profile, clicked, { ...base, URL: (lines[0] as Line).product.url })
    ) {
      return false;
    }
    if (!ctx.chance(orderRate)) return false;
    return this.placeOrder(profile, clicked + this.delay(3 * MINUTE, DAY), lines, message);
  }

  /** Skewed toward short delays: most people act soon after a message arrives. */
  private delay(min: number, max: number): number {
    const r = this.ctx.rng();
    return Math.floor(min + (max - min) * r * r * r);
  }

  private optOut(
    profile: ProfileModel,
    at: number,
    reason: "HARD_BOUNCE" | "SPAM_COMPLAINT" | "UNSUBSCRIBE",
  ): void {
    profile.emailOptOut = at;
    profile.emailOptOutReason = reason;
    profile.updated = Math.max(profile.updated, at);
  }

  private live(flow: FlowModel): boolean {
    return flow.status === "live";
  }

  welcome(flow: FlowModel, members: ProfileModel[]): void {
    if (!this.live(flow)) return;
    for (const profile of members) {
      if (profile.staff || profile.emailOptIn === null || profile.emailOptIn < this.start) continue;
      const trigger = profile.emailOptIn + MINUTE;
      flow.messages.forEach(({ message, delay }, i) => {
        const at = trigger + delay + this.ctx.int(0, 3) * MINUTE;
        if (!canEmail(profile, at)) return;
        this.sendEmail(profile, message, at, {
          open: 0.6,
          click: 0.25,
          order: 0.25,
          ...(i === 0 ? { discount: { code: "WELCOME10", percent: 10 } } : {}),
        });
      });
    }
  }

  abandonedCart(flow: FlowModel): void {
    if (!this.live(flow)) return;
    const lastEntry = new Map<string, number>();
    for (const { profile, time, lines } of this.checkouts) {
      const previous = lastEntry.get(profile.id);
      if (previous !== undefined && time - previous < 7 * DAY) continue;
      lastEntry.set(profile.id, time);
      let ordered = false;
      for (const { message, delay } of flow.messages) {
        if (ordered) break;
        const at = time + delay + this.ctx.int(0, 2) * MINUTE;
        if (message.channel === "email") {
          if (canEmail(profile, at)) {
            ordered = this.sendEmail(
              profile,
              message,
              at,
              { open: 0.5, click: 0.3, order: 0.3 },
              lines,
            );
          }
        } else if (canSms(profile, at)) {
          ordered = this.sendSms(profile, message, at, 0.2, 0.25, lines);
        }
      }
    }
  }

  browseAbandonment(flow: FlowModel): void {
    if (!this.live(flow)) return;
    const lastEntry = new Map<string, number>();
    for (const { profile, time, product } of this.views) {
      const previous = lastEntry.get(profile.id);
      if ((previous !== undefined && time - previous < 14 * DAY) || !this.ctx.chance(0.5)) continue;
      lastEntry.set(profile.id, time);
      for (const { message, delay } of flow.messages) {
        const at = time + delay;
        if (canEmail(profile, at)) {
          this.sendEmail(profile, message, at, { open: 0.45, click: 0.2, order: 0.12 }, [
            this.line(product),
          ]);
        }
      }
    }
  }

  postPurchase(flow: FlowModel): void {
    if (!this.live(flow)) return;
    for (const { profile, time } of [...this.placed]) {
      for (const { message, delay } of flow.messages) {
        const at = time + delay + this.ctx.int(0, 30) * MINUTE;
        if (canEmail(profile, at)) {
          this.sendEmail(profile, message, at, { open: 0.55, click: 0.12, order: 0.06 });
        }
      }
    }
  }

  /** Inserts the events oldest first, each linked to its profile and metric. */
  flush(metricIds: Record<string, string>): number {
    const { ctx } = this;
    this.pending.sort((a, b) => a.time - b.time || a.seq - b.seq);
    for (const event of this.pending) {
      const id = ctx.ulidAt(event.time);
      ctx.insert(
        "event",
        {
          timestamp: Math.floor(event.time / 1000),
          event_properties: event.props,
          datetime: iso(event.time),
          uuid: ctx.uuid(),
        },
        id,
      );
      ctx.link("event", id, "profile", [event.profile.id]);
      ctx.link("event", id, "metric", [metricIds[event.metric] ?? ""]);
    }
    return this.pending.length;
  }
}

function value(lines: Line[]): number {
  return round2(lines.reduce((sum, l) => sum + l.variant.price * l.quantity, 0));
}

function names(lines: Line[]): string[] {
  return lines.map((l) => l.product.title);
}

function count(lines: Line[]): number {
  return lines.reduce((sum, l) => sum + l.quantity, 0);
}

function categories(lines: Line[]): string[] {
  return [...new Set(lines.map((l) => l.product.categoryName))];
}
