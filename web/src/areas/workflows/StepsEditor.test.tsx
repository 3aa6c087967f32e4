import { QueryClient } from "@tanstack/react-query";
import { fireEvent, screen, within } from "@testing-library/react";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type Me, sessionKeys } from "../../api/session";
import type { WorkflowStep } from "../../api/workflow-definitions";
import { renderPage } from "../../test/render";
import { StepsEditor } from "./StepsEditor";
import { fromStep, type StepDraft, stepOfError, toStep } from "./stepDrafts";

const ORG = "00000000-0000-4000-8000-00000000b001";

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json" },
  });
}

const page = { page: 1, limit: 50, total: 0, totalPages: 1, hasNext: false, hasPrev: false };

beforeEach(() => {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === `/api/v1/organizations/${ORG}/roles`)
        return json({
          success: true,
          data: [
            { key: "org-admin", name: "Organization administrator" },
            { key: "compliance-officer", name: "Compliance officer" },
          ],
          meta: { pagination: { ...page, total: 2 } },
        });
      if (url.pathname === `/api/v1/organizations/${ORG}/members`)
        return json({ success: true, data: [], meta: { pagination: page } });
      throw new Error(`unexpected request ${request.method} ${url.pathname}`);
    }),
  );
});

/** The editor with its state, reporting the API steps it builds after each change. */
function Editor({
  initial,
  builtin,
  errors,
  onSteps,
}: {
  initial: StepDraft[];
  builtin?: boolean;
  errors?: Record<number, string>;
  onSteps: (steps: WorkflowStep[]) => void;
}) {
  const [steps, setSteps] = useState(initial);
  return (
    <StepsEditor
      orgId={ORG}
      steps={steps}
      builtin={builtin}
      errors={errors}
      contextFields={["courseId", "source"]}
      onChange={(next) => {
        setSteps(next);
        onSteps(next.map(toStep));
      }}
    />
  );
}

async function show(props: Omit<Parameters<typeof Editor>[0], "onSteps">) {
  const built: WorkflowStep[][] = [];
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(sessionKeys.me(), {
    user: { id: "00000000-0000-4000-8000-0000000000u1", timezone: "UTC" },
    platformPermissions: [],
    memberships: [{ organization: { id: ORG, name: "Acme" }, permissions: [] }],
  } as unknown as Me);
  await renderPage(<Editor {...props} onSteps={(s) => built.push(s)} />, {
    namespaces: ["workflows", "compliance"],
    client,
  });
  return { last: () => built.at(-1) };
}

function step(number: number, type: string) {
  return screen.getByRole("listitem", { name: `Step ${number}: ${type}` });
}

function choose(scope: HTMLElement, label: string, option: string) {
  const box = within(scope).getByRole("combobox", { name: label });
  fireEvent.click(box);
  const list = document.getElementById(box.getAttribute("aria-controls") ?? "");
  if (!list) throw new Error(`no options for ${label}`);
  fireEvent.click(within(list).getByRole("option", { name: option, hidden: true }));
}

function type(scope: HTMLElement, label: string | RegExp, value: string) {
  fireEvent.change(within(scope).getByLabelText(label), { target: { value } });
}

