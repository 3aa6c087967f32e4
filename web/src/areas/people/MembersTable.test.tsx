import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { components } from "../../api/schema";
import { listResponse, stubApi } from "../../test/api";
import { renderPage, signedInClient } from "../../test/render";
import { MembersTable } from "./MembersTable";

const ORG = "00000000-0000-4000-8000-00000000b001";
type Member = components["schemas"]["Member"];

const member = (overrides: Partial<Member>): Member => ({
  userId: "00000000-0000-4000-8000-0000000000a1",
  email: "ada@example.org",
  firstName: "Ada",
  lastName: "Open",
  fullName: "Ada Open",
  avatarUrl: null,
  accountStatus: "active",
  status: "active",
  title: null,
  employeeId: null,
  managerUserId: null,
  hireDate: null,
  location: null,
  department: null,
  teams: [],
  roles: [],
  source: "manual",
  joinedAt: "2026-01-05T09:00:00.000Z",
  lastLoginAt: null,
  restricted: false,
  ...overrides,
});

beforeEach(() => {
  stubApi((url) =>
    url.pathname === `/api/v1/organizations/${ORG}/members`
      ? listResponse([
          member({}),
          member({
            userId: "00000000-0000-4000-8000-0000000000a2",
            fullName: "Bo Kept",
            email: "bo@example.org",
            restricted: true,
          }),
        ])
      : undefined,
  );
});

describe("the members table", () => {
  it("marks a member whose processing is restricted", async () => {
    const client = signedInClient(ORG, ["members:read:organization"]);
    renderPage(
      <MembersTable
        orgId={ORG}
        filters={{ page: 1, search: "", status: null }}
        onPage={() => {}}
      />,
      { namespaces: ["people"], client },
    );
    const table = await screen.findByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).queryByText("Processing restricted")).toBeNull();
    expect(within(rows[1]!).getByText("Processing restricted")).toBeTruthy();
  });
});
