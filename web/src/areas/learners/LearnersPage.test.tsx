import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { LearnerSummary } from "../../api/learners";
import { listResponse, stubApi } from "../../test/api";
import { renderPage, signedInClient } from "../../test/render";
import { LearnersPage } from "./LearnersPage";

const ORG = "00000000-0000-4000-8000-00000000b001";

const learner = (overrides: Partial<LearnerSummary>): LearnerSummary => ({
  userId: "00000000-0000-4000-8000-0000000000a1",
  restricted: false,
  name: "Ada Open",
  email: "ada@example.org",
  department: null,
  enrollments: 2,
  completed: 1,
  averageProgress: 50,
  overdue: 0,
  compliance: { required: 0, overdue: 0 },
  averageScore: 80,
  certificates: 1,
  ...overrides,
});

const ROWS = [
  learner({}),
  learner({
    userId: "00000000-0000-4000-8000-0000000000a2",
    name: "Lea Private",
    email: "lea@example.org",
    averageScore: null,
    certificates: null,
  }),
  learner({
    userId: "00000000-0000-4000-8000-0000000000a3",
    restricted: true,
    name: null,
    email: null,
    averageScore: null,
    certificates: null,
  }),
];

beforeEach(() => {
  stubApi((url) =>
    url.pathname === `/api/v1/organizations/${ORG}/learners` ? listResponse(ROWS) : undefined,
  );
});

async function show() {
  const client = signedInClient(ORG, ["reports:read:organization"]);
  return renderPage(<LearnersPage />, {
    namespaces: ["learners"],
    client,
    path: `/learners?org=${ORG}`,
  });
}

describe("the learners list", () => {
  it("names a restricted person as such, without a record to open, and says what a learner keeps hidden", async () => {
    await show();
    const table = await screen.findByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]!).getByRole("link", { name: "Ada Open" })).toBeTruthy();
    expect(within(rows[1]!).getByRole("link", { name: "Lea Private" })).toBeTruthy();
    expect(within(rows[1]!).getByText("Hidden by the learner")).toBeTruthy();
    expect(within(rows[2]!).getByText("Restricted person")).toBeTruthy();
    expect(within(rows[2]!).queryByRole("link")).toBeNull();
    expect(
      within(rows[2]!).getByText("Details withheld while a data request restricts processing"),
    ).toBeTruthy();
    expect(within(rows[2]!).queryByText("Hidden by the learner")).toBeNull();
  });
});
