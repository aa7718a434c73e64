/**
 * upload_image_from_file through the MCP client and the sandbox emulator: file_path reads only
 * whole images inside KLAVIYO_UPLOAD_DIRS (real files, real symlinks in a temp dir), and every
 * refusal reads the same; file_base64 gets the specific reason. Last, the multipart request it
 * builds, recorded through executeTool.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../../src/config.js";
import { createLogger } from "../../../../src/logger.js";
import { startRuntime } from "../../../../src/runtime.js";
import { GIF, JPEG, PNG_SIGNATURE, png } from "../../../support/images.js";
import { recordingSender, runTool } from "../../../support/recording-sender.js";
import {
  resultText,
  type SandboxSession,
  startSandboxSession,
} from "../../../support/sandbox-client.js";

const root = realpathSync(mkdtempSync(join(tmpdir(), "klaviyo-upload-")));
const uploads = join(root, "up");
const outside = join(root, "private");
const prefixTwin = join(root, "up-secrets"); // shares the allowed directory's name as a prefix

beforeAll(() => {
  for (const dir of [uploads, outside, prefixTwin, join(uploads, "folder.png")]) mkdirSync(dir);
  writeFileSync(join(uploads, "logo.png"), png({ width: 16, height: 16 }));
  writeFileSync(join(uploads, "photo.jpg"), JPEG);
  writeFileSync(join(uploads, "anim.gif"), GIF);
  writeFileSync(join(outside, "secret.png"), png());
  writeFileSync(join(prefixTwin, "key.png"), png());
  symlinkSync(join(outside, "secret.png"), join(uploads, "link.png"));
  symlinkSync(outside, join(uploads, "linked-dir"));
  symlinkSync(join(uploads, "logo.png"), join(uploads, "alias.png"));
  writeFileSync(join(uploads, "fake.png"), Buffer.concat([PNG_SIGNATURE, Buffer.from("x=1\n")]));
  writeFileSync(join(uploads, "cut.jpg"), JPEG.subarray(0, JPEG.length - 40));
  writeFileSync(join(uploads, "cut.gif"), GIF.subarray(0, GIF.length - 5));
  writeFileSync(join(uploads, "notes.txt"), "not an image\n");
  writeFileSync(join(uploads, "big.png"), Buffer.concat([png(), Buffer.alloc(5 * 1024 * 1024)]));
  execFileSync("mkfifo", [join(uploads, "pipe.png")]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Uploads are limited to 3 a second: lifted here, the limits are not what is tested. */
const FAST = { rateLimits: false, demoData: false };

const upload = async (session: SandboxSession, args: Record<string, unknown>) => {
  const result = await session.client.callTool({ name: "upload_image_from_file", arguments: args });
  return { isError: result.isError === true, text: resultText(result) };
};

describe("file_path inside KLAVIYO_UPLOAD_DIRS", () => {
  let session: SandboxSession;
  beforeAll(async () => {
    session = await startSandboxSession(
      FAST,
      { throttle: false },
      { allowFilePaths: true, uploadDirs: [uploads] },
    );
  });
  afterAll(() => session.close());

  it("uploads whole PNG, JPEG and GIF images to the emulator", async () => {
    const before = session.emulator.store.count("image");
    for (const [name, format] of [
      ["logo.png", "png"],
      ["photo.jpg", "jpeg"],
      ["anim.gif", "gif"],
      ["alias.png", "png"], // a symlink that stays inside is fine
    ]) {
      const result = await upload(session, { file_path: join(uploads, name as string) });
      expect(result.isError, result.text).toBe(false);
      const stored = session.emulator.store.all("image").at(-1);
      expect(stored?.attributes).toMatchObject({ name, format });
    }
    expect(session.emulator.store.count("image")).toBe(before + 4);
  });

  it("refuses, with one identical message, every file it may not read or that is not a whole image", async () => {
    const before = session.emulator.store.count("image");
    const refused = {
      outside: join(outside, "secret.png"),
      "symlink inside pointing outside": join(uploads, "link.png"),
      "path through a symlinked directory": join(uploads, "linked-dir", "secret.png"),
      "dot-dot out of the directory": join(uploads, "..", "private", "secret.png"),
      "directory-name prefix": join(prefixTwin, "key.png"),
      "the allowed directory itself": uploads,
      relative: "up/logo.png",
      missing: join(uploads, "missing.png"),
      "not an image": join(uploads, "notes.txt"),
      "PNG header, then text": join(uploads, "fake.png"),
      "truncated JPEG": join(uploads, "cut.jpg"),
      "truncated GIF": join(uploads, "cut.gif"),
      "over 5 MB": join(uploads, "big.png"),
      directory: join(uploads, "folder.png"),
      "named pipe (must not hang)": join(uploads, "pipe.png"),
      "system file": "/etc/passwd",
    };
    const answers: Record<string, string> = {};
    for (const [why, path] of Object.entries(refused)) {
      const result = await upload(session, { file_path: path });
      answers[why] = result.isError ? JSON.parse(result.text).issues[0].message : "UPLOADED";
    }
    const refusal = `file_path must be the absolute path of a JPEG, PNG or GIF image of at most 5 MB inside KLAVIYO_UPLOAD_DIRS (${uploads}). Otherwise send the image as file_base64.`;
    expect(answers).toEqual(Object.fromEntries(Object.keys(refused).map((why) => [why, refusal])));
    expect(session.emulator.store.count("image")).toBe(before);
  });
});

