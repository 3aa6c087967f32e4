import type { Page, Response } from "playwright-core";

/** Waits for the API answer to `path` armed before `act` runs (never a sleep). */
export async function afterResponse(
  page: Page,
  path: string,
  act: () => Promise<void>,
): Promise<Response> {
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === path);
  await act();
  return answer;
}

/** The web app as a person uses it: verbs and what they see, located by role and label. */
export class Lyceum {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(path: string): Promise<void> {
    await this.page.goto(this.baseUrl + path);
  }

  heading(name: string | RegExp) {
    return this.page.getByRole("heading", { level: 1, name });
  }

  async expectHeading(name: string | RegExp): Promise<void> {
    await this.heading(name).waitFor();
  }

  alert() {
    return this.page.getByRole("alert");
  }

  async signUp(person: { firstName: string; lastName: string; email: string; password: string }) {
    const p = this.page;
    await p.getByLabel("First name").fill(person.firstName);
    await p.getByLabel("Last name").fill(person.lastName);
    await p.getByLabel("Email").fill(person.email);
    await p.getByLabel(/^Password/).fill(person.password);
    return afterResponse(p, "/api/v1/auth/register", () =>
      p.getByRole("button", { name: "Create account" }).click(),
    );
  }

  async signIn(email: string, password: string) {
    const p = this.page;
    await p.getByLabel("Email").fill(email);
    await p.getByLabel(/^Password/).fill(password);
    return afterResponse(p, "/api/v1/auth/login", () =>
      p.getByRole("button", { name: "Sign in" }).click(),
    );
  }

  async signOut(name: string) {
    const p = this.page;
    await p.getByRole("button", { name: `Account menu for ${name}` }).click();
    return afterResponse(p, "/api/v1/auth/logout", () =>
      p.getByRole("menuitem", { name: "Sign out" }).click(),
    );
  }

  async requestReset(email: string) {
    const p = this.page;
    await p.getByLabel("Email").fill(email);
    return afterResponse(p, "/api/v1/auth/forgot-password", () =>
      p.getByRole("button", { name: "Send the link" }).click(),
    );
  }

  async resetPassword(password: string) {
    const p = this.page;
    await p.getByLabel(/^New password/).fill(password);
    await p.getByLabel(/^Repeat the new password/).fill(password);
    return afterResponse(p, "/api/v1/auth/reset-password", () =>
      p.getByRole("button", { name: "Save the new password" }).click(),
    );
  }

  /** Types into the catalog's search box and waits for the list it asks for. */
  async searchCatalog(text: string) {
    const p = this.page;
    const answer = p.waitForResponse((r) => {
      const url = new URL(r.url());
      return url.pathname === "/api/v1/courses" && url.searchParams.get("search") === text;
    });
    await p.getByLabel("Search courses").fill(text);
    return answer;
  }

  /** The catalog's course cards, by their title links. */
  courseCards() {
    return this.page.getByRole("list", { name: "Courses" }).getByRole("listitem");
  }

  async enroll() {
    const p = this.page;
    return afterResponse(p, "/api/v1/enrollments", () =>
      p.getByRole("button", { name: "Enroll" }).click(),
    );
  }

  /** Opens a lesson through the player's outline and waits for its visit to be recorded. */
  async openLesson(title: string, lessonId: string) {
    const p = this.page;
    await afterResponse(p, `/api/v1/lessons/${lessonId}/start`, () =>
      p
        .getByRole("navigation", { name: "Course outline" })
        .getByRole("link", { name: title })
        .click(),
    );
    await this.expectHeading(title);
  }

  /** Marks the open lesson complete by keyboard (the player is used without a pointer too). */
  async markLessonComplete(lessonId: string) {
    const p = this.page;
    const answer = await afterResponse(p, `/api/v1/lessons/${lessonId}/complete`, () =>
      p.getByRole("button", { name: "Mark complete" }).press("Enter"),
    );
    if (answer.ok()) await p.getByTestId("completion-state").getByText("Completed").waitFor();
    return answer;
  }

  /** The quiz's autosave status, once it says every change is stored. */
  async quizSaved() {
    await this.page
      .getByRole("status")
      .filter({ hasText: /^Saved at \d/ })
      .waitFor();
  }

  path(): string {
    const url = new URL(this.page.url());
    return url.pathname + url.search;
  }
}
