import type en from "../en/auth";

const auth: typeof en = {
  fields: {
    email: "E-Mail",
    password: "Passwort",
    newPassword: "Neues Passwort",
    confirmPassword: "Neues Passwort wiederholen",
    firstName: "Vorname",
    lastName: "Nachname",
  },
  signIn: {
    title: "Anmelden",
    submit: "Anmelden",
    forgot: "Passwort vergessen?",
    noAccount: "Neu bei Lyceum?",
    signUp: "Konto erstellen",
    resend: "Bestätigungsmail erneut senden",
  },
  signUp: {
    title: "Konto erstellen",
    submit: "Konto erstellen",
    haveAccount: "Sie haben schon ein Konto?",
    signIn: "Anmelden",
  },
  checkEmail: {
    title: "Sehen Sie in Ihr Postfach",
    body: "Wir haben einen Bestätigungslink an {{email}} geschickt. Öffnen Sie ihn, um Ihr Konto zu aktivieren, und melden Sie sich dann an.",
    bodyNoEmail:
      "Wir haben Ihnen einen Bestätigungslink geschickt. Öffnen Sie ihn, um Ihr Konto zu aktivieren, und melden Sie sich dann an.",
    resend: "Mail erneut senden",
    resent: "Wenn es zu der Adresse ein unbestätigtes Konto gibt, ist ein neuer Link unterwegs.",
    signIn: "Zur Anmeldung",
  },
  verify: {
    title: "E-Mail-Adresse bestätigen",
    pending: "Ihre Adresse wird bestätigt…",
    done: "Ihre E-Mail-Adresse {{email}} ist bestätigt.",
    changed: "Ihre E-Mail-Adresse ist jetzt {{email}}. Melden Sie sich ab jetzt damit an.",
    signIn: "Anmelden",
    continue: "Weiter",
    missingToken:
      "Dieser Link enthält keinen Bestätigungscode. Öffnen Sie den Link aus der Mail noch einmal.",
  },
  forgot: {
    title: "Passwort zurücksetzen",
    intro:
      "Geben Sie die Adresse Ihres Kontos ein; wir schicken Ihnen einen Link, mit dem Sie ein neues Passwort wählen.",
    submit: "Link senden",
    sent: "Wenn es zu {{email}} ein Konto gibt, ist ein Link zum Zurücksetzen unterwegs. Er gilt eine Stunde.",
    back: "Zurück zur Anmeldung",
  },
  reset: {
    title: "Neues Passwort wählen",
    submit: "Neues Passwort speichern",
    done: "Ihr Passwort ist geändert und alle Sitzungen wurden abgemeldet. Melden Sie sich mit dem neuen Passwort an.",
    signIn: "Anmelden",
    mismatch: "Die Passwörter stimmen nicht überein",
    missingToken:
      "Dieser Link enthält keinen Code zum Zurücksetzen. Fordern Sie einen neuen Link an.",
    requestNew: "Neuen Link anfordern",
  },
  password: {
    rulesTitle: "Das Passwort braucht:",
    met: "erfüllt",
    notMet: "noch nicht erfüllt",
    rules: {
      minLength: "mindestens {{count}} Zeichen",
      maxLength: "höchstens {{count}} Zeichen",
      lowercase: "einen Kleinbuchstaben",
      uppercase: "einen Großbuchstaben",
      digit: "eine Ziffer",
      special: "ein Sonderzeichen",
      notCommon: "kein häufig verwendetes Passwort",
      notEmail: "nicht Ihre E-Mail-Adresse",
    },
  },
  validation: {
    required: "Bitte ausfüllen",
    email: "Geben Sie eine E-Mail-Adresse wie name@example.com ein",
  },
};

export default auth;