describe("file_path without KLAVIYO_UPLOAD_DIRS, or over HTTP", () => {
  it("is off over stdio when no directory is configured (the default)", async () => {
    const session = await startSandboxSession(FAST, { throttle: false }, { allowFilePaths: true });
    try {
      const result = await upload(session, { file_path: join(uploads, "logo.png") });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(
        /no KLAVIYO_UPLOAD_DIRS are configured\. Send the image as file_base64/,
      );
      expect(
        session.emulator.store.all("image").some((i) => i.attributes.name === "logo.png"),
      ).toBe(false);
    } finally {
      await session.close();
    }
  });

  it("stays refused over HTTP whatever the setting", async () => {
    const session = await startSandboxSession(
      FAST,
      { throttle: false },
      { allowFilePaths: false, uploadDirs: [uploads] },
    );
    try {
      const result = await upload(session, { file_path: join(uploads, "logo.png") });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/does not read local files; send the image as file_base64/);
    } finally {
      await session.close();
    }
  });
});

describe("KLAVIYO_UPLOAD_DIRS from the configuration", () => {
  it("reaches the tool over the stdio runtime, given through a symlink", async () => {
    const viaLink = join(root, "uploads-link");
    symlinkSync(uploads, viaLink);
    const { config } = loadConfig(["--sandbox"], { KLAVIYO_UPLOAD_DIRS: viaLink });
    expect(config.uploadDirs).toEqual([uploads]);
    const runtime = await startRuntime(config, createLogger("silent"));
    const own = runtime.accounts.own;
    if (!own) throw new Error("no account");
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = runtime.serverFor(own, { allowFilePaths: true });
    await server.connect(serverSide);
    const client = new Client({ name: "upload-test", version: "1.0.0" });
    await client.connect(clientSide);
    try {
      const call = (file_path: string) =>
        client.callTool({ name: "upload_image_from_file", arguments: { file_path } });
      const inside = await call(join(viaLink, "photo.jpg"));
      expect(inside.isError, resultText(inside)).toBeFalsy();
      const sibling = await call(join(outside, "secret.png"));
      expect(sibling.isError).toBe(true);
      expect(resultText(sibling)).toContain(`inside KLAVIYO_UPLOAD_DIRS (${uploads})`);
    } finally {
      await client.close();
      await runtime.close();
    }
  });

  it("must list absolute, existing directories", () => {
    const invalid = (value: string) => () => loadConfig([], { KLAVIYO_UPLOAD_DIRS: value });
    expect(invalid("up")).toThrow(
      /KLAVIYO_UPLOAD_DIRS \(--upload-dirs\): 'up' is not an absolute path/,
    );
    expect(invalid(join(root, "nope"))).toThrow(/does not exist/);
    expect(invalid(join(uploads, "logo.png"))).toThrow(/is not a directory/);
    expect(() => loadConfig(["--http", "--upload-dirs", uploads], {})).toThrow(
      /--upload-dirs is for stdio: over HTTP, file_path is always refused/,
    );
  });
});

