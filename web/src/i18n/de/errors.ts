// German texts of the API error codes the pages built so far meet; other codes show the
// server's (English) message.
const errors: Record<string, string> = {
  ADMIN_LOCKOUT:
    "Nach dieser Änderung könnte niemand mehr Rollen verwalten; sie wurde nicht gespeichert.",
  SYSTEM_ROLE_PROTECTED:
    "Eingebaute Rollen lassen sich nicht löschen; bearbeiten oder setzen Sie sie zurück.",
  NETWORK_ERROR:
    "Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
  UNEXPECTED_RESPONSE: "Der Server hat eine Antwort geschickt, die diese Seite nicht versteht.",
  INVALID_CREDENTIALS: "E-Mail-Adresse oder Passwort ist falsch.",
  ACCOUNT_LOCKED: "Zu viele fehlgeschlagene Anmeldungen; das Konto ist für 30 Minuten gesperrt.",
  ACCOUNT_SUSPENDED: "Dieses Konto ist gesperrt; wenden Sie sich an Ihre Administration.",
  EMAIL_NOT_VERIFIED: "Bestätigen Sie Ihre E-Mail-Adresse, bevor Sie sich anmelden.",
  EMAIL_TAKEN: "Für diese E-Mail-Adresse gibt es schon ein Konto.",
  EMAIL_DOMAIN_NOT_ALLOWED: "Mit Adressen dieser Domain kann man sich hier nicht registrieren.",
  WEAK_PASSWORD: "Das Passwort erfüllt die Regeln noch nicht.",
  INVALID_TOKEN: "Dieser Link ist ungültig oder abgelaufen.",
  RATE_LIMITED: "Zu viele Anfragen; warten Sie kurz und versuchen Sie es erneut.",
  PROCESSING_RESTRICTED:
    "Die Verarbeitung der Daten dieser Person ist in der Organisation eingeschränkt: Ihr Lernnachweis wird erst nach Aufhebung der Einschränkung angezeigt.",
  NOT_FOUND: "Das gesuchte Objekt gibt es nicht, oder es ist für Sie nicht sichtbar.",
  ALREADY_ENROLLED: "Sie sind in diesen Kurs schon eingeschrieben.",
  ALREADY_WAITLISTED: "Sie stehen schon auf der Warteliste dieser Kohorte.",
  ALREADY_REQUESTED: "Ihre Anfrage zu diesem Kurs wartet schon auf Prüfung.",
  PREREQUISITES_NOT_MET: "Schließen Sie zuerst die vorausgesetzten Kurse ab.",
  ENROLLMENT_CLOSED: "Dieser Kurs oder diese Kohorte nimmt so derzeit keine Einschreibungen an.",
  COHORT_REQUIRED: "Wählen Sie eine Kohorte, um sich einzuschreiben.",
  COURSE_FULL: "In diesem Kurs ist kein Platz mehr frei.",
  COHORT_FULL: "In dieser Kohorte ist kein Platz mehr frei.",
  PAYMENT_REQUIRED: "Dieser Kurs ist kostenpflichtig.",
  INTERNAL_ERROR: "Auf dem Server ist ein Fehler aufgetreten.",
  ACCESS_CODE_INVALID: "Dieser Zugangscode ist nicht gültig.",
  ACCESS_CODE_EXHAUSTED: "Dieser Zugangscode ist aufgebraucht.",
  OFFER_EXPIRED: "Das Angebot ist abgelaufen; der Platz ging an die nächste Person.",
  REQUEST_NOT_PENDING: "Über diese Anfrage wurde schon entschieden.",
  TEMPLATE_NOT_DRAFT:
    "Nur ein Entwurf kann bearbeitet werden; diese Version wurde schon eingereicht. Schreiben Sie einen neuen Entwurf.",
  NOT_ENROLLED: "Sie sind in diesen Kurs nicht eingeschrieben.",
  MODULE_LOCKED: "Dieses Modul ist noch nicht freigeschaltet.",
  ATTEMPT_LIMIT_REACHED: "Sie haben alle Versuche für dieses Quiz genutzt.",
  QUIZ_NOT_AVAILABLE: "Dieses Quiz ist derzeit nicht geöffnet.",
  TIME_LIMIT_EXCEEDED:
    "Die Zeit ist um: Der Versuch wurde mit den rechtzeitig gespeicherten Antworten abgegeben.",
  ATTEMPT_NOT_IN_PROGRESS: "Dieser Versuch ist schon abgegeben.",
  QUESTION_LOCKED: "Frühere Fragen lassen sich in diesem Quiz nicht mehr ändern.",
  // Account, sessions and invitations.
  CANNOT_REVOKE_CURRENT_SESSION: "Die aktuelle Sitzung beenden Sie mit „Abmelden“.",
  UNSUPPORTED_MEDIA_TYPE: "Fotos müssen JPEG-, PNG- oder WebP-Bilder sein.",
  INVALID_FILE: "Das Bild konnte nicht gelesen werden.",
  PAYLOAD_TOO_LARGE: "Die Datei ist zu groß.",
  INVITE_NOT_PENDING: "Diese Einladung ist nicht mehr offen.",
  INVITE_DECLINED: "Diese Einladung wurde abgelehnt und kann nicht mehr angenommen werden.",
  INVITE_EXPIRED: "Diese Einladung ist abgelaufen; bitten Sie um eine neue.",
  INVITE_EMAIL_MISMATCH:
    "Diese Einladung ging an eine andere E-Mail-Adresse; melden Sie sich mit dieser an.",
  ORGANIZATION_SUSPENDED: "Diese Organisation ist gesperrt.",
  INVALID_MFA_CODE: "Der Code ist falsch oder wurde schon verwendet.",
  WEBAUTHN_REGISTRATION_FAILED:
    "Der Sicherheitsschlüssel konnte nicht hinzugefügt werden; beginnen Sie erneut.",
  MFA_CHALLENGE_INVALID:
    "Dieser Anmeldeschritt ist abgelaufen oder wurde schon verwendet; melden Sie sich erneut an.",
  SESSION_IDLE_TIMEOUT:
    "Die Sitzung war in dieser Organisation zu lange inaktiv; melden Sie sich erneut an.",
  MFA_ENROLLMENT_REQUIRED:
    "Diese Organisation verlangt die zweistufige Anmeldung; schalten Sie sie zuerst für Ihr Konto ein.",
  MFA_SESSION_REQUIRED:
    "Diese Organisation verlangt die zweistufige Anmeldung; melden Sie sich mit Ihrem Code erneut an.",
  PASSWORD_EXPIRED: "Ihr Passwort ist abgelaufen; setzen Sie über „Passwort vergessen“ ein neues.",
  MFA_ALREADY_ENABLED: "Die zweistufige Anmeldung ist bereits eingeschaltet.",
  MFA_NOT_ENABLED: "Die zweistufige Anmeldung ist nicht eingeschaltet.",
  PASSWORD_REUSED: "Dieses Passwort haben Sie kürzlich schon verwendet; wählen Sie ein anderes.",
  IP_ALLOW_LIST_LOCKOUT:
    "Die Liste enthält Ihre eigene Adresse nicht; Sie würden sich selbst aussperren.",
  IP_NOT_ALLOWED: "Diese Organisation erlaubt keinen Zugriff aus Ihrem Netzwerk.",
};

export default errors;
