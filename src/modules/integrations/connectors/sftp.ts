import { createHash, randomBytes } from "node:crypto";
import ssh2, { type SFTPWrapper, type Client as SshClient, type Stats } from "ssh2";
import { assertPublicUrl, type Resolver } from "./address-guard.js";
import { CheckList } from "./checks.js";
import { type ConnectionTestResult, ConnectorError } from "./types.js";

/**
 * The SFTP transport of file imports (issue 15 §2): an HR system or LMS drops CSV/XLSX files
 * into a directory of an SFTP server; Lyceum lists them, reads one at a time, writes a result
 * file beside them and moves each processed file aside. This module is the transport only —
 * what a file means is the file import's business.
 *
 * The server is trusted by its pinned host key (the fingerprint an administrator copies from
 * `ssh-keyscan host | ssh-keygen -lf -`), never on first use: a different key refuses the
 * connection. Every file name is checked before it is joined to a configured directory, so
 * nothing outside those directories is read or written, and every step has a timeout.
 * Failures are ConnectorErrors in the usual kinds, said in words an administrator can act on.
 */

const { Client, utils } = ssh2;
const STATUS = utils.sftp.STATUS_CODE;

export interface SftpSettings {
  host: string;
  port: number;
  username: string;
  password?: string;
  /** An unencrypted private key in OpenSSH (or PEM) format. */
  privateKey?: string;
  /** The server's host key fingerprint as OpenSSH prints it: `SHA256:` and base64 of SHA-256. */
  hostKeySha256: string;
  /** Where the files to import arrive. */
  directory: string;
  /** Where imported files are moved to. */
  processedDirectory: string;
  /** Where Lyceum writes a result file per imported file. */
  resultsDirectory: string;
  /** For connecting (handshake and sign-in) and for each operation after it. */
  timeoutMs: number;
  /** Allows a host on a private network (loopback, RFC 1918, …); see address-guard.ts. */
  allowPrivateNetwork?: boolean;
}

export interface SftpFile {
  name: string;
  size: number;
  modifiedAt: Date;
}

