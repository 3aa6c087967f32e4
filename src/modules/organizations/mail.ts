import { mailPage } from "../../platform/mail/layout.js";
import type { MailMessage } from "../../platform/mail/mailer.js";

export function inviteMail(input: {
  to: string;
  organizationName: string;
  inviterName: string | null;
  message: string | null;
  url: string;
  expiresAt: Date;
  organizationId: string;
}): MailMessage {
  const lines = [
    `${input.inviterName ?? "An administrator"} invited you to join ${input.organizationName} on Lyceum.`,
    ...(input.message ? [`"${input.message}"`] : []),
    `The invitation is valid until ${input.expiresAt.toUTCString()}.`,
  ];
  return {
    to: input.to,
    subject: `Join ${input.organizationName} on Lyceum`,
    text: `${lines.join("\n\n")}\n\nAccept: ${input.url}\n`,
    html: mailPage(`Join ${input.organizationName}`, lines, {
      label: "Accept the invitation",
      url: input.url,
    }),
    template: "organization-invite",
    organizationId: input.organizationId,
  };
}
