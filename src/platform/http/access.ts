import type { Ability } from "../policy/engine.js";

/**
 * The access rule every API route declares in `config.access`. A route without one fails
 * at start-up, so no endpoint can skip the policy layer.
 *
 * - `public`: anyone, signed in or not (login, register, health).
 * - `user`: any signed-in person, acting on themselves (`/users/me`, `/auth/sessions`).
 * - `permission`: the actor (person or API key) must hold the ability at some scope in the
 *   organization named by the route's `:organizationId` parameter; with `platform: true`,
 *   at scope `all`. Handlers then check the object itself with `authorize`.
 */
export type RouteAccess =
  | { public: true; rateLimit?: "auth" }
  | { user: true; rateLimit?: "auth" }
  | {
      permission: Ability;
      /** Require the permission platform-wide (scope `all`). */
      platform?: boolean;
      /** API keys may call the route (default true for permission routes). */
      apiKeys?: boolean;
    };

export function isPublic(access: RouteAccess): access is { public: true; rateLimit?: "auth" } {
  return "public" in access;
}
