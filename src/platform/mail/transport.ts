import nodemailer, { type Transporter } from "nodemailer";
import type { Logger } from "pino";

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

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
    const info = await this.transporter.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? undefined,
    });
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
