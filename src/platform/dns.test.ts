import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDnsServer } from "../../test/fake-dns.js";
import { DnsTxtResolver } from "./dns.js";

let dns: FakeDnsServer;
let resolver: DnsTxtResolver;
beforeAll(async () => {
  dns = await FakeDnsServer.start();
  resolver = new DnsTxtResolver({ servers: [dns.address], timeoutMs: 2000 });
});
afterAll(() => dns.close());

describe("the DNS TXT resolver (against a DNS server on 127.0.0.1)", () => {
  it("returns every TXT record, joining the 255-byte strings of a long one", async () => {
    const long = `v=${"x".repeat(600)}`;
    dns.setTxt("_check.records.example", ["lyceum-verification=abc", long]);
    const found = await resolver.lookupTxt("_check.records.example");
    expect(found.status).toBe("found");
    expect(found.status === "found" && [...found.records].sort()).toEqual(
      ["lyceum-verification=abc", long].sort(),
    );
    expect(dns.queries.at(-1)).toEqual({ name: "_check.records.example", type: 16 });
  });

  it("reads a missing name and a name without TXT records as not found", async () => {
    expect(await resolver.lookupTxt("nothing.example")).toEqual({ status: "not-found" });
    dns.setTxt("empty.example", []);
    expect(await resolver.lookupTxt("empty.example")).toEqual({ status: "not-found" });
  });

  it("reports a server failure as failed, never as not found", async () => {
    dns.fail("broken.example");
    const answer = await resolver.lookupTxt("broken.example");
    expect(answer).toEqual({ status: "failed", reason: "ESERVFAIL" });
  });

  it("reports an unreachable server as failed", async () => {
    const closed = await FakeDnsServer.start();
    const address = closed.address;
    await closed.close();
    const unreachable = new DnsTxtResolver({ servers: [address], timeoutMs: 200 });
    const answer = await unreachable.lookupTxt("anything.example");
    expect(answer.status).toBe("failed");
  });
});
