import { type AddressInfo, createServer } from "node:net";
import { ensureWebBuild } from "../../src/cli/web-build.js";
import { loadWebBuild } from "../../src/modules/system/web-app.js";
import { createTestApp, type TestApp } from "../../test/harness.js";

export interface E2eServer {
  url: string;
  app: TestApp;
  /** The newest link to `path` mailed to `to`, as a path on this server. */
  mailedLink(to: string, path: string): Promise<string>;
  close(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Settings on top of the test harness's (test/harness.ts), e.g. `PAYMENT_PROVIDER=stripe`
   * with `STRIPE_API_URL` naming the stand-in (test/stripe-fake.ts).
   */
  env?: Record<string, string>;
  /**
   * Serve at `http://localhost:<port>` with PUBLIC_URL set to it, e.g. for WebAuthn, whose
   * relying party comes from PUBLIC_URL and must be a host name (browsers refuse an IP address).
   */
  localhost?: boolean;
}

/** A port free right now (the operating system's pick). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Lyceum in this process on a fresh embedded database (PGlite), serving the built web app
 * on a free loopback port. Its clock stands still at the real time of the run, so cookies
 * the browser receives are current.
 */
export async function startServer(options: ServerOptions = {}): Promise<E2eServer> {
  await ensureWebBuild();
  const web = loadWebBuild();
  if (!web) throw new Error("web/dist has no index.html after building");
  const fixedPort = options.localhost ? await freePort() : 0;
  const env = options.localhost
    ? { ...options.env, PUBLIC_URL: `http://localhost:${fixedPort}` }
    : options.env;
  const app = await createTestApp({ web, clockStart: new Date().toISOString(), env });
  await app.lyceum.app.listen({ host: "127.0.0.1", port: fixedPort });
  const { port } = app.lyceum.app.server.address() as AddressInfo;
  return {
    url: `http://${options.localhost ? "localhost" : "127.0.0.1"}:${port}`,
    app,
    async mailedLink(to, path) {
      const mail = await app.lyceum.services.db
        .selectFrom("mail_outbox")
        .select(["text_body"])
        .where("to_address", "=", to)
        .where("text_body", "like", `%${path}?token=%`)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .executeTakeFirst();
      if (!mail) throw new Error(`no mail to ${to} with a ${path} link`);
      const link = mail.text_body.match(/https?:\/\/[^/\s]+(\/[\w/-]+\?token=[\w%.-]+)/);
      if (!link?.[1]?.startsWith(path)) throw new Error(`no ${path} link in the mail to ${to}`);
      return link[1];
    },
    close: () => app.close(),
  };
}