export interface SftpSession {
  /** Regular `.csv` and `.xlsx` files in `directory` (hidden ones left out), oldest first. */
  list(): Promise<SftpFile[]>;
  /** A file of `directory`; one larger than `maxBytes` is refused before it is read. */
  read(name: string, maxBytes: number): Promise<Buffer>;
  /** Writes (or replaces) a file in `resultsDirectory`. */
  writeResult(name: string, data: Buffer): Promise<void>;
  /**
   * Moves a file of `directory` into `processedDirectory`; when that name is taken there, the
   * file gets a suffix (`enrollments-2.csv`, …). Answers the name it was given.
   */
  markProcessed(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Test seams: how host names are resolved for the address guard. */
export interface SftpOptions {
  resolve?: Resolver;
}

/** The extensions a file import reads. */
const IMPORTABLE = /\.(csv|xlsx)$/i;
const CHUNK = 32 * 1024;
const MAX_SUFFIX = 99;

/** The fingerprint of a host key (its SSH wire form) as OpenSSH prints it: `SHA256:…`. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** A fingerprint as given by an administrator, reduced to its base64 part; null if not one. */
function normalizeFingerprint(value: string): string | null {
  const bare = value
    .trim()
    .replace(/^sha256:/i, "")
    .replace(/=+$/, "");
  return /^[A-Za-z0-9+/]{43}$/.test(bare) ? bare : null;
}

/**
 * Whether a file name is one Lyceum may join to a configured directory: a single path
 * segment, no control characters, not `.` or `..`, at most 255 bytes.
 */
export function isSafeFileName(name: string): boolean {
  return (
    name.length > 0 &&
    Buffer.byteLength(name) <= 255 &&
    name !== "." &&
    name !== ".." &&
    !name.includes("/") &&
    !name.includes("\\") &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    !/[\u0000-\u001f\u007f]/.test(name)
  );
}

function checkName(name: string): void {
  if (!isSafeFileName(name))
    throw new ConnectorError(
      "malformed",
      `"${JSON.stringify(name).slice(1, -1).slice(0, 80)}" is not a plain file name; Lyceum reads and writes only files directly inside the configured directories.`,
    );
}

function checkDirectory(path: string, label: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  const bad = !path || /[\u0000-\u001f\u007f]/.test(path) || path.split("/").includes("..");
  if (bad)
    throw new ConnectorError(
      "unsupported",
      `The SFTP ${label} "${path.slice(0, 80)}" is not a valid path: give it without ".." and control characters.`,
    );
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

const join = (directory: string, name: string) =>
  directory.endsWith("/") ? `${directory}${name}` : `${directory}/${name}`;

function checkSettings(settings: SftpSettings): {
  pinned: string;
  directory: string;
  processed: string;
  results: string;
} {
  if (!settings.host || /[\s/]/.test(settings.host))
    throw new ConnectorError("unsupported", "The SFTP host name is missing or not valid.");
  if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65535)
    throw new ConnectorError("unsupported", "The SFTP port must be a number from 1 to 65535.");
  if (!settings.username)
    throw new ConnectorError("unsupported", "Give the user name Lyceum signs in to SFTP with.");
  if (!settings.password && !settings.privateKey)
    throw new ConnectorError(
      "unsupported",
      "Give a password or a private key for the SFTP user before connecting.",
    );
  const pinned = normalizeFingerprint(settings.hostKeySha256 ?? "");
  if (!pinned)
    throw new ConnectorError(
      "unsupported",
      "The SFTP host key fingerprint must be the SHA256 one OpenSSH prints (SHA256: and 43 characters); get it with `ssh-keyscan host | ssh-keygen -lf -`.",
    );
  return {
    pinned,
    directory: checkDirectory(settings.directory, "import directory"),
    processed: checkDirectory(settings.processedDirectory, "processed directory"),
    results: checkDirectory(settings.resultsDirectory, "results directory"),
  };
}

const where = (s: SftpSettings) => (s.port === 22 ? s.host : `${s.host}:${s.port}`);

/** How far a connection got, so a failure can be said as the step that failed. */
interface Progress {
  reached: boolean;
  hostKeySeen: string | null;
  hostKeyMatched: boolean;
  authenticated: boolean;
}

function describeSocketError(code: string | undefined): string {
  switch (code) {
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "its host name could not be resolved";
    case "ECONNREFUSED":
      return "the connection was refused";
    case "ECONNRESET":
    case "EPIPE":
      return "the connection was closed before it answered";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "the host cannot be reached from this server";
    case "ETIMEDOUT":
      return "the connection attempt timed out";
    default:
      return "the connection failed";
  }
}

function connectError(error: unknown, settings: SftpSettings, progress: Progress): ConnectorError {
  const at = where(settings);
  if (progress.hostKeySeen && !progress.hostKeyMatched)
    return new ConnectorError(
      "auth",
      `The SFTP server at ${at} presented the host key ${progress.hostKeySeen}, not the pinned ${settings.hostKeySha256.trim()}; Lyceum did not connect. If the server's key was changed on purpose, compare it with its administrator and update the fingerprint.`,
      { remoteCode: "host-key-mismatch" },
    );
  const e = error as { level?: string; code?: string; message?: string };
  if (e.level === "client-authentication")
    return new ConnectorError(
      "auth",
      `The SFTP server at ${at} refused to sign in ${settings.username} with the given ${settings.privateKey ? "private key" : "password"}.`,
    );
  if (e.level === "client-timeout")
    return new ConnectorError(
      "timeout",
      `The SFTP server at ${at} did not complete the connection within ${settings.timeoutMs} ms.`,
    );
  if (e.level === "client-socket" || e.level === "client-dns" || !progress.reached)
    return new ConnectorError(
      "unreachable",
      `Lyceum could not reach the SFTP server at ${at}: ${describeSocketError(e.code)}.`,
    );
  return new ConnectorError(
    "remote",
    `The SSH connection to ${at} failed: ${(e.message ?? "unknown error").slice(0, 200)}.`,
  );
}

/** Connects, checks the host key, signs in and opens the SFTP subsystem. */
async function connect(
  settings: SftpSettings,
  pinned: string,
  progress: Progress,
  options: SftpOptions,
): Promise<{ client: SshClient; sftp: SFTPWrapper }> {
  if (!settings.allowPrivateNetwork)
    await assertPublicUrl(
      new URL(`sftp://${settings.host.includes(":") ? `[${settings.host}]` : settings.host}`),
      "the SFTP server",
      options.resolve,
    );
  const client = new Client();
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: ConnectorError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          progress.reached
            ? connectError({ level: "client-timeout" }, settings, progress)
            : new ConnectorError(
                "timeout",
                `Lyceum could not reach the SFTP server at ${where(settings)} within ${settings.timeoutMs} ms.`,
              ),
        ),
      settings.timeoutMs,
    );
    client.on("connect", () => {
      progress.reached = true;
    });
    client.on("error", (error) => fail(connectError(error, settings, progress)));
    client.on("close", () =>
      fail(
        connectError(
          { message: "the server closed the connection before Lyceum was signed in" },
          settings,
          progress,
        ),
      ),
    );
    client.on("ready", () => {
      progress.authenticated = true;
      client.sftp((error, sftp) => {
        if (settled) return;
        if (error)
          return fail(
            new ConnectorError(
              "remote",
              `The server at ${where(settings)} signed Lyceum in but does not offer SFTP.`,
            ),
          );
        settled = true;
        clearTimeout(timer);
        resolve({ client, sftp });
      });
    });
    try {
      client.connect({
        host: settings.host,
        port: settings.port,
        username: settings.username,
        ...(settings.password ? { password: settings.password } : {}),
        ...(settings.privateKey ? { privateKey: settings.privateKey } : {}),
        tryKeyboard: false,
        readyTimeout: settings.timeoutMs,
        hostVerifier: (key: Buffer) => {
          progress.hostKeySeen = hostKeyFingerprint(key);
          progress.hostKeyMatched = progress.hostKeySeen === `SHA256:${pinned}`;
          return progress.hostKeyMatched;
        },
      });
    } catch {
      fail(
        new ConnectorError(
          "unsupported",
          "The SFTP private key could not be read: give an unencrypted key in OpenSSH or PEM format.",
        ),
      );
    }
  });
}

