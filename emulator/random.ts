/** Deterministic randomness, so seeded demo data and ids are the same on every run. */

/** mulberry32: tiny, fast and good enough for test data (not for secrets). */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function draw(rng: () => number, alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rng() * alphabet.length)];
  return out;
}

/** A ULID-shaped id (26 Crockford base32 characters) whose time part is `timeMs`. */
export function ulid(rng: () => number, timeMs: number): string {
  let time = "";
  let rest = Math.max(0, Math.floor(timeMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  return time + draw(rng, CROCKFORD, 16);
}

/** Klaviyo's short ids (lists, metrics, segments, flows, templates): six letters/digits. */
export function shortId(rng: () => number): string {
  return draw(rng, ALPHANUMERIC, 6);
}

export function uuid(rng: () => number): string {
  const hex = draw(rng, "0123456789abcdef", 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
