import type { Ability } from "../policy/engine.js";

/**
 * The access rule every API route declares in `config.access`. A route without one fails
 * at start-up, so no endpoint can skip the policy layer.
 *
 * - `public`: anyone, signed in or not (login, register, health). With `identify: true` the
 *   caller is still recognized when they send valid credentials (a catalog shows members their
 *   organization's courses); invalid credentials then count as anonymous.
 * - `user`: any signed-in person, acting on themselves (`/users/me`, `/auth/sessions`).
 * - `permission`: the actor (person or API key) must hold the ability at some scope in the
 *   organization named by the route's `:organizationId` parameter; with `platform: true`,
 *   at scope `all`. Handlers then check the object itself with `authorize`.
 */
export type RouteAccess =
  | { public: true; rateLimit?: "auth"; identify?: boolean }
  | { user: true; rateLimit?: "auth" }
  | {
      permission: Ability;
      /** Require the permission platform-wide (scope `all`). */
      platform?: boolean;
      /** API keys may call the route (default true for permission routes). */
      apiKeys?: boolean;
    };

export function isPublic(
  access: RouteAccess,
): access is { public: true; rateLimit?: "auth"; identify?: boolean } {
  return "public" in access;
}
