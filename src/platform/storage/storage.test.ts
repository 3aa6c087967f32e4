import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalStorage, MemoryStorage, type StorageProvider } from "./storage.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "lyceum-storage-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(stream: AsyncIterable<unknown> | null): Promise<Buffer | null> {
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("local file storage", () => {
  const storage: StorageProvider = new LocalStorage(path.join(dir, "files"));

  it("stores buffers and files, and reads them back whole or as streams", async () => {
    await storage.put("a/b.txt", Buffer.from("hello"), "text/plain");
    expect(String(await storage.get("a/b.txt"))).toBe("hello");
    const source = path.join(dir, "export.csv");
    writeFileSync(source, "x,y\r\n1,2\r\n");
    await storage.putFile("reports/o/j.csv", { path: source, size: 10, sha256: "" }, "text/csv");
    expect(readFileSync(path.join(dir, "files/reports/o/j.csv"), "utf8")).toBe("x,y\r\n1,2\r\n");
    expect(String(await read(await storage.open("reports/o/j.csv")))).toBe("x,y\r\n1,2\r\n");
    await storage.delete("reports/o/j.csv");
    expect(await storage.open("reports/o/j.csv")).toBeNull();
    expect(await storage.get("reports/o/j.csv")).toBeNull();
  });

  it("reads a slice of a file, both ends included", async () => {
    await storage.put("media/v.bin", Buffer.from("0123456789"), "application/octet-stream");
    expect(String(await read(await storage.open("media/v.bin", { start: 2, end: 5 })))).toBe(
      "2345",
    );
    expect(String(await read(await storage.open("media/v.bin", { start: 9, end: 9 })))).toBe("9");
    expect(await storage.open("media/none.bin", { start: 0, end: 1 })).toBeNull();
  });

  it("refuses keys that climb out of its folder", async () => {
    await expect(storage.put("../x", Buffer.from("no"), "text/plain")).rejects.toThrow(/unsafe/);
    await expect(storage.open("a/../../x")).rejects.toThrow(/unsafe/);
  });
});

describe("memory file storage", () => {
  it("reads a slice of a file, both ends included", async () => {
    const storage = new MemoryStorage();
    await storage.put("media/v.bin", Buffer.from("0123456789"), "application/octet-stream");
    expect(String(await read(await storage.open("media/v.bin", { start: 2, end: 5 })))).toBe(
      "2345",
    );
    expect(String(await read(await storage.open("media/v.bin")))).toBe("0123456789");
  });
});
