import { QueryClient } from "@tanstack/react-query";
import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Cohort } from "../../api/cohorts";
import type { EnrollmentView } from "../../api/learner";
import { type Me, sessionKeys } from "../../api/session";
import { enrollmentView } from "../../test/enrollments";
import { renderPage } from "../../test/render";
import { RosterPanel } from "./RosterPanel";

const COURSE = "00000000-0000-4000-8000-00000000c001";
const COHORT = "00000000-0000-4000-8000-00000000h001";

const entry = (overrides: Partial<EnrollmentView>) =>
  enrollmentView({
    courseId: COURSE,
    cohortId: COHORT,
    learner: { name: "Ada Open", email: "ada@example.org" },
    ...overrides,
  });

const ROWS = [
  entry({}),
  entry({
    learner: { name: "Lea Private", email: "lea@example.org" },
    timeSpentSeconds: null,
    activityHidden: true,
  }),
  entry({
    learner: { name: null, email: null },
    timeSpentSeconds: null,
    restricted: true,
    activityHidden: true,
  }),
];

beforeEach(() => {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === `/api/v1/courses/${COURSE}/enrollments`)
        return new Response(
          JSON.stringify({
            success: true,
            data: ROWS,
            meta: {
              pagination: {
                page: 1,
                limit: 50,
                total: 3,
                totalPages: 1,
                hasNext: false,
                hasPrev: false,
              },
            },
          }),
          { headers: { "content-type": "application/json" } },
        );
      throw new Error(`unexpected request ${request.method} ${url.pathname}`);
    }),
  );
});

async function show(language: "en" | "de" = "en") {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const me = { user: { id: "00000000-0000-4000-8000-0000000000i1", timezone: "UTC" } };
  client.setQueryData(sessionKeys.me(), me as unknown as Me);
  const cohort = { id: COHORT, courseId: COURSE } as unknown as Cohort;
  return renderPage(<RosterPanel cohort={cohort} />, {
    namespaces: ["cohorts"],
    client,
    language,
  });
}

describe("a cohort's roster", () => {
  it("names a restricted learner as such and says what a learner keeps hidden, instead of blanks", async () => {
    await show();
    const table = await screen.findByRole("table", { name: "Roster" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]!).getByText("Ada Open")).toBeTruthy();
    expect(within(rows[0]!).getByText("Not yet")).toBeTruthy();
    expect(within(rows[1]!).getByText("Lea Private")).toBeTruthy();
    expect(within(rows[1]!).getByText("Hidden by the learner")).toBeTruthy();
    expect(within(rows[2]!).getByText("Restricted person")).toBeTruthy();
    expect(
      within(rows[2]!).getByText("Details withheld while a data request restricts processing"),
    ).toBeTruthy();
    expect(within(rows[2]!).queryByText("null")).toBeNull();
  });

  it("says the same in German", async () => {
    await show("de");
    const rows = (await screen.findAllByRole("row")).slice(1);
    expect(within(rows[1]!).getByText("Von der lernenden Person verborgen")).toBeTruthy();
    expect(within(rows[2]!).getByText("Eingeschränkte Person")).toBeTruthy();
  });
});
