import { createReadStream } from "node:fs";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";

/** Where uploaded and generated files live: a local folder by default, or an S3 bucket (s3.ts). */
export interface StorageProvider {
  readonly name: string;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Stores a file written on local disk (large exports) without reading it into memory. */
  putFile(key: string, file: LocalFile, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  /**
   * The stored bytes as a stream, for sending large files on; with `range`, only those bytes
   * (a media player seeking in a video asks for a slice at a time).
   */
  open(key: string, range?: ByteRange): Promise<Readable | null>;
  delete(key: string): Promise<void>;
}

/** Bytes `start` to `end` of a file, both included (as HTTP's `Range: bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

/** A file on local disk with its size and SHA-256 (hex), as the writer measured them. */
export interface LocalFile {
  path: string;
  size: number;
  sha256: string;
}

const notFound = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

const SAFE_KEY = /^[a-z0-9][a-z0-9/_.-]*$/i;

/** Files under one folder; keys are relative paths and may not climb out of it. */
export class LocalStorage implements StorageProvider {
  readonly name = "local";
  constructor(private readonly root: string) {}

  private resolve(key: string): string {
    if (!SAFE_KEY.test(key) || key.includes("..")) throw new Error(`unsafe storage key ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, body: Buffer): Promise<void> {
    const file = this.resolve(key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, body);
  }

  async putFile(key: string, source: LocalFile): Promise<void> {
    const file = this.resolve(key);
    await mkdir(path.dirname(file), { recursive: true });
    await copyFile(source.path, file);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.resolve(key));
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async open(key: string, range?: ByteRange): Promise<Readable | null> {
    const stream = createReadStream(this.resolve(key), range);
    // Wait for the file to open, so a missing one answers null rather than a broken stream.
    return new Promise((resolve, reject) => {
      stream.once("open", () => resolve(stream));
      stream.once("error", (error) => (notFound(error) ? resolve(null) : reject(error)));
    });
  }

  async delete(key: string): Promise<void> {
    await rm(this.resolve(key), { force: true });
  }
}

/** Keeps files in memory; for tests. */
export class MemoryStorage implements StorageProvider {
  readonly name = "memory";
  readonly files = new Map<string, { body: Buffer; contentType: string }>();
  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    this.files.set(key, { body, contentType });
  }
  async putFile(key: string, file: LocalFile, contentType: string): Promise<void> {
    this.files.set(key, { body: await readFile(file.path), contentType });
  }
  async get(key: string): Promise<Buffer | null> {
    return this.files.get(key)?.body ?? null;
  }
  async open(key: string, range?: ByteRange): Promise<Readable | null> {
    const file = this.files.get(key);
    if (!file) return null;
    return Readable.from([range ? file.body.subarray(range.start, range.end + 1) : file.body]);
  }
  async delete(key: string): Promise<void> {
    this.files.delete(key);
  }
}