describe("the steps editor", () => {
  it("adds steps of each kind with their fields and builds the API's steps", async () => {
    const { last } = await show({ initial: [] });
    expect(screen.getByText("No steps yet. Add the first one below.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Add notification" }));
    type(step(1, "Notification"), /^Message/, "Welcome aboard");
    fireEvent.click(screen.getByRole("button", { name: "Add wait" }));
    type(step(2, "Wait"), /^Wait \(hours\)/, "48");
    fireEvent.click(screen.getByRole("button", { name: "Add condition" }));
    const condition = step(3, "Condition");
    type(condition, /^Field/, "source");
    type(condition, "Value", "self");
    choose(condition, "When it holds, go on with", "Step 2 (Wait)");
    expect(last()).toEqual([
      { type: "notification", recipient: { kind: "subject" }, message: "Welcome aboard" },
      { type: "wait", hours: 48 },
      { type: "condition", field: "source", op: "eq", value: "self", thenStep: 1 },
    ]);
    // A test without a value sends none; "otherwise" may name the end.
    choose(condition, "Test", "is set");
    expect(within(condition).queryByRole("textbox", { name: "Value" })).toBeNull();
    choose(condition, "Otherwise go on with", "The end");
    expect(last()?.[2]).toEqual({
      type: "condition",
      field: "source",
      op: "exists",
      thenStep: 1,
      elseStep: 3,
    });
  });

  it("moves steps up and down and removes them, keeping what was entered", async () => {
    const { last } = await show({
      initial: [
        fromStep({ type: "wait", hours: 1 }),
        fromStep({ type: "notification", recipient: { kind: "manager" }, message: "Hi" }),
        fromStep({ type: "wait", hours: 3 }),
      ],
    });
    expect(
      (screen.getByRole("button", { name: "Move step 1 up" }) as HTMLButtonElement).disabled,
    ).toBe(true);
    expect(
      (screen.getByRole("button", { name: "Move step 3 down" }) as HTMLButtonElement).disabled,
    ).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Move step 2 up" }));
    expect(last()).toEqual([
      { type: "notification", recipient: { kind: "manager" }, message: "Hi" },
      { type: "wait", hours: 1 },
      { type: "wait", hours: 3 },
    ]);
    step(1, "Notification");
    fireEvent.click(screen.getByRole("button", { name: "Move step 2 down" }));
    expect(last()?.map((s) => (s.type === "wait" ? s.hours : s.type))).toEqual([
      "notification",
      3,
      1,
    ]);
    fireEvent.click(screen.getByRole("button", { name: "Remove step 1" }));
    expect(last()).toEqual([
      { type: "wait", hours: 3 },
      { type: "wait", hours: 1 },
    ]);
    expect(screen.getAllByRole("listitem")).toHaveLength(2);
  });

  it("asks an approval's approver, timeout and escalation", async () => {
    const { last } = await show({ initial: [] });
    fireEvent.click(screen.getByRole("button", { name: "Add approval" }));
    const approval = step(1, "Approval");
    await within(approval).findByRole("combobox", { name: "Approver role" });
    await screen.findByRole("option", { name: "Compliance officer", hidden: true });
    choose(approval, "Approver role", "Compliance officer");
    type(approval, /^Decide within/, "24");
    choose(approval, "Escalate to", "The person's manager");
    choose(approval, "When time runs out", "Decline");
    expect(last()).toEqual([
      {
        type: "approval",
        approver: { kind: "role", role: "compliance-officer" },
        timeoutHours: 24,
        escalateTo: { kind: "manager" },
        onTimeout: "reject",
      },
    ]);
    // Another type keeps the entered approval, which comes back when switched back.
    choose(approval, "Step type", "Training assignment");
    expect(
      within(step(1, "Training assignment")).getByRole("combobox", { name: /^Course/ }),
    ).toBeTruthy();
    choose(step(1, "Training assignment"), "Step type", "Approval");
    expect(last()?.[0]).toMatchObject({ approver: { kind: "role", role: "compliance-officer" } });
  });

  it("offers a built-in approval only its approver, timeout and escalation", async () => {
    const { last } = await show({
      builtin: true,
      initial: [
        fromStep({
          type: "approval",
          approver: { kind: "role", role: "compliance-officer" },
          timeoutHours: 72,
          escalateTo: { kind: "role", role: "org-admin" },
        }),
      ],
    });
    const approval = step(1, "Approval");
    expect(screen.queryByRole("button", { name: /^Add / })).toBeNull();
    expect(screen.queryByRole("button", { name: "Remove step 1" })).toBeNull();
    expect(within(approval).queryByRole("combobox", { name: "Step type" })).toBeNull();
    type(approval, /^Decide within/, "48");
    choose(approval, "Approver", "The person's manager");
    expect(last()).toEqual([
      {
        type: "approval",
        approver: { kind: "manager" },
        timeoutHours: 48,
        escalateTo: { kind: "role", role: "org-admin" },
      },
    ]);
  });

  it("shows the enrollment approval's course team and lets it be chosen again", async () => {
    const { last } = await show({
      builtin: true,
      initial: [
        fromStep({
          type: "approval",
          approver: { kind: "course-team" },
          timeoutHours: 168,
          escalateTo: { kind: "role", role: "org-admin" },
        }),
      ],
    });
    const approval = step(1, "Approval");
    expect(within(approval).getByRole("combobox", { name: "Approver" })).toHaveProperty(
      "value",
      "The course's instructor and staff",
    );
    choose(approval, "Approver", "The person's manager");
    choose(approval, "Approver", "The course's instructor and staff");
    expect(last()).toEqual([
      {
        type: "approval",
        approver: { kind: "course-team" },
        timeoutHours: 168,
        escalateTo: { kind: "role", role: "org-admin" },
      },
    ]);
  });

  it("keeps a condition pointing at the same steps when steps move or go", async () => {
    const { last } = await show({
      initial: [
        fromStep({ type: "condition", field: "score", op: "gte", value: "80", thenStep: 2 }),
        fromStep({ type: "wait", hours: 1 }),
        fromStep({ type: "notification", recipient: { kind: "subject" }, message: "Well done" }),
        fromStep({ type: "wait", hours: 2 }),
      ],
    });
    fireEvent.click(screen.getByRole("button", { name: "Move step 3 down" }));
    expect(last()?.[0]).toMatchObject({ thenStep: 3 });
    expect(last()?.[3]).toMatchObject({ type: "notification" });
    fireEvent.click(screen.getByRole("button", { name: "Remove step 2" }));
    expect(last()?.[0]).toMatchObject({ thenStep: 2 });
    expect(last()?.[2]).toMatchObject({ type: "notification" });
    expect(
      within(step(1, "Condition")).getByRole("combobox", { name: /^When it holds/ }),
    ).toHaveProperty("value", "Step 3 (Notification)");
  });

  it("shows the server's message on the step it names", async () => {
    await show({
      initial: [fromStep({ type: "wait", hours: 1 }), fromStep({ type: "wait", hours: 2 })],
      errors: { 1: "Step 2 (wait): hours too long" },
    });
    expect(within(step(2, "Wait")).getByRole("alert").textContent).toBe(
      "Step 2 (wait): hours too long",
    );
    expect(within(step(1, "Wait")).queryByRole("alert")).toBeNull();
    expect(stepOfError("steps.4.recipient.userId")).toBe(4);
    expect(stepOfError("name")).toBeNull();
  });
});
