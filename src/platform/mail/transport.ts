import nodemailer, { type Transporter } from "nodemailer";
import type { Logger } from "pino";

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

/** The receiving server refused the recipient for good (an SMTP 5xx answer): a bounce. */
export class MailRejectedError extends Error {}

/** A way to hand a message to the world. SMTP in production; a console or memory otherwise. */
export interface MailTransport {
  readonly name: string;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close?(): Promise<void>;
}

/** Real delivery through an SMTP server (`smtp://user:pass@host:587`, `smtps://…`). */
export class SmtpTransport implements MailTransport {
  readonly name = "smtp";
  private readonly transporter: Transporter;
  constructor(url: string) {
    this.transporter = nodemailer.createTransport(url);
  }
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    let info: { messageId: unknown; rejected?: unknown[] };
    try {
      info = await this.transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html ?? undefined,
      });
    } catch (error) {
      // the server refused the recipient itself (RCPT TO) with a permanent answer
      const { code, responseCode } = error as { code?: string; responseCode?: number };
      if (code === "EENVELOPE" && responseCode && responseCode >= 500 && responseCode < 600)
        throw new MailRejectedError((error as Error).message);
      throw error;
    }
    if (info.rejected?.length)
      throw new MailRejectedError(`The server refused ${info.rejected.map(String).join(", ")}`);
    return { messageId: String(info.messageId) };
  }
  async close(): Promise<void> {
    this.transporter.close();
  }
}

/** Prints each message to the log: development without an SMTP server. */
export class ConsoleTransport implements MailTransport {
  readonly name = "console";
  private counter = 0;
  constructor(private readonly log: Logger) {}
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    this.log.info({ to: mail.to, subject: mail.subject }, `mail to ${mail.to}\n${mail.text}`);
    return { messageId: `console-${++this.counter}` };
  }
}

/** Keeps sent messages in memory; for tests that do not need a real SMTP server. */
export class MemoryTransport implements MailTransport {
  readonly name = "memory";
  readonly sent: OutgoingMail[] = [];
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    this.sent.push(mail);
    return { messageId: `memory-${this.sent.length}` };
  }
}
