import type { NotificationType } from "./notify.js";
import type { TemplateChannel } from "./schema.js";

/**
 * The built-in texts of every notification type, in every language the web app speaks.
 * They are the system templates' first version (version 0): used whenever neither the
 * organization nor the platform has an active version of its own. `action` is the label of
 * the mail's button.
 */
interface BuiltinText {
  title: string;
  body: string;
  action?: string;
}

export const BUILTIN_LANGUAGES = ["en", "de"] as const;
export type BuiltinLanguage = (typeof BUILTIN_LANGUAGES)[number];

const EN: Record<NotificationType, BuiltinText> = {
  welcome: {
    title: "Welcome to Lyceum, {{firstName}}!",
    body: "Confirm your email address, then find your first course in the catalog.",
  },
  "enrollment-accepted": {
    title: "You're in: {{courseTitle}}",
    body: "{{#if waitlistPosition}}Your request was approved; the cohort is full, so you are number {{waitlistPosition}} on its waitlist.{{else}}Your request was approved. You can start learning now.{{/if}}",
  },
  "enrollment-rejected": {
    title: "Your request to join {{courseTitle}} was declined",
    body: "{{#if notes}}{{notes}}{{else}}The course team declined the request.{{/if}}",
  },
  "enrollment-requested": {
    title: "{{requesterName}} asks to join {{courseTitle}}",
    body: "{{#if reason}}Reason: {{reason}}{{else}}Review the request in the course's requests.{{/if}}",
    action: "Review the request",
  },
  "enrollment-assigned": {
    title: "New training: {{courseTitle}}",
    body: "{{#if compliance}}Compliance training{{else}}{{#if mandatory}}Mandatory training{{else}}Training{{/if}}{{/if}} was assigned to you.{{#if dueAt}} Complete it by {{dueAt}}.{{/if}}",
  },
  "waitlist-offer": {
    title: "A seat is waiting for you: {{courseTitle}}",
    body: "A seat opened in {{cohortName}}. It is held for you until {{heldUntil}}.",
    action: "Accept the seat",
  },
  "payment-received": {
    title: "Payment received: {{courseTitle}}",
    body: "We received {{amount}}. You're enrolled.",
  },
  "payment-refunded": {
    title: "Refund: {{courseTitle}}",
    body: "{{amount}} is on its way back to you.",
  },
  "lesson-unlocked": {
    title: "Now open: {{moduleTitle}}",
    body: "You finished what it was waiting for.",
  },
  "course-completed": {
    title: "You completed {{courseTitle}}",
    body: "Well done! Your transcript is up to date.",
  },
  "certificate-issued": {
    title: "Your certificate for {{courseTitle}}",
    body: "Certificate {{certificateNumber}} is ready to download and share.",
    action: "See your certificate",
  },
  announcement: { title: "{{courseTitle}}: {{announcementTitle}}", body: "{{excerpt}}" },
  "quiz-graded": {
    title: "{{quizTitle}}: {{#if regraded}}regraded{{else}}graded{{/if}}",
    body: "{{#if score}}You scored {{score}} %{{#if passed}} and passed{{/if}}.{{else}}Your answers have been reviewed.{{/if}}",
    action: "See your results",
  },
  "report-ready": {
    title:
      '{{#if scheduled}}Scheduled report{{else}}Your report{{/if}} "{{reportName}}" {{#if ready}}is ready{{else}}failed{{/if}}',
    body: "{{#if ready}}{{#if rowCount}}{{rowCount}} rows. Download it before it expires.{{/if}}{{else}}{{#if reason}}{{reason}}{{else}}It could not be produced.{{/if}}{{/if}}",
    action:
      "{{#if scheduled}}Open Lyceum{{else}}{{#if ready}}Download{{else}}See the report{{/if}}{{/if}}",
  },
  "invite-declined": {
    title: "{{email}} declined the invitation to {{organizationName}}",
    body: "The invitation is closed. You can send a new one if they change their mind.",
  },
  "integration-incident": {
    title: "{{integrationName}} {{#if resolved}}works again{{else}}keeps failing{{/if}}",
    body: "{{#if resolved}}The sync that ended at {{endedAt}} went through after {{failures}} failed runs.{{else}}The last {{failures}} syncs failed. The last one said: {{#if error}}{{error}}{{else}}no reason given{{/if}}{{/if}}",
    action: "Open the integration",
  },
  "integration-file-waiting": {
    title: "{{integrationName}}: a file waits for its columns to be mapped",
    body: "{{fileName}} arrived on the SFTP server, and the saved column mapping does not fit it. Map its columns to import it.",
    action: "Map the columns",
  },
  "webhook-disabled": {
    title: "A webhook was disabled",
    body: "Deliveries to {{url}} failed {{failures}} times in a row; Lyceum stopped sending to it. Enable it again once the receiver works.",
    action: "Open the webhook",
  },
  "compliance-due-soon": {
    title: "{{courseTitle}} is due soon",
    body: "Compliance training ({{requirementName}}) is due by {{dueAt}}.",
    action: "Open the course",
  },
  "compliance-overdue": {
    title: "{{courseTitle}} is overdue",
    body: "Compliance training ({{requirementName}}) was due by {{dueAt}}. Complete it as soon as you can.",
    action: "Open the course",
  },
  "compliance-escalation": {
    title: "{{personName}} is overdue on {{courseTitle}}",
    body: "{{personName}} has not completed compliance training ({{requirementName}}) that was due by {{dueAt}}{{#if managerTold}}; their manager was told{{/if}}.",
    action: "Open their page",
  },
  "workflow-approval-requested": {
    title: "Approval needed: {{summary}}",
    body: "The workflow {{workflowName}} waits for your decision{{#if subjectName}} on a request about {{subjectName}}{{/if}}{{#if escalated}}; it came to you because it was not decided in time{{/if}}.",
    action: "Review it",
  },
  "workflow-notification": {
    title: "{{workflowName}}",
    body: "{{message}}",
    action: "Open Lyceum",
  },
  "workflow-decided": {
    title: "{{#if approved}}Approved{{else}}Declined{{/if}}: {{summary}}",
    body: "{{#if approved}}Your request was approved.{{else}}Your request was declined.{{/if}}{{#if notes}} {{notes}}{{/if}}",
    action: "Open Lyceum",
  },
};

