import { QueryClient } from "@tanstack/react-query";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type Me, sessionKeys } from "../../api/session";
import { renderPage } from "../../test/render";
import { TemplatesEditor } from "./TemplatesEditor";

const ORG = "00000000-0000-4000-8000-00000000o001";
const ME = "00000000-0000-4000-8000-0000000000u1";
const OTHER = "00000000-0000-4000-8000-0000000000u2";

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

const base = {
  organizationId: ORG,
  type: "course-completed",
  channel: "email",
  language: "en",
  submittedAt: "2026-03-02T09:00:00.000Z",
  approvedBy: null,
  approvedAt: null,
  rejectedBy: null,
  rejectedAt: null,
  rejectionReason: null,
  retiredAt: null,
  createdAt: "2026-03-02T09:00:00.000Z",
  updatedAt: "2026-03-02T09:00:00.000Z",
  status: "pending-approval",
};
const mine = {
  ...base,
  id: "00000000-0000-4000-8000-0000000000t2",
  version: 2,
  subject: "Mine: {{courseTitle}}",
  body: "Written by me",
  createdBy: ME,
  submittedBy: ME,
};
const theirs = {
  ...base,
  id: "00000000-0000-4000-8000-0000000000t1",
  version: 1,
  subject: "Theirs",
  body: "Written by someone else",
  createdBy: OTHER,
  submittedBy: OTHER,
};
const draft = {
  ...base,
  id: "00000000-0000-4000-8000-0000000000t3",
  version: 3,
  status: "draft",
  submittedAt: null,
  subject: "Draft: {{courseTitle}}",
  body: "Half written",
  createdBy: ME,
  submittedBy: null,
};
const previews: Array<{ subject: string; body: string }> = [];
const sent: Array<{ method: string; path: string; body: unknown }> = [];
let versions: unknown[] = [];

function answer(request: Request): Response | Promise<Response> {
  const url = new URL(request.url);
  if (request.method === "PATCH" && url.pathname === `/api/v1/notification-templates/${draft.id}`)
    return request.json().then((body: { subject: string; body: string }) => {
      sent.push({ method: "PATCH", path: url.pathname, body });
      return json({ success: true, data: { ...draft, ...body } });
    });
  switch (url.pathname) {
    case "/api/v1/notification-types":
      return json({
        success: true,
        data: [
          {
            type: "course-completed",
            description: "A course was completed",
            emailByDefault: true,
            variables: [
              { name: "firstName", description: "The recipient's first name" },
              { name: "courseTitle", description: "The course's title" },
            ],
            builtin: [
              {
                channel: "email",
                language: "en",
                subject: "You completed {{courseTitle}}",
                body: "Well done!",
              },
            ],
          },
        ],
      });
    case `/api/v1/organizations/${ORG}/notification-templates`:
      return json({ success: true, data: versions });
    case `/api/v1/organizations/${ORG}/notification-templates/effective`:
      return json({
        success: true,
        data: [
          {
            type: "course-completed",
            channel: "email",
            language: "en",
            source: "built-in",
            templateId: null,
            version: 0,
            subject: "You completed {{courseTitle}}",
            body: "Well done!",
          },
        ],
      });
    case `/api/v1/organizations/${ORG}/notification-templates/preview`:
      return request.json().then((body: { subject: string; body: string }) => {
        previews.push(body);
        if (body.body.includes("{{score}}"))
          return json(
            {
              success: false,
              error: {
                code: "VALIDATION_ERROR",
                message: "Unknown variable {{score}} in body",
                field: "body",
              },
            },
            400,
          );
        return json({
          success: true,
          data: {
            subject: body.subject.replace("{{courseTitle}}", "[courseTitle]"),
            body: body.body,
            html: null,
            values: {},
          },
        });
      });
  }
  throw new Error(`unexpected request ${request.method} ${url.pathname}`);
}

beforeEach(() => {
  previews.length = 0;
  sent.length = 0;
  versions = [mine, theirs];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => answer(input)),
  );
});

