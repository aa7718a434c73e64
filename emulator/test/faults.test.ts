import { describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import {
  createRng,
  type Fault,
  FaultInjector,
  type FaultOptions,
  parseFaultSpec,
} from "../faults.js";
import { api } from "./support.js";

const draw = (f: FaultInjector, n: number, op = "get_profiles"): Fault[] =>
  Array.from({ length: n }, () => f.decide(op));

const counts = (faults: Fault[]) => {
  const c: Record<string, number> = { none: 0, error: 0, reset: 0, malformed: 0 };
  for (const f of faults) c[f.kind] = (c[f.kind] ?? 0) + 1;
  return c;
};

describe("createRng", () => {
  it("is deterministic per seed and stays in [0, 1)", () => {
    const a = createRng(7);
    const b = createRng(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createRng(8)()).not.toBe(xs[0]);
  });
});

describe("FaultInjector", () => {
  it("is disabled by default and then does nothing", () => {
    const f = new FaultInjector();
    expect(f.enabled).toBe(false);
    expect(f.latency()).toBe(0);
    expect(counts(draw(f, 100)).none).toBe(100);
    expect(new FaultInjector({ operations: ["x"], latencyMs: 0 }).enabled).toBe(false);
    expect(new FaultInjector({ errorRate: 0.1 }).enabled).toBe(true);
    expect(new FaultInjector({ latencyMs: { min: 0, max: 5 } }).enabled).toBe(true);
  });

  it("replays the same faults, bodies and latencies for the same seed", () => {
    const opts = {
      errorRate: 0.3,
      resetRate: 0.1,
      malformedRate: 0.1,
      latencyMs: { min: 1, max: 9 },
      seed: 42,
    };
    const run = () => {
      const f = new FaultInjector(opts);
      return { faults: draw(f, 200), latencies: Array.from({ length: 50 }, () => f.latency()) };
    };
    expect(run()).toEqual(run());
    const other = new FaultInjector({ ...opts, seed: 43 });
    expect(draw(other, 200)).not.toEqual(run().faults);
  });

  it("draws faults independently of how often latency() is called", () => {
    const opts = { errorRate: 0.5, latencyMs: { min: 0, max: 100 }, seed: 1 };
    const a = new FaultInjector(opts);
    const b = new FaultInjector(opts);
    for (let i = 0; i < 10; i++) b.latency();
    expect(draw(a, 50)).toEqual(draw(b, 50));
  });

  it("honours the rates over many draws", () => {
    const f = new FaultInjector({ errorRate: 0.1, resetRate: 0.05, malformedRate: 0.2, seed: 3 });
    const n = 20_000;
    const faults = draw(f, n);
    const c = counts(faults);
    expect((c.error ?? 0) / n).toBeCloseTo(0.1, 1);
    expect((c.reset ?? 0) / n).toBeCloseTo(0.05, 1);
    expect((c.malformed ?? 0) / n).toBeCloseTo(0.2, 1);
    const statuses = new Set(faults.flatMap((x) => (x.kind === "error" ? [x.status] : [])));
    expect([...statuses].sort()).toEqual([500, 502, 503]);
  });

  it("returns JSON:API errors for 500/503 and an HTML page for 502", () => {
    const f = new FaultInjector({ errorRate: 1, seed: 5 });
    const errors = draw(f, 60).filter((x) => x.kind === "error");
    for (const e of errors) {
      if (e.status === 502) {
        expect(e.contentType).toBe("text/html");
        expect(e.body).toContain("502 Bad Gateway");
      } else {
        expect(e.contentType).toBe("application/vnd.api+json");
        const body = JSON.parse(e.body);
        expect(body.errors[0]).toMatchObject({ status: e.status, code: expect.any(String) });
        expect(body.errors[0].id).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-/,
        );
      }
    }
  });

  it("only affects the listed operations", () => {
    const f = new FaultInjector({
      errorRate: 1,
      latencyMs: 25,
      operations: ["get_lists"],
      seed: 1,
    });
    expect(counts(draw(f, 20, "get_profiles")).none).toBe(20);
    expect(counts(draw(f, 20, "get_lists")).error).toBe(20);
    expect(f.latency("get_profiles")).toBe(0);
    expect(f.latency("get_lists")).toBe(25);
  });

  it("keeps latency within its range", () => {
    const f = new FaultInjector({ latencyMs: { min: 10, max: 12 }, seed: 9 });
    const seen = new Set(Array.from({ length: 200 }, () => f.latency()));
    expect([...seen].sort()).toEqual([10, 11, 12]);
  });

  it("corrupts bodies into invalid JSON", () => {
    const f = new FaultInjector();
    for (const body of ['{"data":[{"id":"1"}]}', "1234", "[]", '"ab"', "", '{"x":"😀😀"}']) {
      expect(() => JSON.parse(f.corrupt(body))).toThrow();
    }
    expect(f.corrupt('{"data":[]}')).toBe('{"dat');
  });

  it("keeps each seed's sequence when afterEffectRate is 0 (pinned from before it existed)", () => {
    const opts = { errorRate: 0.3, resetRate: 0.1, malformedRate: 0.1, seed: 42 };
    const summary = (f: FaultInjector) =>
      draw(f, 20).map((x) => (x.kind === "error" ? x.status : x.kind));
    const pinned = [
      ...["none", "malformed", "none", "none", 502, 502, "none", "malformed", 503, "none"],
      ...["none", 500, 503, 503, "malformed", "none", "none", "none", 500, "none"],
    ];
    expect(summary(new FaultInjector(opts))).toEqual(pinned);
    expect(summary(new FaultInjector({ ...opts, afterEffectRate: 0 }))).toEqual(pinned);
    const faults = draw(new FaultInjector({ ...opts, afterEffectRate: 0 }), 500);
    expect(faults.some((x) => "afterEffect" in x)).toBe(false);
  });

  it("marks errors and resets as striking after the effect at afterEffectRate, reproducibly", () => {
    const opts = { errorRate: 0.4, resetRate: 0.2, malformedRate: 0.2, afterEffectRate: 0.3 };
    const faults = draw(new FaultInjector({ ...opts, seed: 8 }), 20_000);
    expect(faults).toEqual(draw(new FaultInjector({ ...opts, seed: 8 }), 20_000));
    const timed = faults.filter((x) => x.kind === "error" || x.kind === "reset");
    const after = timed.filter((x) => "afterEffect" in x && x.afterEffect === true);
    expect(after.length / timed.length).toBeCloseTo(0.3, 1);
    expect(new Set(after.map((x) => x.kind))).toEqual(new Set(["error", "reset"]));
    expect(faults.filter((x) => x.kind === "malformed" && "afterEffect" in x)).toEqual([]);
    // The kinds keep their rates: the timing draw only follows an error or a reset.
    expect((counts(faults).error ?? 0) / faults.length).toBeCloseTo(0.4, 1);
    const all = draw(new FaultInjector({ errorRate: 1, afterEffectRate: 1, seed: 2 }), 50);
    expect(all.every((x) => x.kind === "error" && x.afterEffect === true)).toBe(true);
  });

  it("rejects impossible options", () => {
    expect(() => new FaultInjector({ errorRate: 1.5 })).toThrow(/errorRate/);
    expect(() => new FaultInjector({ afterEffectRate: -0.1 })).toThrow(/afterEffectRate/);
    expect(() => new FaultInjector({ errorRate: 0.6, resetRate: 0.6 })).toThrow(/exceed 1/);
    expect(() => new FaultInjector({ latencyMs: { min: 5, max: 1 } })).toThrow(/latencyMs/);
    expect(() => new FaultInjector({ latencyMs: -1 })).toThrow(/latencyMs/);
  });
});

