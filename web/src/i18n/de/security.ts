// Zweistufige Anmeldung (Kontobereich, Code-Schritt der Anmeldung) und Sicherheitseinstellungen.
import type en from "../en/security";

const security: typeof en = {
  signIn: {
    title: "Zweistufige Anmeldung",
    codeHelp: "Geben Sie den 6-stelligen Code ein, den Ihre Authenticator-App für Lyceum zeigt.",
    recoveryHelp: "Geben Sie einen Ihrer Wiederherstellungscodes ein. Jeder funktioniert einmal.",
    codeLabel: "Code",
    recoveryLabel: "Wiederherstellungscode",
    codeInvalid: "Geben Sie die 6 Ziffern ein.",
    recoveryInvalid: "Geben Sie einen Wiederherstellungscode wie abcde-12345 ein.",
    submit: "Anmelden",
    useRecovery: "Stattdessen einen Wiederherstellungscode verwenden",
    useCode: "Stattdessen einen Code aus der App verwenden",
    restart: "Erneut anmelden",
    useKey: "Sicherheitsschlüssel verwenden",
    keyHelp:
      "Verwenden Sie den Sicherheitsschlüssel oder Passkey, den Sie Ihrem Konto hinzugefügt haben.",
    keyOnlyHelp:
      "Bestätigen Sie mit dem Sicherheitsschlüssel oder Passkey, den Sie Ihrem Konto hinzugefügt haben.",
    useKeyInstead: "Stattdessen einen Sicherheitsschlüssel verwenden",
  },
  twoStep: {
    title: "Zweistufige Anmeldung",
    intro:
      "Mit der zweistufigen Anmeldung brauchen Sie zum Anmelden Ihr Passwort und einen Code aus einer Authenticator-App auf Ihrem Telefon oder einen Sicherheitsschlüssel.",
    offTitle: "Die zweistufige Anmeldung ist aus",
    appTitle: "Authenticator-App",
    passwordFirst: "Bestätigen Sie zuerst Ihr Passwort.",
    password: "Passwort",
    passwordToChange:
      "Nötig, um die Wiederherstellungscodes zu ersetzen oder die zweistufige Anmeldung auszuschalten.",
    passwordToReplace: "Nötig, um die Wiederherstellungscodes zu ersetzen.",
    start: "Authenticator-App einrichten",
    scanTitle: "Lyceum in Ihrer Authenticator-App hinzufügen",
    stepApp: "Öffnen Sie eine Authenticator-App (etwa FreeOTP, Aegis oder Google Authenticator).",
    stepSecret:
      "Fügen Sie ein Konto mit diesem Schlüssel hinzu oder öffnen Sie den Link auf dem Telefon mit der App:",
    openInApp: "In der Authenticator-App öffnen",
    stepCode: "Geben Sie den 6-stelligen Code ein, den die App zeigt.",
    code: "Code aus der App",
    confirm: "Zweistufige Anmeldung einschalten",
    onTitle: "Die zweistufige Anmeldung ist eingeschaltet",
    onSince: "Eingeschaltet seit {{date}}.",
    remaining_one: "Noch {{count}} Wiederherstellungscode.",
    remaining_other: "Noch {{count}} Wiederherstellungscodes.",
    regenerate: "Neue Wiederherstellungscodes",
    disable: "Ausschalten",
  },
  keys: {
    title: "Sicherheitsschlüssel",
    intro:
      "Ein Sicherheitsschlüssel oder Passkey (ein USB-Schlüssel oder die Fingerabdruck- oder Gesichtserkennung dieses Geräts) kann bei der Anmeldung den Code aus der App ersetzen.",
    loading: "Ihre Sicherheitsschlüssel werden geladen",
    emptyTitle: "Noch keine Sicherheitsschlüssel",
    emptyReason: "Fügen Sie einen hinzu, um sich damit statt mit einem Code anzumelden.",
    name: "Name des Schlüssels",
    nameHelp:
      "Damit Sie Ihre Schlüssel unterscheiden können, z. B. „Blauer USB-Schlüssel“ oder „Arbeitslaptop“.",
    nameRequired: "Geben Sie dem Schlüssel einen Namen.",
    passwordHelp: "Bestätigen Sie vor der Abfrage des Browsers, dass Sie es sind.",
    passwordRequired: "Geben Sie Ihr Passwort ein.",
    add: "Sicherheitsschlüssel hinzufügen",
    added: "Sicherheitsschlüssel „{{name}}“ hinzugefügt.",
    addedWithCodes:
      "Sicherheitsschlüssel „{{name}}“ hinzugefügt. Die zweistufige Anmeldung ist eingeschaltet, und dazu gehören Wiederherstellungscodes.",
    addedOn: "Hinzugefügt am {{date}}",
    lastUsed: "zuletzt verwendet am {{date}}",
    neverUsed: "noch nicht verwendet",
    remove: "Entfernen",
    removeLabel: "{{name}} entfernen",
    removeTitle: "„{{name}}“ entfernen?",
    removeText:
      "Sie können sich dann nicht mehr mit diesem Schlüssel anmelden. Bestätigen Sie mit Ihrem Passwort.",
    removed: "Sicherheitsschlüssel entfernt.",
    unsupported: "Dieser Browser kann keine Sicherheitsschlüssel verwenden.",
    browserError:
      "Die Abfrage des Browsers wurde abgebrochen oder nicht beendet. Versuchen Sie es erneut.",
  },
  codes: {
    title: "Ihre Wiederherstellungscodes",
    once: "Bewahren Sie diese Codes sicher auf. Sie werden nur jetzt gezeigt. Jeder meldet Sie einmal an, falls Sie Ihr Telefon oder Ihre Sicherheitsschlüssel verlieren.",
    none: "Sie haben keine Wiederherstellungscodes. Erstellen Sie welche, damit Sie sich auch anmelden können, wenn Sie Ihre Sicherheitsschlüssel verlieren.",
    keysOnly:
      "Jeder Wiederherstellungscode meldet Sie einmal an, falls Sie Ihre Sicherheitsschlüssel verlieren.",
    replace: "Wiederherstellungscodes ersetzen",
    create: "Wiederherstellungscodes erstellen",
    copy: "Kopieren",
    copied: "Kopiert",
    download: "Herunterladen",
    done: "Ich habe sie gespeichert",
  },
  org: {
    title: "Sicherheit",
    saved: "Sicherheitseinstellungen gespeichert.",
    save: "Sicherheitseinstellungen speichern",
    mfaTitle: "Zweistufige Anmeldung",
    mfaRequired: "Zweistufige Anmeldung verlangen",
    mfaRequiredHelp:
      "Mitglieder ohne sie werden gebeten, sie einzuschalten, bevor sie in dieser Organisation handeln können; ohne Code angemeldete Sitzungen müssen sich neu anmelden.",
    sessionTitle: "Sitzungen",
    timeout: "Inaktivitäts-Zeitlimit (Minuten)",
    timeoutHelp:
      "Eine so lange in der Organisation inaktive Sitzung muss sich neu anmelden. Leer für keines.",
    ipTitle: "Erlaubte Netzwerke",
    ipAllowList: "IP-Adressen und Netzwerke",
    ipHelp:
      "Eine pro Zeile, IPv4 oder IPv6, z. B. 203.0.113.0/24 oder 2001:db8::/32. Leer erlaubt alle. Gilt für Personen; API-Schlüssel haben eigene Listen.",
    passwordTitle: "Passwortrichtlinie",
    passwordHelp:
      "Gilt zusätzlich zu den Regeln der Plattform, wenn Mitglieder ein Passwort setzen. Wer in mehreren Organisationen ist, erfüllt die strengste.",
    minLength: "Mindestlänge",
    minDigits: "Mindestanzahl Ziffern",
    minSpecial: "Mindestanzahl Sonderzeichen",
    historyCount: "Nicht wiederverwendbare Passwörter",
    maxAgeDays: "Höchstalter (Tage)",
    maxAgeHelp: "Ältere Passwörter müssen vor der Anmeldung zurückgesetzt werden. Leer für keines.",
  },
  required: {
    title: "Zweistufige Anmeldung erforderlich",
    body: "Eine Ihrer Organisationen verlangt die zweistufige Anmeldung. Schalten Sie sie ein, um dort weiterzumachen.",
    action: "Zweistufige Anmeldung einschalten",
  },
};

export default security;
