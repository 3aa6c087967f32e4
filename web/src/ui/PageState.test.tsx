import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { renderPage } from "../test/render";
import { EmptyState } from "./EmptyState";
import { PageState } from "./PageState";

function Courses({ load }: { load: () => Promise<string[]> }) {
  const query: UseQueryResult<string[]> = useQuery({ queryKey: ["courses"], queryFn: load });
  return (
    <PageState
      query={query}
      pending={<p>Skeleton of the list</p>}
      isEmpty={(list) => list.length === 0}
      empty={<EmptyState title="No courses yet" reason="Nothing is published." />}
    >
      {(list) => (
        <ul>
          {list.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      )}
    </PageState>
  );
}

describe("PageState", () => {
  it("shows the skeleton while pending, then the data", async () => {
    let resolve: (v: string[]) => void = () => {};
    await renderPage(<Courses load={() => new Promise((r) => (resolve = r))} />);
    expect(screen.getByText("Skeleton of the list")).toBeTruthy();
    resolve(["Orbital Mechanics", "Bridge Design"]);
    expect(await screen.findAllByRole("listitem")).toHaveLength(2);
    expect(screen.queryByText("Skeleton of the list")).toBeNull();
  });

  it("shows the empty state when the data is empty", async () => {
    await renderPage(<Courses load={async () => []} />);
    expect(await screen.findByText("No courses yet")).toBeTruthy();
    expect(screen.queryByRole("list")).toBeNull();
  });

  it("shows an API error with its message and request id, and retries on request", async () => {
    let calls = 0;
    const load = async () => {
      calls++;
      if (calls === 1) {
        throw new ApiError(503, "SERVICE_UNAVAILABLE", "The database is busy.", null, "req-42");
      }
      return ["Orbital Mechanics"];
    };
    await renderPage(<Courses load={load} />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The database is busy.");
    expect(alert.textContent).toContain("req-42");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.getByText("Orbital Mechanics")).toBeTruthy());
    expect(calls).toBe(2);
  });

  it("translates a known error code in German, else keeps the server's message", async () => {
    await renderPage(
      <Courses
        load={async () => {
          throw new ApiError(409, "ALREADY_ENROLLED", "You are already enrolled.");
        }}
      />,
      { language: "de" },
    );
    expect((await screen.findByRole("alert")).textContent).toContain(
      "Sie sind in diesen Kurs schon eingeschrieben.",
    );
  });
});
