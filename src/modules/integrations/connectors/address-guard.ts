import {
  AddressGuardError,
  assertPublicAddress,
  isPrivateAddress,
  type Resolver,
} from "../../../platform/net/address-guard.js";
import { ConnectorError } from "./types.js";

/** The platform's address guard (platform/net/address-guard.ts) in the terms of connectors. */
export { isPrivateAddress, type Resolver };

/** Refuses a URL whose host is, or resolves to, an address that is not public. */
export async function assertPublicUrl(url: URL, system: string, resolve?: Resolver): Promise<void> {
  try {
    await assertPublicAddress(url, system, "INTEGRATIONS_ALLOW_PRIVATE_NETWORK", resolve);
  } catch (error) {
    if (!(error instanceof AddressGuardError)) throw error;
    if (error.reason === "unresolved") throw new ConnectorError("unreachable", error.message);
    throw new ConnectorError(
      "forbidden",
      `${error.host} is an address on a private network; Lyceum calls integrations on public addresses only (the deployment can allow private networks with INTEGRATIONS_ALLOW_PRIVATE_NETWORK).`,
    );
  }
}

/** `fetch` that checks the address first (see platform/net/address-guard.ts). */
export function publicOnlyFetch(system: string, resolve?: Resolver): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    await assertPublicUrl(url, system, resolve);
    return fetch(input, init);
  };
}
