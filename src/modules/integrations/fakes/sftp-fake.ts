import { createHash, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { posix } from "node:path";
import ssh2, { type Connection, type SFTPWrapper } from "ssh2";
import type { SftpSettings } from "../connectors/sftp.js";

/**
 * A local SFTP server: ssh2's `Server` on 127.0.0.1 (a free port) speaking SSH and the SFTP
 * subsystem (version 3) over an in-memory file tree. Its ed25519 host key is made at start
 * (ssh2's generator, over node:crypto, in the OpenSSH format servers use) and its fingerprint
 * is known, so clients can pin it. One user signs in, by password or by public key.
 *
 * Switches make it fail the ways real servers fail: a directory that refuses reading or
 * writing (permission denied), answers that come late (for timeouts), a sign-in that hangs.
 * Every SFTP request is recorded (`requests`), so tests can see what a client did and did not
 * do (e.g. that a file too large was never read).
 */

const { Server, utils } = ssh2;
const { STATUS_CODE, OPEN_MODE } = utils.sftp;

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

export interface SftpFakeOptions {
  username?: string;
  password?: string;
  /** The user's public key (OpenSSH `ssh-ed25519 AAAA…` form); one is generated when absent. */
  publicKey?: string;
  /** Directories to create (with their parents); `/in`, `/processed` and `/results` always exist. */
  directories?: string[];
  /** Files to create: absolute path → content (directories made as needed). */
  files?: Record<string, string | Buffer>;
}

export interface RecordedSftpRequest {
  op: string;
  path: string;
}

type Entry = { kind: "dir"; mtime: number } | { kind: "file"; data: Buffer; mtime: number };

export type Denial = "read" | "write" | "all";

export interface SftpFake {
  host: "127.0.0.1";
  port: number;
  username: string;
  password: string;
  /** The host key's fingerprint as OpenSSH prints it (`SHA256:…`). */
  hostKeySha256: string;
  /** A private key (OpenSSH format) whose public half the user may sign in with. */
  clientPrivateKey: string;
  requests: RecordedSftpRequest[];
  /** Settings pointing at this server with its password: `/in`, `/processed`, `/results`. */
  settings(overrides?: Partial<SftpSettings>): SftpSettings;
  /** Creates or replaces a file (parents created), with its modification time. */
  put(path: string, data: string | Buffer, modifiedAt?: Date): void;
  /** A file's content; undefined when there is none. */
  get(path: string): Buffer | undefined;
  /** Names directly inside a directory, sorted. */
  list(directory: string): string[];
  mkdir(path: string): void;
  /** Refuses reading, writing or both in a directory (permission denied). */
  deny(directory: string, what?: Denial): void;
  allow(directory: string): void;
  /** Delays the next `times` SFTP answers (every one when times is absent) by `ms`. */
  slow(ms: number, times?: number): void;
  /** Sign-in answers come after `ms` (0 to stop), to test connect timeouts. */
  slowAuthentication(ms: number): void;
  close(): Promise<void>;
}

function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function parsed(key: string) {
  const result = utils.parseKey(key);
  if (result instanceof Error) throw result;
  return result;
}

export async function startSftpFake(options: SftpFakeOptions = {}): Promise<SftpFake> {
  const username = options.username ?? "lyceum";
  const password = options.password ?? "sftp-password-0123";
  const hostKey = utils.generateKeyPairSync("ed25519");
  const hostKeySha256 = fingerprint(parsed(hostKey.public).getPublicSSH());
  const clientKeys = utils.generateKeyPairSync("ed25519");
  const allowedKey = parsed(options.publicKey ?? clientKeys.public);

  const tree = new Map<string, Entry>([["/", { kind: "dir", mtime: Date.now() }]]);
  const denied = new Map<string, Denial>();
  const requests: RecordedSftpRequest[] = [];
  let slowMs = 0;
  let slowTimes = Number.POSITIVE_INFINITY;
  let authDelayMs = 0;

  const normalize = (path: string) =>
    posix.normalize(posix.join("/", path)).replace(/(.)\/$/, "$1");
  const parentOf = (path: string) => posix.dirname(path);
  const mkdirp = (path: string) => {
    const p = normalize(path);
    if (tree.get(p)?.kind === "dir") return;
    if (p !== "/") mkdirp(parentOf(p));
    tree.set(p, { kind: "dir", mtime: Date.now() });
  };
  const put = (path: string, data: string | Buffer, modifiedAt = new Date()) => {
    const p = normalize(path);
    mkdirp(parentOf(p));
    tree.set(p, {
      kind: "file",
      data: Buffer.isBuffer(data) ? data : Buffer.from(data),
      mtime: modifiedAt.getTime(),
    });
  };
  const childrenOf = (dir: string) => {
    const prefix = dir === "/" ? "/" : `${dir}/`;
    return [...tree.keys()]
      .filter((k) => k !== dir && k.startsWith(prefix) && !k.slice(prefix.length).includes("/"))
      .map((k) => k.slice(prefix.length))
      .sort();
  };
  /** Whether `what` is refused in the directory holding `path` (or `path` itself, a directory). */
  const refused = (dir: string, what: "read" | "write") => {
    for (let d = dir; ; d = parentOf(d)) {
      const denial = denied.get(d);
      if (denial === "all" || denial === what) return true;
      if (d === "/") return false;
    }
  };

  for (const dir of ["/in", "/processed", "/results", ...(options.directories ?? [])]) mkdirp(dir);
  for (const [path, data] of Object.entries(options.files ?? {})) put(path, data);

  const attrsOf = (entry: Entry) => ({
    mode: entry.kind === "dir" ? S_IFDIR | 0o755 : S_IFREG | 0o644,
    uid: 1000,
    gid: 1000,
    size: entry.kind === "file" ? entry.data.length : 4096,
    atime: Math.floor(entry.mtime / 1000),
    mtime: Math.floor(entry.mtime / 1000),
  });
  const longname = (name: string, entry: Entry) =>
    `${entry.kind === "dir" ? "d" : "-"}rw-r--r--    1 ${username} ${username} ${attrsOf(entry).size} Jan  1 00:00 ${name}`;

  const connections = new Set<Connection>();

  const serveSftp = (sftp: SFTPWrapper) => {
    type Handle =
      | { kind: "file"; path: string; write: boolean }
      | { kind: "dir"; path: string; names: string[]; sent: boolean };
    const handles = new Map<number, Handle>();
    let nextHandle = 1;
    const newHandle = (h: Handle) => {
      const id = nextHandle++;
      handles.set(id, h);
      const buf = Buffer.alloc(4);
      buf.writeUInt32BE(id);
      return buf;
    };
    const handleOf = (buf: Buffer) =>
      buf.length === 4 ? handles.get(buf.readUInt32BE()) : undefined;

    /** Records a request and answers it, late when slow answers are switched on. */
    const on = (
      op: string,
      pathOf: (...args: never[]) => string,
      answer: (...args: never[]) => void,
    ) => {
      sftp.on(
        op as "OPEN",
        ((...args: never[]) => {
          requests.push({ op, path: pathOf(...args) });
          if (slowMs > 0 && slowTimes > 0) {
            slowTimes--;
            const ms = slowMs;
            if (slowTimes === 0) slowMs = 0;
            setTimeout(() => answer(...args), ms);
          } else answer(...args);
        }) as never,
      );
    };
    const status = (id: number, code: number, message?: string) => sftp.status(id, code, message);
    const denied = (id: number) => status(id, STATUS_CODE.PERMISSION_DENIED, "Permission denied");
    const missing = (id: number) => status(id, STATUS_CODE.NO_SUCH_FILE, "No such file");

    on(
      "REALPATH",
      (_id: number, path: string) => path,
      (id: number, path: string) => {
        const p = normalize(path);
        sftp.name(id, [{ filename: p, longname: p, attrs: {} as never }]);
      },
    );
    const stat = (id: number, path: string) => {
      const p = normalize(path);
      if (p !== "/" && refused(parentOf(p), "read")) return denied(id);
      const entry = tree.get(p);
      if (!entry) return missing(id);
      sftp.attrs(id, attrsOf(entry));
    };
    on("STAT", (_id: number, path: string) => path, stat);
    on("LSTAT", (_id: number, path: string) => path, stat);
    on(
      "OPENDIR",
      (_id: number, path: string) => path,
      (id: number, path: string) => {
        const p = normalize(path);
        const entry = tree.get(p);
        if (!entry) return missing(id);
        if (entry.kind !== "dir") return status(id, STATUS_CODE.FAILURE, "Not a directory");
        if (refused(p, "read")) return denied(id);
        sftp.handle(id, newHandle({ kind: "dir", path: p, names: childrenOf(p), sent: false }));
      },
    );
    on(
      "READDIR",
      (_id: number, handle: Buffer) => handleOf(handle)?.path ?? "",
      (id: number, handle: Buffer) => {
        const h = handleOf(handle);
        if (!h || h.kind !== "dir") return status(id, STATUS_CODE.FAILURE, "Bad handle");
        if (h.sent) return status(id, STATUS_CODE.EOF);
        h.sent = true;
        const names = h.names.flatMap((name) => {
          const entry = tree.get(normalize(`${h.path}/${name}`));
          return entry
            ? [{ filename: name, longname: longname(name, entry), attrs: attrsOf(entry) }]
            : [];
        });
        if (names.length === 0) return status(id, STATUS_CODE.EOF);
        sftp.name(id, names);
      },
    );
    on(
      "OPEN",
      (_id: number, path: string) => path,
      (id: number, path: string, flags: number) => {
        const p = normalize(path);
        const write = (flags & OPEN_MODE.WRITE) !== 0;
        const parent = tree.get(parentOf(p));
        if (!parent || parent.kind !== "dir") return missing(id);
        if (refused(parentOf(p), write ? "write" : "read")) return denied(id);
        const entry = tree.get(p);
        if (entry?.kind === "dir") return status(id, STATUS_CODE.FAILURE, "Is a directory");
        if (!entry) {
          if (!(flags & OPEN_MODE.CREAT)) return missing(id);
          tree.set(p, { kind: "file", data: Buffer.alloc(0), mtime: Date.now() });
        } else if (flags & OPEN_MODE.EXCL) return status(id, STATUS_CODE.FAILURE, "File exists");
        else if (flags & OPEN_MODE.TRUNC)
          tree.set(p, { kind: "file", data: Buffer.alloc(0), mtime: Date.now() });
        sftp.handle(id, newHandle({ kind: "file", path: p, write }));
      },
    );
    on(
      "READ",
      (_id: number, handle: Buffer) => handleOf(handle)?.path ?? "",
      (id: number, handle: Buffer, offset: number, length: number) => {
        const h = handleOf(handle);
        const entry = h && tree.get(h.path);
        if (!h || h.kind !== "file" || entry?.kind !== "file")
          return status(id, STATUS_CODE.FAILURE, "Bad handle");
        if (offset >= entry.data.length) return status(id, STATUS_CODE.EOF);
        sftp.data(id, entry.data.subarray(offset, offset + length));
      },
    );
    on(
      "WRITE",
      (_id: number, handle: Buffer) => handleOf(handle)?.path ?? "",
      (id: number, handle: Buffer, offset: number, data: Buffer) => {
        const h = handleOf(handle);
        const entry = h && tree.get(h.path);
        if (!h || h.kind !== "file" || !h.write || entry?.kind !== "file")
          return status(id, STATUS_CODE.FAILURE, "Bad handle");
        const size = Math.max(entry.data.length, offset + data.length);
        const next = Buffer.alloc(size);
        entry.data.copy(next);
        data.copy(next, offset);
        tree.set(h.path, { kind: "file", data: next, mtime: Date.now() });
        status(id, STATUS_CODE.OK);
      },
    );
    on(
      "FSTAT",
      (_id: number, handle: Buffer) => handleOf(handle)?.path ?? "",
      (id: number, handle: Buffer) => {
        const h = handleOf(handle);
        const entry = h && tree.get(h.path);
        if (!entry) return status(id, STATUS_CODE.FAILURE, "Bad handle");
        sftp.attrs(id, attrsOf(entry));
      },
    );
    on(
      "CLOSE",
      (_id: number, handle: Buffer) => handleOf(handle)?.path ?? "",
      (id: number, handle: Buffer) => {
        if (!handleOf(handle)) return status(id, STATUS_CODE.FAILURE, "Bad handle");
        handles.delete(handle.readUInt32BE());
        status(id, STATUS_CODE.OK);
      },
    );
    on(
      "RENAME",
      (_id: number, from: string, to: string) => `${from} -> ${to}`,
      (id: number, from: string, to: string) => {
        const a = normalize(from);
        const b = normalize(to);
        const entry = tree.get(a);
        if (!entry) return missing(id);
        if (tree.get(parentOf(b))?.kind !== "dir") return missing(id);
        if (refused(parentOf(a), "write") || refused(parentOf(b), "write")) return denied(id);
        // As OpenSSH's SFTP v3 rename: never over an existing file.
        if (tree.has(b)) return status(id, STATUS_CODE.FAILURE, "File exists");
        if (entry.kind === "dir") return status(id, STATUS_CODE.OP_UNSUPPORTED);
        tree.delete(a);
        tree.set(b, entry);
        status(id, STATUS_CODE.OK);
      },
    );
    on(
      "REMOVE",
      (_id: number, path: string) => path,
      (id: number, path: string) => {
        const p = normalize(path);
        const entry = tree.get(p);
        if (!entry) return missing(id);
        if (entry.kind !== "file") return status(id, STATUS_CODE.FAILURE, "Is a directory");
        if (refused(parentOf(p), "write")) return denied(id);
        tree.delete(p);
        status(id, STATUS_CODE.OK);
      },
    );
    on(
      "MKDIR",
      (_id: number, path: string) => path,
      (id: number, path: string) => {
        const p = normalize(path);
        if (tree.has(p)) return status(id, STATUS_CODE.FAILURE, "File exists");
        if (tree.get(parentOf(p))?.kind !== "dir") return missing(id);
        if (refused(parentOf(p), "write")) return denied(id);
        tree.set(p, { kind: "dir", mtime: Date.now() });
        status(id, STATUS_CODE.OK);
      },
    );
    for (const op of ["SETSTAT", "FSETSTAT", "RMDIR", "READLINK", "SYMLINK"] as const)
      on(
        op,
        () => "",
        (id: number) => status(id, STATUS_CODE.OP_UNSUPPORTED),
      );
  };

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    connections.add(client);
    client.on("close", () => connections.delete(client));
    client.on("error", () => undefined);
    client.on("authentication", (ctx) => {
      const decide = (ok: boolean) => {
        const answer = () => (ok ? ctx.accept() : ctx.reject(["password", "publickey"]));
        if (authDelayMs > 0) setTimeout(answer, authDelayMs);
        else answer();
      };
      const userOk = same(Buffer.from(ctx.username), Buffer.from(username));
      if (ctx.method === "password")
        return decide(userOk && same(Buffer.from(ctx.password), Buffer.from(password)));
      if (ctx.method === "publickey") {
        const keyOk =
          userOk &&
          ctx.key.algo === allowedKey.type &&
          same(ctx.key.data, allowedKey.getPublicSSH());
        if (!keyOk) return decide(false);
        // Without a signature the client only asks whether the key would do.
        if (!ctx.signature || !ctx.blob) return decide(true);
        return decide(allowedKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true);
      }
      ctx.reject(["password", "publickey"]);
    });
    client.on("ready", () => {
      client.on("session", (accept) => {
        const session = accept();
        session.on("sftp", (acceptSftp) => serveSftp(acceptSftp()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: "127.0.0.1",
    port,
    username,
    password,
    hostKeySha256,
    clientPrivateKey: clientKeys.private,
    requests,
    settings: (overrides = {}) => ({
      host: "127.0.0.1",
      port,
      username,
      password,
      hostKeySha256,
      directory: "/in",
      processedDirectory: "/processed",
      resultsDirectory: "/results",
      timeoutMs: 5_000,
      allowPrivateNetwork: true,
      ...overrides,
    }),
    put,
    get: (path) => {
      const entry = tree.get(normalize(path));
      return entry?.kind === "file" ? entry.data : undefined;
    },
    list: (directory) => childrenOf(normalize(directory)),
    mkdir: mkdirp,
    deny: (directory, what = "all") => {
      denied.set(normalize(directory), what);
    },
    allow: (directory) => {
      denied.delete(normalize(directory));
    },
    slow: (ms, times) => {
      slowMs = ms;
      slowTimes = times ?? Number.POSITIVE_INFINITY;
    },
    slowAuthentication: (ms) => {
      authDelayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.end();
        server.close(() => resolve());
      }),
  };
}