/** An SFTP status as a ConnectorError about `what` ("the directory /in", "the file a.csv"). */
function sftpError(error: unknown, what: string, doing: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const code = (error as { code?: number }).code;
  if (code === STATUS.NO_SUCH_FILE)
    return new ConnectorError("not-found", `The SFTP server has no ${what}.`);
  if (code === STATUS.PERMISSION_DENIED)
    return new ConnectorError(
      "forbidden",
      `The SFTP server does not allow Lyceum's user to ${doing} (permission denied).`,
    );
  if (code === STATUS.NO_CONNECTION || code === STATUS.CONNECTION_LOST || code === undefined)
    return new ConnectorError(
      "unreachable",
      `The connection to the SFTP server was lost while Lyceum tried to ${doing}.`,
    );
  const said = (error as { message?: string }).message;
  return new ConnectorError(
    "remote",
    `The SFTP server failed when Lyceum tried to ${doing}${said ? `: ${said.slice(0, 200)}` : ""}.`,
  );
}

class Session implements SftpSession {
  private closed = false;

  constructor(
    private readonly settings: SftpSettings,
    private readonly paths: { directory: string; processed: string; results: string },
    private readonly client: SshClient,
    private readonly sftp: SFTPWrapper,
  ) {
    client.on("close", () => {
      this.closed = true;
    });
    client.on("error", () => {
      this.closed = true;
    });
  }

