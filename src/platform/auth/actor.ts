import { AppError } from "../http/errors.js";
import { type ActorAccess, NO_ACCESS } from "../policy/engine.js";

/** Who is making a request. Every service call receives one. */
export type Actor = UserActor | ApiKeyActor | ScimTokenActor | SystemActor | AnonymousActor;

export interface UserActor {
  kind: "user";
  userId: string;
  sessionId: string;
  /** How the session token arrived; cookie sessions must pass the CSRF check. */
  transport: "bearer" | "cookie";
  access: () => Promise<ActorAccess>;
}

export interface ApiKeyActor {
  kind: "api-key";
  apiKeyId: string;
  organizationId: string;
  access: () => Promise<ActorAccess>;
}

/** An HR system provisioning one organization's people over SCIM with its bearer token. */
export interface ScimTokenActor {
  kind: "scim-token";
  scimTokenId: string;
  organizationId: string;
  access: () => Promise<ActorAccess>;
}

/** The worker, the scheduler and the CLI act as the system. */
export interface SystemActor {
  kind: "system";
  label: string;
  access: () => Promise<ActorAccess>;
}

export interface AnonymousActor {
  kind: "anonymous";
  access: () => Promise<ActorAccess>;
}

/** Where a request came from, recorded in audit and system logs. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** Nobody signed in. */
export const ANONYMOUS: AnonymousActor = { kind: "anonymous", access: async () => NO_ACCESS };

export const NO_REQUEST: RequestMeta = { ip: null, userAgent: null, requestId: null };

export function actorUserId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.userId : null;
}

/** Memoizes an async loader so an actor's grants are read at most once per request. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= load();
    return promise;
  };
}

/** The signed-in person behind a request; FORBIDDEN for API keys and the system. */
export function signedInUserId(actor: Actor, message = "This is for signed-in people"): string {
  if (actor.kind !== "user") throw new AppError("FORBIDDEN", message);
  return actor.userId;
}
