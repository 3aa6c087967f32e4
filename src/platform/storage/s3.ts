import { createHash, createHmac } from "node:crypto";
import { createReadStream } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ByteRange, LocalFile, StorageProvider } from "./storage.js";

/**
 * Files in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Backblaze B2, Ceph …) over the
 * plain REST API with Signature Version 4 — no SDK. Path-style addressing by default
 * (`endpoint/bucket/key`), which every compatible service accepts.
 */

export interface S3Options {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `endpoint/bucket/key` (default) or `bucket.endpoint/key`. */
  pathStyle?: boolean;
  /** Key prefix inside the bucket, e.g. `lyceum/`. */
  prefix?: string;
}

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) =>
  createHmac("sha256", key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (slashes kept in paths). */
function encode(text: string, keepSlash: boolean): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, keepSlash ? "/" : "%2F");
}

export interface SignInput {
  method: string;
  url: URL;
  headers: Record<string, string>;
  payloadHash: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** yyyymmddThhmmssZ */
  amzDate: string;
}

/** The Authorization header of a request (AWS Signature Version 4, service s3). */
export function signV4(input: SignInput): string {
  const date = input.amzDate.slice(0, 8);
  const headers = Object.fromEntries(
    Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, " ")]),
  );
  const names = Object.keys(headers).sort();
  const query = [...input.url.searchParams.entries()]
    .map(([k, v]) => `${encode(k, false)}=${encode(v, false)}`)
    .sort()
    .join("&");
  const canonical = [
    input.method,
    encode(decodeURIComponent(input.url.pathname), true),
    query,
    names.map((n) => `${n}:${headers[n]}\n`).join(""),
    names.join(";"),
    input.payloadHash,
  ].join("\n");
  const scope = `${date}/${input.region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", input.amzDate, scope, sha256Hex(canonical)].join("\n");
  const key = hmac(
    hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, date), input.region), "s3"),
    "aws4_request",
  );
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  return `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope},SignedHeaders=${names.join(";")},Signature=${signature}`;
}

export class S3Storage implements StorageProvider {
  readonly name = "s3";

  constructor(private readonly options: S3Options) {}

  private url(key: string): URL {
    const base = new URL(this.options.endpoint);
    const path = `${this.options.prefix ?? ""}${key}`;
    if (this.options.pathStyle === false) {
      base.hostname = `${this.options.bucket}.${base.hostname}`;
      base.pathname = `/${path}`;
    } else {
      base.pathname = `${base.pathname.replace(/\/$/, "")}/${this.options.bucket}/${path}`;
    }
    return base;
  }

  /** The signed headers of a request (SigV4 over the payload's SHA-256), with any `extra` ones. */
  private sign(
    method: string,
    url: URL,
    payloadHash: string,
    contentType?: string,
    extra: Record<string, string> = {},
  ) {
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const headers: Record<string, string> = {
      host: url.host,
      "x-amz-content-sha256": payloadHash,
      "x-amz-date": amzDate,
      ...(contentType ? { "content-type": contentType } : {}),
      ...extra,
    };
    const authorization = signV4({
      method,
      url,
      headers,
      payloadHash,
      region: this.options.region,
      accessKeyId: this.options.accessKeyId,
      secretAccessKey: this.options.secretAccessKey,
      amzDate,
    });
    const { host: _host, ...sent } = headers;
    return { ...sent, authorization };
  }

  /**
   * A request with a small body (or none). The timeout covers waiting for the answer's head,
   * not reading its body: a download streamed on to a slow client may take as long as it takes.
   */
  private async send(
    method: string,
    key: string,
    body?: Buffer,
    contentType?: string,
    extra?: Record<string, string>,
  ) {
    const url = this.url(key);
    const headers = this.sign(method, url, sha256Hex(body ?? ""), contentType, extra);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`S3 ${method} ${key} timed out`)), 60_000);
    try {
      return await fetch(url, {
        method,
        headers,
        body: body ? new Uint8Array(body) : undefined,
        signal: abort.signal,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const res = await this.send("PUT", key, body, contentType);
    if (!res.ok) throw new Error(`S3 PUT ${key} answered ${res.status}: ${await res.text()}`);
  }

  /**
   * Uploads a file from disk as one PUT of known length, read as the socket takes it (fetch would
   * read the file ahead of a slow bucket into memory). The payload hash is the writer's SHA-256.
   */
  async putFile(key: string, file: LocalFile, contentType: string): Promise<void> {
    const url = this.url(key);
    const headers = {
      ...this.sign("PUT", url, file.sha256, contentType),
      "content-length": String(file.size),
    };
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = send(url, { method: "PUT", headers, timeout: 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`S3 PUT ${key} stalled`)));
      req.on("error", reject);
      // pipeline closes the file whatever happens to the request.
      pipeline(createReadStream(file.path), req).catch(reject);
    });
    const res = await answer;
    if (res.status < 200 || res.status > 299)
      throw new Error(`S3 PUT ${key} answered ${res.status}: ${res.text}`);
  }

  async get(key: string): Promise<Buffer | null> {
    const res = await this.send("GET", key);
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`S3 GET ${key} answered ${res.status}: ${await res.text()}`);
    return Buffer.from(await res.arrayBuffer());
  }

  async open(key: string, range?: ByteRange): Promise<Readable | null> {
    const res = await this.send(
      "GET",
      key,
      undefined,
      undefined,
      range ? { range: `bytes=${range.start}-${range.end}` } : undefined,
    );
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok || !res.body)
      throw new Error(`S3 GET ${key} answered ${res.status}: ${await res.text()}`);
    return Readable.fromWeb(res.body as never);
  }

  async delete(key: string): Promise<void> {
    const res = await this.send("DELETE", key);
    if (!res.ok && res.status !== 404)
      throw new Error(`S3 DELETE ${key} answered ${res.status}: ${await res.text()}`);
  }
}