const DE: Record<NotificationType, BuiltinText> = {
  welcome: {
    title: "Willkommen bei Lyceum, {{firstName}}!",
    body: "Bestätigen Sie Ihre E-Mail-Adresse und finden Sie dann Ihren ersten Kurs im Katalog.",
  },
  "enrollment-accepted": {
    title: "Sie sind dabei: {{courseTitle}}",
    body: "{{#if waitlistPosition}}Ihre Anfrage wurde angenommen; die Kohorte ist voll, Sie sind Nummer {{waitlistPosition}} auf der Warteliste.{{else}}Ihre Anfrage wurde angenommen. Sie können jetzt mit dem Lernen beginnen.{{/if}}",
  },
  "enrollment-rejected": {
    title: "Ihre Anfrage für {{courseTitle}} wurde abgelehnt",
    body: "{{#if notes}}{{notes}}{{else}}Das Kursteam hat die Anfrage abgelehnt.{{/if}}",
  },
  "enrollment-requested": {
    title: "{{requesterName}} möchte an {{courseTitle}} teilnehmen",
    body: "{{#if reason}}Begründung: {{reason}}{{else}}Prüfen Sie die Anfrage in den Anfragen des Kurses.{{/if}}",
    action: "Anfrage prüfen",
  },
  "enrollment-assigned": {
    title: "Neue Schulung: {{courseTitle}}",
    body: "{{#if compliance}}Eine Compliance-Schulung{{else}}{{#if mandatory}}Eine Pflichtschulung{{else}}Eine Schulung{{/if}}{{/if}} wurde Ihnen zugewiesen.{{#if dueAt}} Schließen Sie sie bis {{dueAt}} ab.{{/if}}",
  },
  "waitlist-offer": {
    title: "Ein Platz wartet auf Sie: {{courseTitle}}",
    body: "In {{cohortName}} ist ein Platz frei geworden. Er ist bis {{heldUntil}} für Sie reserviert.",
    action: "Platz annehmen",
  },
  "payment-received": {
    title: "Zahlung erhalten: {{courseTitle}}",
    body: "Wir haben {{amount}} erhalten. Sie sind eingeschrieben.",
  },
  "payment-refunded": {
    title: "Erstattung: {{courseTitle}}",
    body: "{{amount}} wird Ihnen erstattet.",
  },
  "lesson-unlocked": {
    title: "Jetzt offen: {{moduleTitle}}",
    body: "Sie haben abgeschlossen, worauf es gewartet hat.",
  },
  "course-completed": {
    title: "Sie haben {{courseTitle}} abgeschlossen",
    body: "Gut gemacht! Ihr Lernnachweis ist auf dem neuesten Stand.",
  },
  "certificate-issued": {
    title: "Ihr Zertifikat für {{courseTitle}}",
    body: "Zertifikat {{certificateNumber}} steht zum Herunterladen und Teilen bereit.",
    action: "Zertifikat ansehen",
  },
  announcement: { title: "{{courseTitle}}: {{announcementTitle}}", body: "{{excerpt}}" },
  "quiz-graded": {
    title: "{{quizTitle}}: {{#if regraded}}neu bewertet{{else}}bewertet{{/if}}",
    body: "{{#if score}}Sie haben {{score}} % erreicht{{#if passed}} und bestanden{{/if}}.{{else}}Ihre Antworten wurden geprüft.{{/if}}",
    action: "Ergebnis ansehen",
  },
  "report-ready": {
    title:
      "{{#if scheduled}}Geplanter Bericht{{else}}Ihr Bericht{{/if}} „{{reportName}}“ {{#if ready}}ist fertig{{else}}ist fehlgeschlagen{{/if}}",
    body: "{{#if ready}}{{#if rowCount}}{{rowCount}} Zeilen. Laden Sie ihn herunter, bevor er abläuft.{{/if}}{{else}}{{#if reason}}{{reason}}{{else}}Er konnte nicht erstellt werden.{{/if}}{{/if}}",
    action:
      "{{#if scheduled}}Lyceum öffnen{{else}}{{#if ready}}Herunterladen{{else}}Bericht ansehen{{/if}}{{/if}}",
  },
  "invite-declined": {
    title: "{{email}} hat die Einladung zu {{organizationName}} abgelehnt",
    body: "Die Einladung ist geschlossen. Sie können eine neue senden, falls sich die Person umentscheidet.",
  },
  "integration-incident": {
    title:
      "{{integrationName}} {{#if resolved}}funktioniert wieder{{else}}schlägt wiederholt fehl{{/if}}",
    body: "{{#if resolved}}Die Synchronisation, die um {{endedAt}} endete, lief nach {{failures}} fehlgeschlagenen Läufen durch.{{else}}Die letzten {{failures}} Synchronisationen sind fehlgeschlagen. Die letzte meldete: {{#if error}}{{error}}{{else}}kein Grund angegeben{{/if}}{{/if}}",
    action: "Integration öffnen",
  },
  "integration-file-waiting": {
    title: "{{integrationName}}: eine Datei wartet auf die Zuordnung ihrer Spalten",
    body: "{{fileName}} ist auf dem SFTP-Server eingetroffen, und die gespeicherte Spaltenzuordnung passt nicht. Ordnen Sie die Spalten zu, um sie zu importieren.",
    action: "Spalten zuordnen",
  },
  "webhook-disabled": {
    title: "Ein Webhook wurde deaktiviert",
    body: "Zustellungen an {{url}} sind {{failures}}-mal nacheinander fehlgeschlagen; Lyceum sendet nicht mehr dorthin. Aktivieren Sie ihn wieder, sobald der Empfänger funktioniert.",
    action: "Webhook öffnen",
  },
  "compliance-due-soon": {
    title: "{{courseTitle}} ist bald fällig",
    body: "Die Compliance-Schulung ({{requirementName}}) ist bis {{dueAt}} fällig.",
    action: "Kurs öffnen",
  },
  "compliance-overdue": {
    title: "{{courseTitle}} ist überfällig",
    body: "Die Compliance-Schulung ({{requirementName}}) war bis {{dueAt}} fällig. Schließen Sie sie so bald wie möglich ab.",
    action: "Kurs öffnen",
  },
  "compliance-escalation": {
    title: "{{personName}} ist bei {{courseTitle}} überfällig",
    body: "{{personName}} hat die Compliance-Schulung ({{requirementName}}) nicht abgeschlossen, die bis {{dueAt}} fällig war{{#if managerTold}}; die Führungskraft wurde informiert{{/if}}.",
    action: "Seite öffnen",
  },
  "workflow-approval-requested": {
    title: "Freigabe nötig: {{summary}}",
    body: "Der Workflow {{workflowName}} wartet auf Ihre Entscheidung{{#if subjectName}} zu einer Anfrage über {{subjectName}}{{/if}}{{#if escalated}}; sie kam zu Ihnen, weil sie nicht rechtzeitig entschieden wurde{{/if}}.",
    action: "Prüfen",
  },
  "workflow-notification": {
    title: "{{workflowName}}",
    body: "{{message}}",
    action: "Lyceum öffnen",
  },
  "workflow-decided": {
    title: "{{#if approved}}Freigegeben{{else}}Abgelehnt{{/if}}: {{summary}}",
    body: "{{#if approved}}Ihre Anfrage wurde freigegeben.{{else}}Ihre Anfrage wurde abgelehnt.{{/if}}{{#if notes}} {{notes}}{{/if}}",
    action: "Lyceum öffnen",
  },
};

