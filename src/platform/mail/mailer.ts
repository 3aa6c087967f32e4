import { sql } from "kysely";
import type { Logger } from "pino";
import type { Db } from "../../db/connection.js";
import type { Clock } from "../clock.js";
import { newId } from "../ids.js";
import { MailRejectedError, type MailTransport } from "./transport.js";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Template name, for the outbox listing and tests. */
  template: string;
  userId?: string | null;
  organizationId?: string | null;
}

const SENDING_LEASE_MS = 10 * 60_000;
const BACKOFF_MS = [30_000, 120_000, 600_000, 3_600_000];

/**
 * Mail goes through a database outbox: a message is stored in the same transaction as the
 * change that caused it, and delivered afterwards, with retries, by the worker.
 */
export class Mailer {
  private wake?: () => void;

  constructor(
    private readonly transport: MailTransport,
    private readonly from: string,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  get transportName(): string {
    return this.transport.name;
  }

  /** Stores a message for delivery. Pass the transaction that makes the causing change. */
  async enqueue(db: Db, message: MailMessage): Promise<string> {
    const row = await db
      .insertInto("mail_outbox")
      .values({
        to_address: message.to,
        subject: message.subject,
        text_body: message.text,
        html_body: message.html ?? null,
        template: message.template,
        user_id: message.userId ?? null,
        organization_id: message.organizationId ?? null,
        next_attempt_at: this.clock.now(),
        created_at: this.clock.now(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    this.wake?.();
    return row.id;
  }

  /**
   * Stores many messages for delivery in one statement (a slice of notices sent together);
   * answers their ids in the order given. Pass the transaction that makes the causing change.
   */
  async enqueueMany(db: Db, messages: readonly MailMessage[]): Promise<string[]> {
    if (!messages.length) return [];
    const ids = messages.map(() => newId());
    await db
      .insertInto("mail_outbox")
      .values(
        messages.map((message, i) => ({
          id: ids[i] as string,
          to_address: message.to,
          subject: message.subject,
          text_body: message.text,
          html_body: message.html ?? null,
          template: message.template,
          user_id: message.userId ?? null,
          organization_id: message.organizationId ?? null,
          next_attempt_at: this.clock.now(),
          created_at: this.clock.now(),
        })),
      )
      .execute();
    this.wake?.();
    return ids;
  }

  /** Lets the worker be told that mail is waiting, instead of waiting for its next poll. */
  onEnqueue(wake: () => void): void {
    this.wake = wake;
  }

  /**
   * Delivers up to `limit` due messages. Rows are claimed with SKIP LOCKED, so several
   * workers never send the same message twice.
   */
  async deliverDue(db: Db, limit = 20): Promise<{ sent: number; failed: number }> {
    const now = this.clock.now();
    const claimed = await db
      .updateTable("mail_outbox")
      .set({
        status: "sending",
        attempts: sql`attempts + 1`,
        // a lease: a message whose sender died is picked up again once this passes
        next_attempt_at: new Date(now.getTime() + SENDING_LEASE_MS),
      })
      .where(
        "id",
        "in",
        db
          .selectFrom("mail_outbox")
          .select("id")
          .where("status", "in", ["queued", "sending"])
          .where("next_attempt_at", "<=", now)
          .orderBy("next_attempt_at")
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
    let sent = 0;
    let failed = 0;
    for (const row of claimed) {
      try {
        const result = await this.transport.send({
          from: this.from,
          to: row.to_address,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
        });
        await db
          .updateTable("mail_outbox")
          .set({
            status: "sent",
            sent_at: this.clock.now(),
            provider: this.transport.name,
            provider_message_id: result.messageId,
            last_error: null,
          })
          .where("id", "=", row.id)
          .execute();
        await this.logDelivery(db, row.id, {
          status: "sent",
          sent_at: this.clock.now(),
          provider_message_id: result.messageId,
          reason: null,
          retries: row.attempts - 1,
        });
        sent++;
      } catch (error) {
        failed++;
        // a recipient the server refuses for good is not tried again
        const bounced = error instanceof MailRejectedError;
        const giveUp = bounced || row.attempts >= row.max_attempts;
        const delay = BACKOFF_MS[Math.min(row.attempts - 1, BACKOFF_MS.length - 1)] ?? 3_600_000;
        this.log.warn(
          { err: error, mailId: row.id, attempt: row.attempts },
          "mail delivery failed",
        );
        const reason = String((error as Error).message ?? error).slice(0, 1000);
        await db
          .updateTable("mail_outbox")
          .set({
            status: giveUp ? "failed" : "queued",
            last_error: reason,
            next_attempt_at: new Date(this.clock.now().getTime() + delay),
            provider: this.transport.name,
          })
          .where("id", "=", row.id)
          .execute();
        await this.logDelivery(db, row.id, {
          reason,
          retries: row.attempts,
          ...(bounced
            ? { status: "bounced", bounced_at: this.clock.now() }
            : giveUp
              ? { status: "failed", failed_at: this.clock.now() }
              : {}),
        });
      }
    }
    return { sent, failed };
  }

  /** Carries a message's outcome into the notification delivery log, when it has an entry. */
  private async logDelivery(
    db: Db,
    mailId: string,
    fields: {
      status?: "sent" | "failed" | "bounced";
      reason: string | null;
      retries: number;
      sent_at?: Date;
      failed_at?: Date;
      bounced_at?: Date;
      provider_message_id?: string;
    },
  ): Promise<void> {
    await db
      .updateTable("notification_deliveries")
      .set({ ...fields, updated_at: this.clock.now() })
      .where("mail_outbox_id", "=", mailId)
      .where("channel", "=", "email")
      .execute();
  }

  async close(): Promise<void> {
    await this.transport.close?.();
  }
}
