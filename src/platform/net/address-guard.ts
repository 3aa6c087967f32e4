import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Integrations and outbound webhooks are configured by organization administrators, and Lyceum
 * calls the address they give: without a guard, that is a way to make the server reach what
 * only it can reach (its loopback, the cloud provider's metadata service, the private
 * network). Unless the deployment allows private networks (INTEGRATIONS_ALLOW_PRIVATE_NETWORK,
 * WEBHOOK_ALLOW_PRIVATE_NETWORK: a system on the intranet, tests against local fakes), every
 * request first resolves its host and refuses addresses that are not public. A host that
 * resolves to a public address for the check and a private one for the request (DNS
 * rebinding) is not caught here; a deployment that must rule that out too routes the traffic
 * through an egress proxy.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  PRIVATE.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
] as const)
  PRIVATE.addSubnet(net, prefix, "ipv6");

/** Whether an IP address is loopback, private, link-local, shared, reserved or multicast. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) return PRIVATE.check(mapped[1], "ipv4");
    return PRIVATE.check(address, "ipv6");
  }
  return true;
}

export type Resolver = (host: string) => Promise<string[]>;

const resolveAll: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Why an address was refused: the host does not resolve, or it is not public. */
export class AddressGuardError extends Error {
  constructor(
    readonly reason: "unresolved" | "private",
    readonly host: string,
    message: string,
  ) {
    super(message);
    this.name = "AddressGuardError";
  }
}

/**
 * Refuses a URL whose host is, or resolves to, an address that is not public. `what` names
 * the system in the messages; `setting` the deployment setting that allows private networks.
 */
export async function assertPublicAddress(
  url: URL,
  what: string,
  setting: string,
  resolve: Resolver = resolveAll,
): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new AddressGuardError(
        "unresolved",
        host,
        `Lyceum could not find ${what} at ${host}: no such host.`,
      );
    }
  }
  if (!addresses.length || addresses.some(isPrivateAddress))
    throw new AddressGuardError(
      "private",
      host,
      `${host} is an address on a private network; Lyceum calls ${what} on public addresses only (the deployment can allow private networks with ${setting}).`,
    );
}