const TEXTS: Record<BuiltinLanguage, Record<NotificationType, BuiltinText>> = { en: EN, de: DE };
const GREETING: Record<BuiltinLanguage, string> = {
  en: "Hello {{firstName}},",
  de: "Hallo {{firstName}},",
};
const OPEN: Record<BuiltinLanguage, string> = { en: "Open Lyceum", de: "Lyceum öffnen" };

export interface TemplateText {
  subject: string;
  body: string;
}

/** The built-in text of a type on a channel in a language, or null when there is none. */
export function builtinTemplate(
  type: NotificationType,
  channel: TemplateChannel,
  language: string,
): TemplateText | null {
  const texts = Object.hasOwn(TEXTS, language) ? TEXTS[language as BuiltinLanguage] : undefined;
  const text = texts && Object.hasOwn(texts, type) ? texts[type] : undefined;
  if (!text) return null;
  switch (channel) {
    case "in-app":
    case "push":
      return { subject: text.title, body: text.body };
    case "email":
      return {
        subject: text.title,
        body: `${GREETING[language as BuiltinLanguage]}\n\n${text.body}`,
      };
    case "sms":
      return { subject: "", body: text.title };
  }
}

/** The label of a mail's button for a type, in a language (English when there is none). */
export function builtinActionLabel(type: NotificationType, language: string): string {
  const lang: BuiltinLanguage = Object.hasOwn(TEXTS, language)
    ? (language as BuiltinLanguage)
    : "en";
  return TEXTS[lang][type].action ?? OPEN[lang];
}
