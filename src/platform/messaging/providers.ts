import type { Logger } from "pino";

/** A text message to a phone number. */
export interface OutgoingSms {
  to: string;
  body: string;
}

/** A push message to a person's devices. */
export interface OutgoingPush {
  userId: string;
  title: string;
  body: string;
  url: string | null;
}

/** A way to send SMS. A real gateway plugs in here; the local one only logs and keeps them. */
export interface SmsProvider {
  readonly name: string;
  send(message: OutgoingSms): Promise<{ messageId: string }>;
}

/** A way to send push messages (web push, a mobile push service). */
export interface PushProvider {
  readonly name: string;
  send(message: OutgoingPush): Promise<{ messageId: string }>;
}

/** Keeps messages in memory, for tests. */
export class MemorySmsProvider implements SmsProvider {
  readonly name: string = "memory";
  readonly sent: OutgoingSms[] = [];
  async send(message: OutgoingSms): Promise<{ messageId: string }> {
    this.sent.push(message);
    return { messageId: `${this.name}-sms-${this.sent.length}` };
  }
}

export class MemoryPushProvider implements PushProvider {
  readonly name: string = "memory";
  readonly sent: OutgoingPush[] = [];
  async send(message: OutgoingPush): Promise<{ messageId: string }> {
    this.sent.push(message);
    return { messageId: `${this.name}-push-${this.sent.length}` };
  }
}

/** Development without a gateway: writes each SMS to the log (and keeps it in memory). */
export class LocalSmsProvider extends MemorySmsProvider {
  override readonly name = "local";
  constructor(private readonly log: Logger) {
    super();
  }
  override async send(message: OutgoingSms): Promise<{ messageId: string }> {
    this.log.info({ to: message.to }, `sms to ${message.to}: ${message.body}`);
    return super.send(message);
  }
}

/** Development without a push service: writes each push message to the log. */
export class LocalPushProvider extends MemoryPushProvider {
  override readonly name = "local";
  constructor(private readonly log: Logger) {
    super();
  }
  override async send(message: OutgoingPush): Promise<{ messageId: string }> {
    this.log.info({ userId: message.userId }, `push to ${message.userId}: ${message.title}`);
    return super.send(message);
  }
}
