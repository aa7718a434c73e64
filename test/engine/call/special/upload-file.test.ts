/**
 * create_agent_knowledge_file_beta through its handler, against the emulator: the file and the
 * title go as a multipart form with the beta revision; a bad file costs no request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  resultText,
  type SandboxSession,
  startSandboxSession,
} from "../../../support/sandbox-client.js";

let session: SandboxSession;
beforeAll(async () => {
  session = await startSandboxSession({}, {}, { beta: true });
});
afterAll(() => session?.close());

const call = (args: Record<string, unknown>) =>
  session.client.callTool({ name: "create_agent_knowledge_file_beta", arguments: args });

describe("uploadFile", () => {
  it("sends the file and the title as a form, with the beta revision", async () => {
    const before = session.sent.length;
    const result = await call({
      title: "Returns policy",
      filename: "returns.txt",
      file_base64: Buffer.from("Returns within 30 days.").toString("base64"),
    });
    expect(result.isError, resultText(result)).toBeFalsy();
    const request = session.sent.at(-1);
    expect(session.sent.length).toBe(before + 1);
    expect(request?.revision).toBe("2026-07-15.pre");
    const body = request?.body;
    if (body?.kind !== "multipart") throw new Error("not a multipart request");
    const form = body.form;
    expect(form.get("title")).toBe("Returns policy");
    const file = form.get("file") as File;
    expect(file.name).toBe("returns.txt");
    expect(file.type).toBe("text/plain");
    expect(await file.text()).toBe("Returns within 30 days.");
    expect(JSON.parse(resultText(result)).data).toMatchObject({
      source: { title: "Returns policy" },
    });
  });

  it("refuses a file that is not base64, or empty, and sends nothing", async () => {
    const before = session.sent.length;
    const bad = await call({ title: "x", filename: "x.txt", file_base64: "not base64!" });
    expect(bad.isError).toBe(true);
    expect(resultText(bad)).toContain("file_base64 is not valid base64.");
    const empty = await call({ title: "x", filename: "x.txt", file_base64: "=" });
    expect(resultText(empty)).toContain("file_base64 decodes to an empty file.");
    expect(session.sent.length).toBe(before);
  });

  it("needs the title the form requires", async () => {
    const result = await call({ filename: "x.txt", file_base64: "eA==" });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain("title");
  });
});
