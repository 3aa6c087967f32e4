import type { Logger } from "pino";
import type { Config } from "../config.js";
import { type Db, transaction } from "../db/connection.js";
import type { GraderProvider } from "../modules/assessments/ai-grading.js";
import type { ConnectorFactory } from "../modules/integrations/connectors/types.js";
import { type Actor, NO_REQUEST, type RequestMeta } from "./auth/actor.js";
import type { TokenService } from "./auth/tokens.js";
import type { Clock } from "./clock.js";
import type { TxtResolver } from "./dns.js";
import type { EventBus } from "./events.js";
import type { Mailer } from "./mail/mailer.js";
import type { PaymentProviders } from "./payments/provider.js";
import { SYSTEM_ACCESS } from "./policy/engine.js";
import type { References } from "./references.js";
import type { SecretBox } from "./secrets.js";
import type { StorageProvider } from "./storage/storage.js";

/** Long-lived parts of the running application, built once at start. */
export interface AppServices {
  db: Db;
  config: Config;
  clock: Clock;
  log: Logger;
  mailer: Mailer;
  storage: StorageProvider;
  /** Domain events; handlers receive the emitter's context (and so its transaction). */
  events: AppEvents;
  tokens: TokenService;
  payments: PaymentProviders;
  /** Suggests grades for open answers; null when AI grading is off. */
  grader: GraderProvider | null;
  /** Resolves ids named in bodies and queries inside the caller's organization. */
  references: References;
  /** DNS TXT lookups (email-domain verification). */
  dns: TxtResolver;
  /** Seals and opens secrets kept at rest (integration credentials). */
  secrets: SecretBox;
  /** Builds the client of an integration's external system (tests inject local fakes). */
  connectors: ConnectorFactory;
}

/** The application's event bus: handlers receive a `Ctx`. */
export type AppEvents = EventBus<Ctx>;

/**
 * What a use case runs with: the services, the database handle (a transaction when inside
 * one), who is acting, and where the request came from. Never an HTTP object.
 */
export interface Ctx extends AppServices {
  actor: Actor;
  meta: RequestMeta;
  /**
   * Applies the rules of an organization the request acts in (its IP allow-list, MFA
   * required, idle timeout) to the person making it; throws when they refuse. Set on people's
   * requests by the organization security guard, once per organization per request (later
   * calls answer from the first); absent elsewhere (the system, API keys, anonymous callers).
   * The guard calls it for the organization and the objects a request's path names, the
   * reference check for the ids its body and query name; services that find an organization
   * any other way call it themselves.
   */
  enterOrganization?: (organizationId: string) => Promise<void>;
}

/** Runs `fn` in a transaction, reusing the caller's when it already has one. */
export function inTransaction<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return transaction(ctx.db, (trx) => fn({ ...ctx, db: trx }));
}

/** The context of work Lyceum does on its own (worker jobs, CLI commands): allowed everything. */
export function systemCtx(services: AppServices, label: string): Ctx {
  return {
    ...services,
    actor: { kind: "system", label, access: async () => SYSTEM_ACCESS },
    meta: NO_REQUEST,
  };
}
