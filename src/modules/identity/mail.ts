import { mailPage as page } from "../../platform/mail/layout.js";
import type { MailMessage } from "../../platform/mail/mailer.js";

interface Person {
  id: string;
  email: string;
  first_name: string;
}

export function verificationMail(
  user: Person,
  to: string,
  url: string,
  isChange: boolean,
): MailMessage {
  const intro = isChange
    ? "You asked to change the email address of your Lyceum account to this one."
    : "Welcome to Lyceum! Please confirm your email address to finish creating your account.";
  const lines = [`Hello ${user.first_name},`, intro, "The link is valid for 48 hours."];
  return {
    to,
    subject: isChange ? "Confirm your new email address" : "Confirm your email address",
    text: `${lines.join("\n\n")}\n\nConfirm: ${url}\n`,
    html: page("Confirm your email address", lines, { label: "Confirm email", url }),
    template: isChange ? "email-change-verification" : "email-verification",
    userId: user.id,
  };
}

export function passwordResetMail(user: Person, url: string): MailMessage {
  const lines = [
    `Hello ${user.first_name},`,
    "Someone asked to reset the password of your Lyceum account. If it was you, use the link below; it works once and expires in one hour.",
    "If it was not you, ignore this message: your password stays as it is.",
  ];
  return {
    to: user.email,
    subject: "Reset your Lyceum password",
    text: `${lines.join("\n\n")}\n\nReset: ${url}\n`,
    html: page("Reset your password", lines, { label: "Choose a new password", url }),
    template: "password-reset",
    userId: user.id,
  };
}

export function passwordChangedMail(user: Person): MailMessage {
  const lines = [
    `Hello ${user.first_name},`,
    "The password of your Lyceum account was just changed and every device was signed out.",
    "If you did not do this, reset your password at once and contact your administrator.",
  ];
  return {
    to: user.email,
    subject: "Your Lyceum password was changed",
    text: lines.join("\n\n"),
    html: page("Your password was changed", lines),
    template: "password-changed",
    userId: user.id,
  };
}

export function emailChangeNoticeMail(user: Person, newEmail: string): MailMessage {
  const lines = [
    `Hello ${user.first_name},`,
    `Someone asked to change the email address of your Lyceum account to ${newEmail}. The change takes effect once the new address is confirmed.`,
    "If this was not you, change your password now.",
  ];
  return {
    to: user.email,
    subject: "Your Lyceum email address is changing",
    text: lines.join("\n\n"),
    html: page("Email change requested", lines),
    template: "email-change-notice",
    userId: user.id,
  };
}
