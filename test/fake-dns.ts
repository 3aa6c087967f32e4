/**
 * A tiny authoritative DNS server on 127.0.0.1 for tests: it speaks the real wire protocol
 * (RFC 1035) over UDP, answers TXT queries for the names it was given, NXDOMAIN for any other
 * name, an empty answer (NODATA) for other record types, and SERVFAIL for names told to fail.
 * Point a resolver at `server.address` and nothing leaves the machine.
 */
import { createSocket, type Socket } from "node:dgram";

const TYPE_TXT = 16;
const CLASS_IN = 1;
const RCODE = { ok: 0, servfail: 2, nxdomain: 3 } as const;

export class FakeDnsServer {
  /** Every question asked, in order (lower-case name and numeric type). */
  readonly queries: Array<{ name: string; type: number }> = [];
  private readonly txt = new Map<string, string[]>();
  private readonly failing = new Set<string>();

  private constructor(
    private readonly socket: Socket,
    /** `127.0.0.1:<port>`, as `Resolver.setServers` and `DNS_SERVERS` take it. */
    readonly address: string,
  ) {}

  /** Starts a server on a free UDP port of 127.0.0.1. */
  static async start(): Promise<FakeDnsServer> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, "127.0.0.1", () => resolve());
    });
    const server = new FakeDnsServer(socket, `127.0.0.1:${socket.address().port}`);
    socket.on("message", (query, peer) => {
      const answer = server.answer(query);
      if (answer) socket.send(answer, peer.port, peer.address);
    });
    return server;
  }

  /**
   * Publishes TXT records at `name` (replacing any, and ending a `fail`); an empty list makes
   * the name exist with none.
   */
  setTxt(name: string, values: string[]): void {
    const key = name.toLowerCase().replace(/\.$/, "");
    this.failing.delete(key);
    this.txt.set(key, values);
  }

  /** Removes a name: it answers NXDOMAIN again. */
  remove(name: string): void {
    this.txt.delete(name.toLowerCase().replace(/\.$/, ""));
  }

  /** Makes queries for `name` answer SERVFAIL (a broken or unreachable zone). */
  fail(name: string): void {
    this.failing.add(name.toLowerCase().replace(/\.$/, ""));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private answer(query: Buffer): Buffer | null {
    if (query.length < 12 || query.readUInt16BE(4) !== 1) return null;
    const flags = query.readUInt16BE(2);
    if (flags & 0x8000) return null; // a response, not a query
    const labels: string[] = [];
    let offset = 12;
    while (offset < query.length) {
      const length = query[offset] as number;
      offset += 1;
      if (length === 0) break;
      if (length > 63 || offset + length > query.length) return null;
      labels.push(query.subarray(offset, offset + length).toString("latin1"));
      offset += length;
    }
    if (offset + 4 > query.length) return null;
    const type = query.readUInt16BE(offset);
    const questionEnd = offset + 4;
    const name = labels.join(".").toLowerCase();
    this.queries.push({ name, type });

    const values = this.txt.get(name);
    const rcode = this.failing.has(name)
      ? RCODE.servfail
      : values === undefined
        ? RCODE.nxdomain
        : RCODE.ok;
    const records = rcode === RCODE.ok && type === TYPE_TXT ? (values ?? []) : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    // QR, the query's opcode, authoritative, the query's recursion-desired, recursion available.
    header.writeUInt16BE(0x8000 | (flags & 0x7800) | 0x0400 | (flags & 0x0100) | 0x0080 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    return Buffer.concat([
      header,
      query.subarray(12, questionEnd),
      ...records.map((value) => txtRecord(value)),
    ]);
  }
}

/** One TXT resource record for the question's name (a pointer to offset 12), TTL 60. */
function txtRecord(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  const strings: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    strings.push(Buffer.from([chunk.length]), chunk);
  }
  const data = Buffer.concat(strings);
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0);
  fixed.writeUInt16BE(TYPE_TXT, 2);
  fixed.writeUInt16BE(CLASS_IN, 4);
  fixed.writeUInt32BE(60, 6);
  fixed.writeUInt16BE(data.length, 10);
  return Buffer.concat([fixed, data]);
}
