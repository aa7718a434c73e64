/** The per-type rules of web feeds, universal content, forms and the tracking setting. */
import { describe, expect, it } from "vitest";
import { useDemo } from "./handlers/demo.js";

const demo = useDemo();

describe("web feeds", () => {
  it("need a name, an http(s) URL, a method and a content type; start out ok", async () => {
    const create = (attributes: Record<string, unknown>) =>
      demo.call("POST", "/api/web-feeds", demo.body("web-feed", attributes));
    const feed = {
      name: "Weather",
      url: "https://feeds.example.com/weather.json",
      request_method: "get",
      content_type: "json",
    };
    const created = await create(feed);
    expect(created.status).toBe(201);
    expect(created.body.data.attributes).toMatchObject({ ...feed, status: "ok" });
    const badMethod = await create({ ...feed, request_method: "put" });
    expect(badMethod.body.errors[0].source.pointer).toBe("/data/attributes/request_method");
    const badUrl = await create({ ...feed, url: "ftp://feeds.example.com" });
    expect(badUrl.body.errors[0].source.pointer).toBe("/data/attributes/url");

    const id = created.body.data.id;
    const renamed = await demo.call(
      "PATCH",
      `/api/web-feeds/${id}`,
      demo.body("web-feed", { content_type: "xml" }, { id }),
    );
    expect(renamed.body.data.attributes).toMatchObject({ name: "Weather", content_type: "xml" });
    const listed = await demo.call(
      "GET",
      `/api/web-feeds?filter=${encodeURIComponent('equals(name,"Weather")')}`,
    );
    expect(listed.body.data.map((f: { id: string }) => f.id)).toEqual([id]);
  });
});

describe("universal content", () => {
  it("writes the editable block types, and marks the screenshot stale on a change", async () => {
    const text = (content: string) => ({
      content_type: "block",
      type: "text",
      data: { content, display_options: {}, styles: {} },
    });
    const created = await demo.call(
      "POST",
      "/api/template-universal-content",
      demo.body("template-universal-content", { name: "Sign-off", definition: text("<p>Bye</p>") }),
    );
    expect(created.status).toBe(201);
    expect(created.body.data.attributes).toMatchObject({
      screenshot_status: "never_generated",
      screenshot_url: "",
    });
    const id = created.body.data.id;
    const changed = await demo.call(
      "PATCH",
      `/api/template-universal-content/${id}`,
      demo.body("template-universal-content", { definition: text("<p>Later</p>") }, { id }),
    );
    expect(changed.body.data.attributes).toMatchObject({
      name: "Sign-off",
      screenshot_status: "stale",
      definition: { type: "text", data: { content: "<p>Later</p>" } },
    });
    const video = await demo.call(
      "POST",
      "/api/template-universal-content",
      demo.body("template-universal-content", {
        name: "Clip",
        definition: { content_type: "block", type: "video", data: null },
      }),
    );
    expect(video.status).toBe(400);
    expect(video.body.errors[0].source.pointer).toBe("/data/attributes/definition/type");
  });
});

describe("forms", () => {
  it("get a form version per version of the definition, removed with the form", async () => {
    const created = await demo.call(
      "POST",
      "/api/forms",
      demo.body("form", {
        name: "Guide signup",
        status: "draft",
        ab_test: false,
        definition: {
          versions: [
            { name: "A", type: "popup", status: "draft", steps: [] },
            { name: "B", type: "flyout", status: "draft", steps: [] },
          ],
        },
      }),
    );
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    const versions = await demo.call("GET", `/api/forms/${id}/form-versions`);
    expect(
      versions.body.data.map((v: { attributes: Record<string, unknown> }) => [
        v.attributes.variation_name,
        v.attributes.form_type,
      ]),
    ).toEqual([
      ["A", "popup"],
      ["B", "flyout"],
    ]);
    const versionId = versions.body.data[0].id;
    expect((await demo.call("DELETE", `/api/forms/${id}`)).status).toBe(204);
    expect((await demo.call("GET", `/api/forms/${id}`)).status).toBe(404);
    expect((await demo.call("GET", `/api/form-versions/${versionId}`)).status).toBe(404);
  });
});

describe("the tracking setting", () => {
  it("is the account's, and an update keeps what it does not name", async () => {
    const account = demo.emulator.demo?.accountId as string;
    const listed = await demo.call("GET", "/api/tracking-settings");
    expect(listed.body.data.map((s: { id: string }) => s.id)).toEqual([account]);
    const updated = await demo.call(
      "PATCH",
      `/api/tracking-settings/${account}`,
      demo.body(
        "tracking-setting",
        { auto_add_parameters: false, utm_term: { campaign: { type: "static", value: "fall" } } },
        { id: account },
      ),
    );
    expect(updated.status).toBe(200);
    expect(updated.body.data.attributes).toMatchObject({
      auto_add_parameters: false,
      utm_source: listed.body.data[0].attributes.utm_source,
      utm_term: { campaign: { type: "static", value: "fall" } },
    });
    const bad = await demo.call(
      "PATCH",
      `/api/tracking-settings/${account}`,
      demo.body("tracking-setting", { utm_colour: "red" }, { id: account }),
    );
    expect(bad.status).toBe(400);
  });
});