describe("the refusal's reason", () => {
  it("goes to the debug log only, never to the model or the info log", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    for (const level of ["info", "debug"]) {
      const session = await startSandboxSession(
        FAST,
        { throttle: false },
        {
          allowFilePaths: true,
          uploadDirs: [uploads],
          logger: createLogger(level, sink),
        },
      );
      try {
        await upload(session, { file_path: join(uploads, "missing.png") });
      } finally {
        await session.close();
      }
    }
    const refusals = lines.filter((line) => line.includes("file_path refused"));
    expect(refusals).toHaveLength(1);
    expect(JSON.parse(refusals[0] as string)).toMatchObject({ level: 20, reason: "ENOENT" });
  });
});

describe("file_base64", () => {
  let session: SandboxSession;
  beforeAll(async () => {
    session = await startSandboxSession(FAST, { throttle: false }, { allowFilePaths: false });
  });
  afterAll(() => session.close());

  it("uploads a whole image, typed from its content (also as a data URL)", async () => {
    const jpeg = await upload(session, { file_base64: JPEG.toString("base64"), name: "photo" });
    expect(jpeg.isError, jpeg.text).toBe(false);
    expect(session.emulator.store.all("image").at(-1)?.attributes).toMatchObject({
      name: "photo",
      format: "jpeg",
    });
    const dataUrl = `data:image/gif;base64,${GIF.toString("base64")}`;
    const gif = await upload(session, { file_base64: dataUrl, hidden: true });
    expect(gif.isError, gif.text).toBe(false);
    expect(session.emulator.store.all("image").at(-1)?.attributes).toMatchObject({
      name: "upload.gif",
      hidden: true,
    });
  });

  it("says exactly what is wrong with the caller's own bytes, and sends nothing", async () => {
    const before = session.emulator.store.count("image");
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /exactly one of file_path or file_base64/],
      [{ file_path: "/x.png", file_base64: "AAAA" }, /exactly one/],
      [{ file_base64: "not base64!!" }, /not valid base64/],
      [
        { file_base64: Buffer.from("plain text").toString("base64") },
        /not a JPEG, PNG or GIF image/,
      ],
      [
        {
          file_base64: Buffer.concat([PNG_SIGNATURE, Buffer.from("hidden payload")]).toString(
            "base64",
          ),
        },
        /starts as a PNG image but is not a valid one: .*does not start a PNG chunk/,
      ],
      [
        { file_base64: JPEG.subarray(0, JPEG.length - 2).toString("base64") },
        /starts as a JPEG image but is not a valid one: .*without EOI/,
      ],
      [{ file_base64: Buffer.alloc(5 * 1024 * 1024 + 1).toString("base64") }, /at most 5 MB/],
    ];
    for (const [args, message] of cases) {
      const result = await upload(session, args);
      expect(result.isError, JSON.stringify(args).slice(0, 80)).toBe(true);
      expect(result.text).toMatch(message);
    }
    expect(session.emulator.store.count("image")).toBe(before);
  });
});

describe("the multipart request", () => {
  const created = () => ({ status: 201, headers: {}, body: { data: { type: "image", id: "I1" } } });
  const PIXEL = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  );

  it("sends base64 content (also as a data URL) as a multipart file", async () => {
    const { client, sent } = recordingSender(created);
    const b64 = `data:image/png;base64,${PIXEL.toString("base64")}`;
    const result = await runTool(
      "upload_image_from_file",
      { file_base64: b64, name: "logo", hidden: true },
      client,
    );
    expect(result.isError).toBeFalsy();
    const body = sent[0]?.body;
    expect(body?.kind).toBe("multipart");
    const form = (body as { form: FormData }).form;
    const file = form.get("file") as File;
    expect(file.type).toBe("image/png");
    expect(file.name).toBe("upload.png");
    expect(Buffer.from(await file.arrayBuffer()).equals(PIXEL)).toBe(true);
    expect(form.get("name")).toBe("logo");
    expect(form.get("hidden")).toBe("true");
  });

  it("refuses local paths when the transport does not allow them", async () => {
    const { client, sent } = recordingSender(created);
    const result = await runTool(
      "upload_image_from_file",
      { file_path: "/etc/hostname" },
      client,
      false,
    );
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/file_base64/);
    expect(sent).toHaveLength(0);
  });
});