  /** One SFTP request with the operation timeout; a timed-out session is closed. */
  private call<T>(
    what: string,
    doing: string,
    run: (done: (error: Error | undefined | null, value?: T) => void) => void,
  ): Promise<T> {
    if (this.closed)
      return Promise.reject(
        new ConnectorError(
          "unreachable",
          `The SFTP connection is closed; Lyceum could not ${doing}.`,
        ),
      );
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        this.closed = true;
        this.client.destroy();
        reject(
          new ConnectorError(
            "timeout",
            `The SFTP server at ${where(this.settings)} did not answer within ${this.settings.timeoutMs} ms when Lyceum tried to ${doing}.`,
          ),
        );
      }, this.settings.timeoutMs);
      try {
        run((error, value) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (error) reject(sftpError(error, what, doing));
          else resolve(value as T);
        });
      } catch (error) {
        settled = true;
        clearTimeout(timer);
        reject(sftpError(error, what, doing));
      }
    });
  }

  private stat(path: string, what: string, doing: string): Promise<Stats> {
    return this.call<Stats>(what, doing, (done) => this.sftp.stat(path, done));
  }

  async list(): Promise<SftpFile[]> {
    const dir = this.paths.directory;
    const entries = await this.call<Array<{ filename: string; attrs: Stats }>>(
      `directory ${dir}`,
      `list the directory ${dir}`,
      (done) => this.sftp.readdir(dir, done),
    );
    return entries
      .filter(
        (e) =>
          e.attrs.isFile() &&
          IMPORTABLE.test(e.filename) &&
          !e.filename.startsWith(".") &&
          isSafeFileName(e.filename),
      )
      .map((e) => ({
        name: e.filename,
        size: e.attrs.size,
        modifiedAt: new Date(e.attrs.mtime * 1000),
      }))
      .sort(
        (a, b) =>
          a.modifiedAt.getTime() - b.modifiedAt.getTime() ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
  }

  async read(name: string, maxBytes: number): Promise<Buffer> {
    checkName(name);
    const path = join(this.paths.directory, name);
    const what = `file ${name} in ${this.paths.directory}`;
    const doing = `read ${name} in ${this.paths.directory}`;
    const handle = await this.call<Buffer>(what, doing, (done) => this.sftp.open(path, "r", done));
    try {
      const stats = await this.call<Stats>(what, doing, (done) => this.sftp.fstat(handle, done));
      if (!stats.isFile())
        throw new ConnectorError("malformed", `${name} in ${this.paths.directory} is not a file.`);
      if (stats.size > maxBytes) throw tooLarge(name, stats.size, maxBytes);
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buffer = Buffer.alloc(CHUNK);
        const read = await this.call<number>(what, doing, (done) =>
          this.sftp.read(handle, buffer, 0, CHUNK, total, (error, bytes) => done(error, bytes)),
        );
        if (read === 0) break;
        total += read;
        if (total > maxBytes) throw tooLarge(name, total, maxBytes);
        chunks.push(read === CHUNK ? buffer : buffer.subarray(0, read));
      }
      return Buffer.concat(chunks, total);
    } finally {
      await this.closeHandle(handle);
    }
  }

  async writeResult(name: string, data: Buffer): Promise<void> {
    checkName(name);
    const dir = this.paths.results;
    const what = `directory ${dir}`;
    const doing = `write ${name} into ${dir}`;
    const handle = await this.call<Buffer>(what, doing, (done) =>
      this.sftp.open(join(dir, name), "w", done),
    );
    try {
      for (let offset = 0; offset < data.length; offset += CHUNK) {
        const length = Math.min(CHUNK, data.length - offset);
        await this.call<void>(what, doing, (done) =>
          this.sftp.write(handle, data, offset, length, offset, done),
        );
      }
    } finally {
      await this.closeHandle(handle);
    }
  }

  async markProcessed(name: string): Promise<string> {
    checkName(name);
    const from = join(this.paths.directory, name);
    const dir = this.paths.processed;
    const doing = `move ${name} into ${dir}`;
    await this.stat(from, `file ${name} in ${this.paths.directory}`, doing);
    const dot = name.lastIndexOf(".");
    const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
    for (let n = 1; n <= MAX_SUFFIX; n++) {
      const target = n === 1 ? name : `${base}-${n}${ext}`;
      const to = join(dir, target);
      const taken = await this.stat(to, `directory ${dir}`, doing).then(
        () => true,
        (error: ConnectorError) => {
          if (error.kind === "not-found") return false;
          throw error;
        },
      );
      if (taken) continue;
      try {
        await this.call<void>(`directory ${dir}`, doing, (done) =>
          this.sftp.rename(from, to, done),
        );
        return target;
      } catch (error) {
        // Another process may have taken the name in between (SFTP renames never overwrite).
        const nowTaken = await this.stat(to, `directory ${dir}`, doing).then(
          () => true,
          () => false,
        );
        if (!nowTaken) throw error;
      }
    }
    throw new ConnectorError(
      "remote",
      `Lyceum could not move ${name} into ${dir}: ${MAX_SUFFIX} files of that name are already there.`,
    );
  }

  /** Writes and removes an empty file in the results directory (the connection test's check). */
  async probeWrite(): Promise<void> {
    const name = `.lyceum-write-check-${randomBytes(6).toString("hex")}`;
    await this.writeResult(name, Buffer.alloc(0));
    const path = join(this.paths.results, name);
    await this.call<void>(`file ${name}`, `remove ${name} from ${this.paths.results}`, (done) =>
      this.sftp.unlink(path, done),
    );
  }

  async statDirectory(path: string, label: string): Promise<void> {
    const stats = await this.stat(path, `${label} ${path}`, `open the ${label} ${path}`);
    if (!stats.isDirectory())
      throw new ConnectorError("not-found", `The ${label} ${path} is not a directory.`);
  }

  private async closeHandle(handle: Buffer): Promise<void> {
    if (this.closed) return;
    await this.call<void>("file", "close a file", (done) => this.sftp.close(handle, done)).catch(
      () => undefined,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.client.destroy();
        resolve();
      }, this.settings.timeoutMs);
      this.client.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.end();
    });
  }
}