async function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(sessionKeys.me(), { user: { id: ME, timezone: "UTC" } } as unknown as Me);
  return renderPage(<TemplatesEditor scope={{ orgId: ORG }} />, {
    namespaces: ["notificationTemplates"],
    client,
  });
}

describe("the notification templates editor", () => {
  it("starts from the open version, previews it, and shows an unknown variable at its field", async () => {
    await show();
    const subject = (await screen.findByRole("textbox", { name: /^Subject/ })) as HTMLInputElement;
    expect(subject.value).toBe("Mine: {{courseTitle}}");
    expect(screen.getByText("{{courseTitle}}")).toBeTruthy();
    const preview = await screen.findByTestId("template-preview", {}, { timeout: 3000 });
    expect(within(preview).getByText("Mine: [courseTitle]")).toBeTruthy();

    const body = screen.getByRole("textbox", { name: /^Text/ });
    fireEvent.change(body, { target: { value: "You scored {{score}}" } });
    await waitFor(() => expect(body.getAttribute("aria-invalid")).toBe("true"), { timeout: 3000 });
    expect(screen.getByText("Unknown variable {{score}} in body")).toBeTruthy();
    expect(previews.at(-1)?.body).toBe("You scored {{score}}");
  });

  it("offers approval only of someone else's version, and says why not for one's own", async () => {
    await show();
    const own = (await screen.findByRole("heading", { name: "Version 2" })).closest("li");
    const other = screen.getByRole("heading", { name: "Version 1" }).closest("li");
    expect(own && within(own).queryByRole("button", { name: "Approve Version 2" })).toBeNull();
    expect(
      own && within(own).getByText(/You wrote this version, so you cannot approve it/),
    ).toBeTruthy();
    expect(other && within(other).getByRole("button", { name: "Approve Version 1" })).toBeTruthy();
    expect(screen.getAllByText("Waiting for approval")).toHaveLength(2);
  });

  it("edits a draft in place, prefilled with its texts and previewed", async () => {
    versions = [draft, mine, theirs];
    await show();
    const item = (await screen.findByRole("heading", { name: "Version 3" })).closest("li");
    if (!item) throw new Error("no version 3");
    const submitted = screen.getByRole("heading", { name: "Version 2" }).closest("li");
    expect(submitted && within(submitted).queryByRole("button", { name: /^Edit/ })).toBeNull();
    fireEvent.click(within(item).getByRole("button", { name: "Edit Version 3" }));

    const form = await screen.findByRole("region", { name: "Edit draft version 3" });
    expect(within(item).getByRole("button", { name: "Editing Version 3 above" })).toHaveProperty(
      "disabled",
      true,
    );
    const subject = within(form).getByRole("textbox", { name: /^Subject/ }) as HTMLInputElement;
    const body = within(form).getByRole("textbox", { name: /^Text/ }) as HTMLTextAreaElement;
    expect([subject.value, body.value]).toEqual(["Draft: {{courseTitle}}", "Half written"]);
    fireEvent.change(body, { target: { value: "Fully written" } });
    const preview = await screen.findByTestId("template-preview", {}, { timeout: 3000 });
    await waitFor(() => expect(within(preview).getByText("Fully written")).toBeTruthy(), {
      timeout: 3000,
    });
    expect(within(preview).getByText("Draft: [courseTitle]")).toBeTruthy();

    fireEvent.click(within(form).getByRole("button", { name: "Save draft" }));
    await within(form).findByText("Version 3 saved as a draft.");
    expect(sent).toEqual([
      {
        method: "PATCH",
        path: `/api/v1/notification-templates/${draft.id}`,
        body: { subject: "Draft: {{courseTitle}}", body: "Fully written" },
      },
    ]);

    fireEvent.click(within(form).getByRole("button", { name: "Stop editing" }));
    expect(await screen.findByRole("region", { name: "Write a new version" })).toBeTruthy();
  });
});
