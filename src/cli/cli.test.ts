import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type DatabaseHandle } from "../db/connection.js";
import { SecretBox } from "../platform/secrets.js";

const run = promisify(execFile);
const BIN = path.resolve("bin/lyceum.js");
let dataDir: string;
let databaseUrl: string | undefined;
let dbName: string | undefined;

async function lyceum(...args: string[]) {
  return lyceumWith({}, ...args);
}

async function lyceumWith(env: Record<string, string>, ...args: string[]) {
  const { stdout, stderr } = await run("node", [BIN, ...args], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      LYCEUM_DATA_DIR: dataDir,
      LYCEUM_DEMO_PASSWORD: "Demo-Password-1!",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: "" }),
      ...env,
    },
  });
  return stdout + stderr;
}

async function open(): Promise<DatabaseHandle> {
  return databaseUrl
    ? connect({ url: databaseUrl })
    : connect({ dataDir: path.join(dataDir, "pglite") });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "lyceum-cli-"));
  if (process.env.TEST_DATABASE_URL) {
    dbName = `lyceum_cli_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName}`);
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(process.env.TEST_DATABASE_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
});

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (dbName) {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
});

describe("lyceum CLI", () => {
  it("documents every command with --help", async () => {
    const top = await lyceum("--help");
    for (const command of ["serve", "worker", "migrate", "seed", "user", "org", "secrets"])
      expect(top).toContain(command);
    expect(await lyceum("user", "create", "--help")).toContain("--email <email>");
    expect(await lyceum("org", "create", "--help")).toContain("--seats <n>");
    expect(await lyceum("seed", "--help")).toContain("--demo");
    expect(await lyceum("secrets", "--help")).toContain("reencrypt");
  });

  it("migrates with progress, then has nothing left to do", async () => {
    const first = await lyceum("migrate");
    expect(first).toMatch(/\[1\/\d+\] 20261123000100_platform_spine/);
    expect(first).toMatch(/Done: \d+ applied/);
    const second = await lyceum("migrate");
    expect(second).toContain("Done: 0 applied");
  });

  it("seeds the demo organization once and prints its logins", async () => {
    const out = await lyceum("seed", "--demo");
    expect(out).toContain("Demo-Password-1!");
    expect(out).toContain("org-admin@northwind.example");
    expect(out).toContain("admin@lyceum.local");
    const again = await lyceum("seed", "--demo");
    expect(again).toContain("already exists");
    const handle = await open();
    try {
      const org = await handle.db
        .selectFrom("organizations")
        .selectAll()
        .where("slug", "=", "northwind")
        .executeTakeFirstOrThrow();
      const members = await handle.db
        .selectFrom("organization_members")
        .select("user_id")
        .where("organization_id", "=", org.id)
        .execute();
      // One person per role, and twenty employees who also learn in the demo's Moodle and Canvas.
      expect(members).toHaveLength(32);
      const departments = await handle.db
        .selectFrom("departments")
        .select("name")
        .where("organization_id", "=", org.id)
        .execute();
      expect(departments.length).toBeGreaterThanOrEqual(3);
      const teams = await handle.db
        .selectFrom("teams")
        .select("name")
        .where("organization_id", "=", org.id)
        .execute();
      expect(teams.length).toBeGreaterThanOrEqual(2);
      const roles = await handle.db
        .selectFrom("user_roles as ur")
        .innerJoin("roles as r", "r.id", "ur.role_id")
        .select("r.key")
        .where("ur.organization_id", "=", org.id)
        .execute();
      expect(new Set(roles.map((r) => r.key)).size).toBe(12);
      const courses = await handle.db
        .selectFrom("courses")
        .select(["code", "status"])
        .where("integration_id", "is", null)
        .orderBy("code")
        .execute();
      expect(courses).toEqual([
        { code: "AI-COHORT-1", status: "published" },
        { code: "NW-LEAD-201", status: "draft" },
        { code: "NW-SAFE-101", status: "published" },
      ]);
      // The demo keeps the minimum study time rule, with a short time a newcomer can wait out.
      const video = await handle.db
        .selectFrom("lessons as l")
        .innerJoin("courses as c", "c.id", "l.course_id")
        .select(["l.title", "l.min_time_seconds"])
        .where("c.code", "=", "NW-SAFE-101")
        .where("l.content_type", "=", "video")
        .execute();
      expect(video).toEqual([{ title: "Spotting hazards", min_time_seconds: 20 }]);
      const enrollments = await handle.db
        .selectFrom("enrollments as e")
        .innerJoin("courses as c", "c.id", "e.course_id")
        .select(["c.code", "e.status"])
        .execute();
      const safety = enrollments.filter((e) => e.code === "NW-SAFE-101");
      expect(safety.map((e) => e.status).sort()).toEqual([
        "active",
        "active",
        "active",
        "active",
        "completed",
      ]);
      expect(enrollments.filter((e) => e.code === "AI-COHORT-1")).toHaveLength(3);
      // Imported from the local Moodle and Canvas when the demo was seeded.
      const integrations = await handle.db
        .selectFrom("lms_integrations as i")
        .innerJoin("integration_sync_runs as r", "r.integration_id", "i.id")
        .select(["i.lms_type", "i.base_url", "r.status", "r.created_count", "r.skipped_count"])
        .where("i.organization_id", "=", org.id)
        .orderBy("i.lms_type")
        .execute();
      expect(integrations).toEqual([
        {
          lms_type: "canvas",
          base_url: "https://canvas.northwind.example",
          status: "succeeded",
          created_count: 2 + 16,
          skipped_count: 0,
        },
        {
          lms_type: "moodle",
          base_url: "https://moodle.northwind.example",
          status: "succeeded",
          created_count: 3 + 20,
          skipped_count: 4,
        },
      ]);
      const external = await handle.db
        .selectFrom("enrollments")
        .select("id")
        .where("organization_id", "=", org.id)
        .where("source", "=", "integration")
        .execute();
      expect(external).toHaveLength(36);
      const waitlist = await handle.db.selectFrom("waitlist_entries").select("position").execute();
      expect(waitlist.map((w) => w.position).sort()).toEqual([1, 2]);
      const certificates = await handle.db.selectFrom("certificates").select("id").execute();
      expect(certificates).toHaveLength(1);
      const quizzes = await handle.db
        .selectFrom("quizzes")
        .select(["title", "kind", "is_published"])
        .orderBy("title")
        .execute();
      expect(quizzes).toEqual([
        { title: "Hazards and reporting check", kind: "knowledge-check", is_published: true },
        { title: "Safety baseline", kind: "pre-course", is_published: true },
        { title: "Safety final check", kind: "post-course", is_published: true },
      ]);
      const attempts = await handle.db
        .selectFrom("quiz_attempts")
        .select(["status", "flagged_for_review"])
        .execute();
      const tally = (status: string) => attempts.filter((a) => a.status === status).length;
      expect([tally("graded"), tally("submitted"), tally("in-progress")]).toEqual([5, 1, 1]);
      expect(attempts.filter((a) => a.flagged_for_review)).toHaveLength(1);
      const gain = await handle.db
        .selectFrom("learning_gains")
        .select(["pre_score", "post_score", "band"])
        .executeTakeFirstOrThrow();
      expect([Number(gain.pre_score), Number(gain.post_score), gain.band]).toEqual([
        50,
        100,
        "high",
      ]);
      const bank = await handle.db.selectFrom("question_bank").select("usage_count").execute();
      expect(bank).toHaveLength(9);
      const jobs = await handle.db
        .selectFrom("report_jobs")
        .select(["status", "output_format", "row_count", "file_key"])
        .orderBy("output_format")
        .execute();
      expect(jobs.map((j) => [j.status, j.output_format])).toEqual([
        ["ready", "csv"],
        ["ready", "excel"],
      ]);
      expect(existsSync(path.join(dataDir, "files", jobs[0]?.file_key as string))).toBe(true);
      const schedules = await handle.db
        .selectFrom("report_schedules")
        .select(["frequency", "next_run_at"])
        .execute();
      expect(schedules).toHaveLength(1);
      expect(schedules[0]?.next_run_at).not.toBeNull();
      const templates = await handle.db
        .selectFrom("report_templates")
        .select("is_system")
        .where("is_system", "=", false)
        .execute();
      expect(templates).toHaveLength(1);
    } finally {
      await handle.close();
    }
  });

  it("creates people and organizations", async () => {
    const person = await lyceum(
      "user",
      "create",
      "--email",
      "Grace@Example.com",
      "--first-name",
      "Grace",
      "--last-name",
      "Hopper",
    );
    expect(person).toMatch(/Created grace@example\.com/);
    expect(person).toMatch(/Password: \S+/);
    const org = await lyceum(
      "org",
      "create",
      "--name",
      "Acme Training",
      "--domain",
      "acme.example",
      "--seats",
      "25",
      "--admin-email",
      "grace@example.com",
    );
    expect(org).toContain("slug acme-training");
    const member = await lyceum(
      "user",
      "create",
      "--email",
      "alan@acme.example",
      "--first-name",
      "Alan",
      "--last-name",
      "Turing",
      "--password",
      "Enigma-Machine-1!",
      "--org",
      "acme-training",
      "--role",
      "instructor",
    );
    expect(member).not.toContain("Password:");
    const handle = await open();
    try {
      const acme = await handle.db
        .selectFrom("organizations")
        .selectAll()
        .where("slug", "=", "acme-training")
        .executeTakeFirstOrThrow();
      expect(acme.seats_purchased).toBe(25);
      expect(acme.seats_used).toBe(2);
      const domain = await handle.db
        .selectFrom("organization_domains")
        .select(["domain", "status", "verification_method"])
        .where("organization_id", "=", acme.id)
        .executeTakeFirstOrThrow();
      expect(domain).toEqual({
        domain: "acme.example",
        status: "verified",
        verification_method: "platform",
      });
      const roles = await handle.db
        .selectFrom("user_roles as ur")
        .innerJoin("roles as r", "r.id", "ur.role_id")
        .innerJoin("users as u", "u.id", "ur.user_id")
        .select(["u.email", "r.key"])
        .where("ur.organization_id", "=", acme.id)
        .execute();
      expect(roles).toEqual(
        expect.arrayContaining([
          { email: "grace@example.com", key: "org-admin" },
          { email: "alan@acme.example", key: "instructor" },
        ]),
      );
    } finally {
      await handle.close();
    }
  });

  it("fails with a clear message on bad input", async () => {
    await expect(lyceum("org", "create", "--name", "X", "--seats", "-3")).rejects.toThrow(
      /seats must be a whole number/,
    );
    await expect(
      lyceum(
        "user",
        "create",
        "--email",
        "weak@example.com",
        "--first-name",
        "W",
        "--last-name",
        "P",
        "--password",
        "short",
      ),
    ).rejects.toThrow(/password needs/);
  });
  it("re-encrypts stored credentials with the current secret after a rotation", async () => {
    const before = "the-secret-this-deployment-used-before-now";
    const current = "the-secret-this-deployment-uses-from-now-on";
    const out = await lyceumWith({ LYCEUM_SECRET: current }, "org", "create", "--name", "Rotated");
    expect(out).toContain("Created organization Rotated");
    const old = new SecretBox(before);
    const handle = await open();
    let id: string;
    try {
      const org = await handle.db
        .selectFrom("organizations")
        .select("id")
        .where("name", "=", "Rotated")
        .executeTakeFirstOrThrow();
      id = (
        await handle.db
          .insertInto("lms_integrations")
          .values({
            organization_id: org.id,
            name: "Old Moodle",
            code: "old-moodle",
            lms_type: "moodle",
            method: "api",
            auth_type: "api-token",
            base_url: "https://moodle.example.org",
            credentials_public: JSON.stringify({ kind: "api-token" }),
            credentials_sealed: "",
            credentials_key_id: old.keyId,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
      await handle.db
        .updateTable("lms_integrations")
        .set({ credentials_sealed: old.seal('{"token":"cli-token"}', `lms-integration:${id}`) })
        .where("id", "=", id)
        .execute();
      // The demo's integrations, seeded above, were sealed under a throwaway test secret that
      // no process knows any more: they take no part in this rotation.
      await handle.db
        .updateTable("lms_integrations")
        .set({ credentials_public: null, credentials_sealed: null, credentials_key_id: null })
        .where("id", "<>", id)
        .execute();
    } finally {
      await handle.close();
    }
    await expect(lyceumWith({ LYCEUM_SECRET: current }, "secrets", "reencrypt")).rejects.toThrow(
      /LYCEUM_SECRET_PREVIOUS/,
    );
    const rotated = { LYCEUM_SECRET: current, LYCEUM_SECRET_PREVIOUS: before };
    expect(await lyceumWith(rotated, "secrets", "status")).toContain(`${old.keyId}: 1 credential`);
    expect(await lyceumWith(rotated, "secrets", "reencrypt")).toContain(
      "Re-encrypted 1 stored credential",
    );
    const after = await open();
    try {
      const row = await after.db
        .selectFrom("lms_integrations")
        .select(["credentials_sealed", "credentials_key_id"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      const box = new SecretBox(current);
      expect(row.credentials_key_id).toBe(box.keyId);
      expect(box.open(row.credentials_sealed as string, `lms-integration:${id}`)).toBe(
        '{"token":"cli-token"}',
      );
    } finally {
      await after.close();
    }
  });
});

describe("lyceum audit verify", () => {
  it("seals the trail and says each chain is intact; a record changed after sealing is named and the exit is non-zero", async () => {
    const first = await lyceum("audit", "verify");
    expect(first).toMatch(/Sealed \d+ records/);
    expect(first).toMatch(/northwind: intact \(\d+ sealed records\)/);
    const handle = await open();
    let seq: number;
    try {
      const org = await handle.db
        .selectFrom("organizations")
        .select("id")
        .where("slug", "=", "northwind")
        .executeTakeFirstOrThrow();
      const row = await handle.db
        .selectFrom("audit_logs")
        .select(["id", "chain_seq"])
        .where("organization_id", "=", org.id)
        .where("chain_seq", "=", 2)
        .executeTakeFirstOrThrow();
      seq = Number(row.chain_seq);
      await handle.db
        .updateTable("audit_logs")
        .set({ after: JSON.stringify({ rewritten: true }) })
        .where("id", "=", row.id)
        .execute();
    } finally {
      await handle.close();
    }
    await expect(
      lyceum("audit", "verify", "--org", "northwind", "--no-seal"),
    ).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining(`northwind: BROKEN at record ${seq}`),
    });
    await expect(lyceum("audit", "verify", "--org", "nowhere")).rejects.toMatchObject({ code: 2 });
  }, 120_000);
});

describe("lyceum serve and worker processes", () => {
  async function runUntilReady(
    args: string[],
    readyText: string,
    env: Record<string, string> = {},
  ) {
    const { spawn } = await import("node:child_process");
    const child = spawn("node", [BIN, ...args], {
      env: {
        ...process.env,
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
        LYCEUM_DATA_DIR: dataDir,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: "" }),
        ...env,
      },
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    const started = Date.now();
    while (!output.includes(readyText)) {
      if (Date.now() - started > 60_000) throw new Error(`not ready: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { child, exited, output: () => output };
  }

  it("serves the API until SIGTERM, then stops cleanly", async () => {
    const { createServer } = await import("node:net");
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    // The web app's build is the browser tests' business (web/e2e); two suites building
    // web/dist at once would trample each other.
    const server = await runUntilReady(["serve", "--no-seed", "--no-web-build"], "API docs:", {
      PORT: String(port),
      HOST: "127.0.0.1",
    });
    const health = await fetch(`http://127.0.0.1:${port}/api/v1/ready`);
    expect(health.status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("Stopped cleanly");
  });

  it("runs a worker without the web service", async () => {
    const worker = await runUntilReady(["worker"], "running");
    expect(worker.output()).toContain("Lyceum worker, scheduler running");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });
});