function tooLarge(name: string, size: number, maxBytes: number): ConnectorError {
  return new ConnectorError(
    "unsupported",
    `${name} has ${size} bytes, more than the ${maxBytes} bytes Lyceum imports from one file; split it or raise the limit.`,
  );
}

async function open(
  settings: SftpSettings,
  progress: Progress,
  options: SftpOptions,
): Promise<Session> {
  const { pinned, ...paths } = checkSettings(settings);
  const { client, sftp } = await connect(settings, pinned, progress, options);
  return new Session(settings, paths, client, sftp);
}

/** Opens an SFTP session: address guard, pinned host key, sign-in, SFTP subsystem. */
export async function openSftp(
  settings: SftpSettings,
  options: SftpOptions = {},
): Promise<SftpSession> {
  return open(
    settings,
    { reached: false, hostKeySeen: null, hostKeyMatched: false, authenticated: false },
    options,
  );
}

/**
 * Tests SFTP settings step by step, each step said in words: reach the server, check its
 * host key against the pinned one, sign in, list the import directory, find the processed
 * directory, and write (then remove) a file in the results directory.
 */
export async function testSftp(
  settings: SftpSettings,
  options: SftpOptions = {},
): Promise<ConnectionTestResult> {
  const list = new CheckList();
  const at = where(settings);
  const progress: Progress = {
    reached: false,
    hostKeySeen: null,
    hostKeyMatched: false,
    authenticated: false,
  };
  let session: Session;
  try {
    session = await open(settings, progress, options);
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    const later = [
      "host-key",
      "authenticate",
      "list-directory",
      "processed-directory",
      "write-results",
    ];
    if (!progress.reached) {
      list.fail("reach", error.message);
      list.skip(later, "the server could not be reached.");
    } else if (!progress.hostKeyMatched) {
      list.pass("reach", `Lyceum reached the SSH server at ${at}.`);
      list.fail("host-key", error.message);
      list.skip(later.slice(1), "the server's identity was not confirmed.");
    } else {
      list.pass("reach", `Lyceum reached the SSH server at ${at}.`);
      list.pass("host-key", `The server's host key is the pinned one (${progress.hostKeySeen}).`);
      list.fail("authenticate", error.message);
      list.skip(later.slice(2), "Lyceum could not sign in.");
    }
    return list.result();
  }
  try {
    list.pass("reach", `Lyceum reached the SSH server at ${at}.`);
    list.pass("host-key", `The server's host key is the pinned one (${progress.hostKeySeen}).`);
    list.pass(
      "authenticate",
      `Lyceum signed in as ${settings.username} with the ${settings.privateKey ? "private key" : "password"} and opened SFTP.`,
    );
    await list.step(
      "list-directory",
      () => session.list(),
      (files) =>
        `Lyceum can list ${settings.directory}: ${files.length === 0 ? "no CSV or XLSX files wait there" : files.length === 1 ? "1 CSV or XLSX file waits there" : `${files.length} CSV or XLSX files wait there`}.`,
    );
    await list.step(
      "processed-directory",
      () => session.statDirectory(settings.processedDirectory, "processed directory"),
      () => `The processed directory ${settings.processedDirectory} exists.`,
    );
    await list.step(
      "write-results",
      () => session.probeWrite(),
      () => `Lyceum can write result files into ${settings.resultsDirectory}.`,
    );
  } finally {
    await session.close();
  }
  return list.result();
}