describe("parseFaultSpec", () => {
  it("parses every key", () => {
    expect(parseFaultSpec("latency=50,errors=0.1,resets=0.05,malformed=0.02,seed=7")).toEqual({
      latencyMs: 50,
      errorRate: 0.1,
      resetRate: 0.05,
      malformedRate: 0.02,
      seed: 7,
    });
    expect(parseFaultSpec(" latency = 10-80 , ops=get_profiles|get_lists ")).toEqual({
      latencyMs: { min: 10, max: 80 },
      operations: ["get_profiles", "get_lists"],
    });
    expect(parseFaultSpec("errors=0.5,resets=0,malformed=.5")).toMatchObject({
      errorRate: 0.5,
      malformedRate: 0.5,
    });
    expect(parseFaultSpec("errors=0.2,after=0.5")).toEqual({
      errorRate: 0.2,
      afterEffectRate: 0.5,
    });
    expect(parseFaultSpec("")).toEqual({});
  });

  it("rejects bad input with a message that says what to write", () => {
    const bad: Array<[string, RegExp]> = [
      ["latency", /key=value/],
      ["latency=fast", /whole milliseconds/],
      ["latency=80-10", /MIN <= MAX/],
      ["errors=2", /between 0 and 1/],
      ["errors=-0.1", /between 0 and 1/],
      ["errors=10%", /between 0 and 1/],
      ["after=1.5", /after is a probability between 0 and 1/],
      ["seed=x", /non-negative integer/],
      [
        "jitter=5",
        /unknown key "jitter"; expected one of latency, errors, resets, malformed, after/,
      ],
      ["errors=0.1,errors=0.2", /more than once/],
      ["errors=0.6,resets=0.5", /must not exceed 1/],
      ["ops=a||b", /operation ids/],
    ];
    for (const [spec, message] of bad) {
      expect(() => parseFaultSpec(spec), spec).toThrow(message);
      expect(() => parseFaultSpec(spec), spec).toThrow(/e\.g\. "latency=/);
    }
  });
});

describe("faults after the effect (emulator)", () => {
  /** Creates a list through raw HTTP; faults touch create_list only, so the check reads cleanly. */
  async function createList(faults: FaultOptions, name: string) {
    const emulator: Emulator = await startEmulator({
      demoData: false,
      rateLimits: false,
      faults: { ...faults, operations: ["create_list"] },
    });
    try {
      const call = api(emulator);
      const created = await call("POST", "/api/lists", {
        data: { type: "list", attributes: { name } },
      }).catch((error: unknown) => error as Error);
      const listed = await call("GET", "/api/lists");
      const names = (listed.body.data as Array<{ attributes: { name: string } }>).map(
        (list) => list.attributes.name,
      );
      return { created, exists: names.includes(name) };
    } finally {
      await emulator.close();
    }
  }

  it("answers 5xx after applying the create when afterEffectRate is 1", async () => {
    const { created, exists } = await createList(
      { errorRate: 1, afterEffectRate: 1, seed: 3 },
      "Applied",
    );
    expect(created).not.toBeInstanceOf(Error);
    expect([500, 502, 503]).toContain((created as { status: number }).status);
    expect(exists).toBe(true);
  });

  it("answers 5xx without applying the create when afterEffectRate is 0", async () => {
    const { created, exists } = await createList(
      { errorRate: 1, afterEffectRate: 0, seed: 3 },
      "Not applied",
    );
    expect([500, 502, 503]).toContain((created as { status: number }).status);
    expect(exists).toBe(false);
  });

  it("drops the connection after applying the create for a reset", async () => {
    const after = await createList({ resetRate: 1, afterEffectRate: 1, seed: 3 }, "Dropped");
    expect(after.created).toBeInstanceOf(Error);
    expect(after.exists).toBe(true);
    const before = await createList({ resetRate: 1, seed: 3 }, "Dropped");
    expect(before.created).toBeInstanceOf(Error);
    expect(before.exists).toBe(false);
  });
});
