import { createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SftpFake, startSftpFake } from "../fakes/sftp-fake.js";
import {
  hostKeyFingerprint,
  isSafeFileName,
  openSftp,
  type SftpSession,
  type SftpSettings,
  testSftp,
} from "./sftp.js";
import { ConnectorError } from "./types.js";

let fake: SftpFake;
const open: SftpSession[] = [];

beforeAll(async () => {
  fake = await startSftpFake();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  for (const session of open.splice(0)) await session.close();
  fake.slow(0);
  fake.slowAuthentication(0);
  for (const dir of ["/in", "/processed", "/results"]) fake.allow(dir);
  fake.requests.length = 0;
});

async function session(overrides: Partial<SftpSettings> = {}): Promise<SftpSession> {
  const s = await openSftp(fake.settings(overrides));
  open.push(s);
  return s;
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

/** A fingerprint of the right shape that is not the fake's. */
const OTHER_FINGERPRINT = hostKeyFingerprint(Buffer.from("some other host key"));

describe("SFTP sessions against the local server", () => {
  it("lists importable files oldest first, reads one, writes its result and moves it aside", async () => {
    fake.put(
      "/in/b-enrollments.csv",
      "email,course\nada@example.org,C001\n",
      new Date("2026-12-01T10:00:00Z"),
    );
    fake.put(
      "/in/a-enrollments.xlsx",
      Buffer.from([0x50, 0x4b, 3, 4]),
      new Date("2026-12-02T10:00:00Z"),
    );
    fake.put("/in/notes.txt", "not an import", new Date("2026-11-01T10:00:00Z"));
    fake.put("/in/.c-upload.csv", "still arriving", new Date("2026-11-01T10:00:00Z"));
    fake.mkdir("/in/archive.csv");

    const s = await session();
    const files = await s.list();
    expect(files).toEqual([
      { name: "b-enrollments.csv", size: 34, modifiedAt: new Date("2026-12-01T10:00:00Z") },
      { name: "a-enrollments.xlsx", size: 4, modifiedAt: new Date("2026-12-02T10:00:00Z") },
    ]);

    const data = await s.read("b-enrollments.csv", 1_000);
    expect(data.toString()).toBe("email,course\nada@example.org,C001\n");

    await s.writeResult("b-enrollments.result.csv", Buffer.from("row,outcome\n1,created\n"));
    expect(fake.get("/results/b-enrollments.result.csv")?.toString()).toBe(
      "row,outcome\n1,created\n",
    );

    expect(await s.markProcessed("b-enrollments.csv")).toBe("b-enrollments.csv");
    expect(fake.get("/in/b-enrollments.csv")).toBeUndefined();
    expect(fake.get("/processed/b-enrollments.csv")?.toString()).toContain("ada@example.org");
    expect((await s.list()).map((f) => f.name)).toEqual(["a-enrollments.xlsx"]);
  });

  it("reads and writes files larger than one SFTP packet intact", async () => {
    const big = Buffer.alloc(200_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 251;
    fake.put("/in/large.csv", big);
    const s = await session();
    expect((await s.read("large.csv", 300_000)).equals(big)).toBe(true);
    await s.writeResult("large.result.csv", big);
    expect(fake.get("/results/large.result.csv")?.equals(big)).toBe(true);
  });

  it("gives a moved file a suffix instead of overwriting one already processed", async () => {
    fake.put("/processed/daily.csv", "yesterday");
    fake.put("/processed/daily-2.csv", "the day before");
    fake.put("/in/daily.csv", "today");
    const s = await session();
    expect(await s.markProcessed("daily.csv")).toBe("daily-3.csv");
    expect(fake.get("/processed/daily.csv")?.toString()).toBe("yesterday");
    expect(fake.get("/processed/daily-2.csv")?.toString()).toBe("the day before");
    expect(fake.get("/processed/daily-3.csv")?.toString()).toBe("today");
  });

  it("signs in with a private key", async () => {
    fake.put("/in/key.csv", "a,b\n");
    const s = await session({ password: undefined, privateKey: fake.clientPrivateKey });
    expect((await s.list()).map((f) => f.name)).toContain("key.csv");
  });

  it("refuses a server whose host key is not the pinned one, naming the key it saw", async () => {
    const error = await failure(openSftp(fake.settings({ hostKeySha256: OTHER_FINGERPRINT })));
    expect(error.kind).toBe("auth");
    expect(error.detail.remoteCode).toBe("host-key-mismatch");
    expect(error.message).toContain(fake.hostKeySha256);
    expect(error.message).toContain(OTHER_FINGERPRINT);
    expect(fake.requests).toEqual([]);
  });

  it("accepts the fingerprint without its SHA256: prefix or with base64 padding", async () => {
    const bare = fake.hostKeySha256.replace(/^SHA256:/, "");
    await session({ hostKeySha256: bare });
    await session({ hostKeySha256: `${bare}=` });
    expect(open).toHaveLength(2);
  });

  it("refuses a fingerprint that is not a SHA256 one before connecting", async () => {
    const error = await failure(
      openSftp(
        fake.settings({ hostKeySha256: "MD5:12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0" }),
      ),
    );
    expect(error.kind).toBe("unsupported");
    expect(error.message).toContain("ssh-keygen -lf");
  });

  it("answers auth for a wrong password and for a key the server does not know", async () => {
    const wrong = await failure(openSftp(fake.settings({ password: "not-the-password" })));
    expect(wrong.kind).toBe("auth");
    expect(wrong.message).toBe(
      `The SFTP server at 127.0.0.1:${fake.port} refused to sign in lyceum with the given password.`,
    );
    expect(wrong.message).not.toContain("not-the-password");

    const other = await startSftpFake();
    try {
      const error = await failure(
        openSftp(fake.settings({ password: undefined, privateKey: other.clientPrivateKey })),
      );
      expect(error.kind).toBe("auth");
      expect(error.message).toContain("private key");
    } finally {
      await other.close();
    }
  });

  it("answers not-found for a missing import directory and a missing file", async () => {
    const s = await session({ directory: "/nowhere" });
    const listing = await failure(s.list());
    expect(listing.kind).toBe("not-found");
    expect(listing.message).toBe("The SFTP server has no directory /nowhere.");

    const s2 = await session();
    const reading = await failure(s2.read("absent.csv", 1_000));
    expect(reading.kind).toBe("not-found");
    expect(reading.message).toContain("absent.csv");
    const moving = await failure(s2.markProcessed("absent.csv"));
    expect(moving.kind).toBe("not-found");
  });

  it("answers forbidden when the server denies reading or writing a directory", async () => {
    fake.put("/in/locked.csv", "x");
    fake.deny("/in", "read");
    fake.deny("/results", "write");
    fake.deny("/processed", "write");
    const s = await session();
    const listing = await failure(s.list());
    expect(listing.kind).toBe("forbidden");
    expect(listing.message).toBe(
      "The SFTP server does not allow Lyceum's user to list the directory /in (permission denied).",
    );
    expect((await failure(s.read("locked.csv", 10))).kind).toBe("forbidden");
    const writing = await failure(s.writeResult("locked.result.csv", Buffer.from("x")));
    expect(writing.kind).toBe("forbidden");
    expect(writing.message).toContain("write locked.result.csv into /results");
    expect(fake.get("/results/locked.result.csv")).toBeUndefined();
    fake.allow("/in");
    expect((await failure(s.markProcessed("locked.csv"))).kind).toBe("forbidden");
    expect(fake.get("/in/locked.csv")?.toString()).toBe("x");
  });

  it("refuses names that would leave the configured directories, without asking the server", async () => {
    fake.put("/secret.csv", "top secret");
    const s = await session();
    for (const name of [
      "../secret.csv",
      "..",
      ".",
      "",
      "sub/file.csv",
      "/secret.csv",
      "..\\secret.csv",
      "a\u0000.csv",
      "line\nbreak.csv",
      "x".repeat(256),
    ]) {
      expect(isSafeFileName(name)).toBe(false);
      const reading = await failure(s.read(name, 1_000));
      expect(reading.kind).toBe("malformed");
      expect((await failure(s.writeResult(name, Buffer.from("x")))).kind).toBe("malformed");
      expect((await failure(s.markProcessed(name))).kind).toBe("malformed");
    }
    expect(fake.requests.filter((r) => r.op !== "REALPATH")).toEqual([]);
    expect(fake.get("/secret.csv")?.toString()).toBe("top secret");
    expect(isSafeFileName("enrollments 2026-12.csv")).toBe(true);
    expect(isSafeFileName("..enrollments.csv")).toBe(true);
  });

  it("refuses configured directories with '..' segments", async () => {
    const error = await failure(openSftp(fake.settings({ resultsDirectory: "/results/../etc" })));
    expect(error.kind).toBe("unsupported");
    expect(error.message).toContain("results directory");
  });

  it("refuses a file above maxBytes without reading it", async () => {
    fake.put("/in/huge.csv", Buffer.alloc(5_000, 0x61));
    const s = await session();
    const error = await failure(s.read("huge.csv", 4_999));
    expect(error.kind).toBe("unsupported");
    expect(error.message).toBe(
      "huge.csv has 5000 bytes, more than the 4999 bytes Lyceum imports from one file; split it or raise the limit.",
    );
    expect(fake.requests.map((r) => r.op)).toContain("FSTAT");
    expect(fake.requests.filter((r) => r.op === "READ")).toEqual([]);
    expect((await s.read("huge.csv", 5_000)).length).toBe(5_000);
  });

  it("times out a slow operation and closes the session", async () => {
    fake.put("/in/slow.csv", "x");
    const s = await session({ timeoutMs: 300 });
    fake.slow(1_500, 1);
    const started = Date.now();
    const error = await failure(s.list());
    expect(error.kind).toBe("timeout");
    expect(error.transient).toBe(true);
    expect(error.message).toBe(
      `The SFTP server at 127.0.0.1:${fake.port} did not answer within 300 ms when Lyceum tried to list the directory /in.`,
    );
    expect(Date.now() - started).toBeLessThan(1_400);
    const after = await failure(s.list());
    expect(after.kind).toBe("unreachable");
  });

  it("times out a sign-in that does not finish", async () => {
    fake.slowAuthentication(2_000);
    const error = await failure(openSftp(fake.settings({ timeoutMs: 300 })));
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain("did not complete the connection within 300 ms");
  });

  it("times out a server that accepts the connection but never speaks SSH", async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const error = await failure(openSftp(fake.settings({ port, timeoutMs: 300 })));
      expect(error.kind).toBe("timeout");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("answers unreachable when nothing listens", async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(openSftp(fake.settings({ port })));
    expect(error.kind).toBe("unreachable");
    expect(error.message).toBe(
      `Lyceum could not reach the SFTP server at 127.0.0.1:${port}: the connection was refused.`,
    );
  });

  it("refuses a private address unless private networks are allowed", async () => {
    const error = await failure(openSftp(fake.settings({ allowPrivateNetwork: false })));
    expect(error.kind).toBe("forbidden");
    expect(error.message).toContain("private network");
    const named = await failure(
      openSftp(fake.settings({ host: "sftp.example.org", allowPrivateNetwork: false }), {
        resolve: async () => ["10.1.2.3"],
      }),
    );
    expect(named.kind).toBe("forbidden");
    expect(fake.requests).toEqual([]);
  });
});

describe("testSftp", () => {
  const steps = (checks: Array<{ step: string; ok: boolean }>) =>
    checks.map((c) => `${c.step}:${c.ok ? "ok" : "failed"}`);

  it("checks every step in words and leaves no probe file behind", async () => {
    fake.put("/in/one.csv", "a\n");
    const result = await testSftp(fake.settings());
    expect(result.ok).toBe(true);
    expect(result.checks).toEqual([
      {
        step: "reach",
        ok: true,
        message: `Lyceum reached the SSH server at 127.0.0.1:${fake.port}.`,
      },
      {
        step: "host-key",
        ok: true,
        message: `The server's host key is the pinned one (${fake.hostKeySha256}).`,
      },
      {
        step: "authenticate",
        ok: true,
        message: "Lyceum signed in as lyceum with the password and opened SFTP.",
      },
      {
        step: "list-directory",
        ok: true,
        message: expect.stringMatching(
          /^Lyceum can list \/in: \d+ CSV or XLSX files? waits? there\.$/,
        ),
      },
      {
        step: "processed-directory",
        ok: true,
        message: "The processed directory /processed exists.",
      },
      { step: "write-results", ok: true, message: "Lyceum can write result files into /results." },
    ]);
    expect(fake.list("/results").filter((n) => n.startsWith(".lyceum"))).toEqual([]);
  });

  it("stops at the host key when it differs, and says which key the server showed", async () => {
    const result = await testSftp(fake.settings({ hostKeySha256: OTHER_FINGERPRINT }));
    expect(result.ok).toBe(false);
    expect(steps(result.checks)).toEqual([
      "reach:ok",
      "host-key:failed",
      "authenticate:failed",
      "list-directory:failed",
      "processed-directory:failed",
      "write-results:failed",
    ]);
    expect(result.checks[1]?.message).toContain(fake.hostKeySha256);
    expect(result.checks[2]?.message).toBe("Not tried: the server's identity was not confirmed.");
  });

  it("stops at sign-in with a wrong password", async () => {
    const result = await testSftp(fake.settings({ password: "wrong-password" }));
    expect(steps(result.checks).slice(0, 3)).toEqual([
      "reach:ok",
      "host-key:ok",
      "authenticate:failed",
    ]);
    expect(result.checks[2]?.message).toContain("refused to sign in lyceum");
    expect(result.checks[3]?.message).toBe("Not tried: Lyceum could not sign in.");
  });

  it("names missing directories and a results directory Lyceum may not write to", async () => {
    fake.deny("/results", "write");
    const result = await testSftp(fake.settings({ processedDirectory: "/done" }));
    expect(steps(result.checks)).toEqual([
      "reach:ok",
      "host-key:ok",
      "authenticate:ok",
      "list-directory:ok",
      "processed-directory:failed",
      "write-results:failed",
    ]);
    expect(result.checks[4]?.message).toBe("The SFTP server has no processed directory /done.");
    expect(result.checks[5]?.message).toContain("(permission denied)");
  });

  it("fails reach for a private address without allowPrivateNetwork", async () => {
    const result = await testSftp(fake.settings({ allowPrivateNetwork: false }));
    expect(result.ok).toBe(false);
    expect(result.checks[0]?.step).toBe("reach");
    expect(result.checks[0]?.message).toContain("private network");
    expect(result.checks.slice(1).every((c) => !c.ok)).toBe(true);
  });
});
