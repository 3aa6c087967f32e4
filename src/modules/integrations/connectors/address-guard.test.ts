import { describe, expect, it } from "vitest";
import { startMoodleFake } from "../fakes/moodle-fake.js";
import { assertPublicUrl, isPrivateAddress } from "./address-guard.js";
import { createConnector } from "./registry.js";
import { ConnectorError } from "./types.js";

describe("the address guard of integrations", () => {
  it("tells private, loopback, link-local and reserved addresses from public ones", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "not an address",
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of [
      "8.8.8.8",
      "172.32.0.1",
      "1.1.1.1",
      "2606:4700:4700::1111",
      "::ffff:8.8.8.8",
    ])
      expect(isPrivateAddress(address), address).toBe(false);
  });

  it("refuses a host that resolves to a private address, and one that resolves to nothing", async () => {
    const resolver = (answers: string[]) => async () => answers;
    await expect(
      assertPublicUrl(
        new URL("https://lms.example.org/x"),
        "Moodle",
        resolver(["93.184.216.34", "10.0.0.5"]),
      ),
    ).rejects.toMatchObject({ kind: "forbidden" });
    await expect(
      assertPublicUrl(new URL("https://lms.example.org/x"), "Moodle", resolver([])),
    ).rejects.toMatchObject({ kind: "forbidden" });
    await expect(
      assertPublicUrl(new URL("https://lms.example.org/x"), "Moodle", resolver(["93.184.216.34"])),
    ).resolves.toBeUndefined();
    await expect(
      assertPublicUrl(new URL("http://[::1]:8080/"), "Moodle", resolver(["93.184.216.34"])),
    ).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("keeps a connector from calling the server's own loopback unless the deployment allows it", async () => {
    const fake = await startMoodleFake({ courses: 1, enrollmentsPerCourse: 1 });
    try {
      const spec = {
        type: "moodle" as const,
        baseUrl: fake.url,
        credentials: { kind: "api-token" as const, token: fake.token },
        timeoutMs: 2000,
        maxRetries: 0,
        options: {},
      };
      const refused = await createConnector(spec)
        .listCourses()
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(ConnectorError);
      expect((refused as ConnectorError).message).toMatch(/private network/);
      expect(fake.requests).toHaveLength(0);
      const allowed = await createConnector({ ...spec, allowPrivateNetwork: true }).listCourses();
      expect(allowed.items).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});
