import type en from "../en/notificationTemplates";

// Benachrichtigungstexte: eigene Fassungen einer Organisation und Systemvorlagen, ihre
// Versionen und Freigabe, die Nachverfolgung und das Zustellprotokoll.
const notificationTemplates: typeof en = {
  page: {
    title: "Benachrichtigungstexte",
    intro:
      "Die Texte, mit denen die Benachrichtigungen Ihrer Organisation verschickt werden. Schreiben Sie zu jedem Text eine eigene Version; sie gilt, sobald eine andere Person sie freigibt.",
  },
  system: {
    title: "Benachrichtigungsvorlagen",
    intro:
      "Die Systemtexte, die jede Organisation nutzt, solange sie keine eigenen schreibt. Eine neue Version gilt, sobald eine zweite Plattform-Administratorin oder ein zweiter Plattform-Administrator sie freigibt.",
  },
  tracking: {
    title: "Nachverfolgung",
    label: "Geöffnete E-Mails und angeklickte Links erfassen",
    hint: "An: E-Mails enthalten ein Zählpixel und nachverfolgte Links, das Zustellprotokoll zeigt „geöffnet“ und „angeklickt“. Aus: einfache E-Mails, erfasst wird nur der Versand.",
    on: "Die Nachverfolgung ist an.",
    off: "Die Nachverfolgung ist aus.",
  },
  editor: {
    noTypes: "Es gibt keine Benachrichtigungsarten.",
    chooseTitle: "Welcher Text",
    type: "Benachrichtigungsart",
    channel: "Kanal",
    language: "Sprache",
    variables: "Variablen",
    syntaxHint:
      "Eine Variable fügen Sie mit {{insert}} ein; Text nur dann, wenn eine Variable einen Wert hat, mit {{condition}}. Mehr ist nicht erlaubt.",
    builtinTitle: "Eingebauter Text",
    builtinHint:
      "Lyceums eigener Text (Version 0), genutzt, solange niemand einen anderen schreibt.",
    noBuiltin: "Dieser Kanal hat keinen eigenen Text.",
    liveTitle: "Geltende Systemversion",
    liveSystemHint: "Was Organisationen ohne eigene Version erhalten.",
    inUseTitle: "Zurzeit verwendet",
    inUseHint:
      "Was Personen in dieser Sprache jetzt erhalten (Texte auf {{language}}, Version {{version}}).",
    subject: "Betreff",
    noSubject: "(kein Betreff)",
    subjectHint: {
      email: "Der Betreff der E-Mail",
      "in-app": "Der Titel der Benachrichtigung",
      sms: "Per SMS nicht verschickt; die Nachricht ist der Text",
      push: "Der Titel der Push-Nachricht",
    },
    body: "Text",
    bodyHint: "Leerzeilen trennen die Absätze einer E-Mail.",
    newTitle: "Neue Version schreiben",
    newHint:
      "Sie beginnt als Entwurf. Reichen Sie sie zur Freigabe ein; sobald eine andere Administratorin oder ein anderer Administrator sie freigibt, ersetzt sie den verwendeten Text.",
    newSystemHint:
      "Sie beginnt als Entwurf. Reichen Sie sie zur Freigabe ein; sobald eine zweite Plattform-Administratorin oder ein zweiter Plattform-Administrator sie freigibt, ersetzt sie den Systemtext.",
    editTitle: "Entwurf Version {{version}} bearbeiten",
    editHint:
      "Nur ein Entwurf lässt sich direkt ändern; einmal zur Freigabe eingereicht, bleiben seine Texte, wie sie eingereicht wurden.",
    stopEditing: "Bearbeitung beenden",
    saveDraft: "Entwurf speichern",
    saveAndSubmit: "Speichern und zur Freigabe einreichen",
    saved: "Version {{version}} als Entwurf gespeichert.",
    submitted: "Version {{version}} gespeichert und zur Freigabe eingereicht.",
  },
  preview: {
    title: "Vorschau",
    hint: "Vom Server mit Beispielwerten wie [courseTitle] erzeugt.",
    failed: "Keine Vorschau, solange der Text einen Fehler hat; siehe das Feld oben.",
    empty: "Schreiben Sie einen Text, um seine Vorschau zu sehen.",
    mailFrame: "Die E-Mail, wie sie verschickt wird",
  },
  versions: {
    title: "Versionen",
    emptyTitle: "Noch keine Versionen",
    emptyReason:
      "Ihre Organisation nutzt für diese Art, diesen Kanal und diese Sprache den Systemtext. Schreiben Sie oben eine neue Version, um ihn zu ändern.",
    emptySystemReason:
      "Für diese Art, diesen Kanal und diese Sprache gilt der eingebaute Text. Schreiben Sie oben eine neue Version, um ihn zu ändern.",
    name: "Version {{version}}",
    written: "Geschrieben {{at}}",
    writtenByYou: "Von Ihnen geschrieben {{at}}",
    submitted: "eingereicht {{at}}",
    approved: "freigegeben {{at}}",
    retired: "abgelöst {{at}}",
    sentBack: "Zurückgegeben: {{reason}}",
    cannotApprove: {
      author:
        "Sie haben diese Version geschrieben und können sie daher nicht freigeben: Das tut eine andere Person, die die Organisation ändern darf.",
      submitter:
        "Sie haben diese Version eingereicht und können sie daher nicht freigeben: Das tut eine andere Person, die die Organisation ändern darf.",
    },
    showPreview: "Vorschau von {{name}}",
    hidePreview: "Vorschau von {{name}} ausblenden",
    edit: "{{name}} bearbeiten",
    editing: "{{name}} wird oben bearbeitet",
    submit: "{{name}} zur Freigabe einreichen",
    approve: "{{name}} freigeben",
    reject: "{{name}} zurückgeben",
    reason: "Warum sie zurückgeht",
    sendBack: "Zurückgeben",
    cancel: "Abbrechen",
  },
  status: {
    draft: "Entwurf",
    "pending-approval": "Wartet auf Freigabe",
    active: "Gültig",
    retired: "Abgelöst",
  },
  sources: {
    organization: "Ihrer Organisation",
    system: "System",
    "built-in": "Eingebaut",
  },
  channels: {
    email: "E-Mail",
    "in-app": "In der App",
    sms: "SMS",
    push: "Push",
  },
  languages: {
    en: "Englisch",
    de: "Deutsch",
  },
  log: {
    title: "Zustellprotokoll der Benachrichtigungen",
    heading: "Verschickte Nachrichten",
    intro:
      "Jede Nachricht an die Personen Ihrer Organisation, je Kanal, die neuesten zuerst: ob sie ankam, warum nicht, und ob sie geöffnet wurde.",
    status: "Status",
    channel: "Kanal",
    type: "Benachrichtigungsart",
    person: "Person",
    any: "Alle",
    anyone: "Alle Personen",
    message: "Nachricht",
    tracking: "Geöffnet und angeklickt",
    count_one: "{{count}} Nachricht",
    count_other: "{{count}} Nachrichten",
    emptyTitle: "Noch nichts verschickt",
    emptyReason:
      "Nachrichten erscheinen hier, sobald Personen Ihrer Organisation benachrichtigt werden.",
    noneFilteredTitle: "Keine passenden Nachrichten",
    noneFilteredReason: "Wählen Sie andere Filter oder „Alle“, um mehr zu sehen.",
    unknownPerson: "Eine Person, die nicht mehr zur Organisation gehört",
    channelLine: "{{channel}} · {{language}} · {{version}}",
    builtinVersion: "eingebauter Text",
    version: "Version {{version}}",
    retries_one: "{{count}} Wiederholung",
    retries_other: "{{count}} Wiederholungen",
    openedAt: "Geöffnet {{at}}",
    clickedAt: "Angeklickt {{at}}",
    notTracked: "—",
  },
  deliveryStatus: {
    held: "Für die Zusammenfassung zurückgehalten",
    queued: "In der Warteschlange",
    sent: "Verschickt",
    failed: "Fehlgeschlagen",
    bounced: "Unzustellbar",
    opened: "Geöffnet",
    clicked: "Angeklickt",
  },
  // Die Benachrichtigungsarten (Schlüssel der API).
  types: {
    welcome: "Begrüßung nach der Registrierung",
    "enrollment-accepted": "Eine Einschreibungsanfrage wurde angenommen",
    "enrollment-rejected": "Eine Einschreibungsanfrage wurde abgelehnt",
    "enrollment-requested": "Jemand möchte einem Kurs beitreten",
    "enrollment-assigned": "Eine Schulung wurde zugewiesen",
    "waitlist-offer": "Auf einer Warteliste ist ein Platz frei geworden",
    "payment-received": "Eine Kurszahlung ist eingegangen",
    "payment-refunded": "Eine Kurszahlung wurde erstattet",
    "lesson-unlocked": "Eine Lektion ist verfügbar geworden",
    "course-completed": "Ein Kurs wurde abgeschlossen",
    "certificate-issued": "Ein Zertifikat wurde ausgestellt",
    announcement: "Eine Kursankündigung",
    "quiz-graded": "Ein Quizversuch wurde bewertet",
    "report-ready": "Ein angeforderter Bericht ist fertig oder fehlgeschlagen",
    "invite-declined": "Eine Einladung wurde abgelehnt",
    "integration-incident": "Eine Integration schlägt wiederholt fehl oder läuft wieder",
    "integration-file-waiting":
      "Eine Datei einer Integration wartet auf die Zuordnung ihrer Spalten",
    "webhook-disabled": "Ein Webhook wurde abgeschaltet",
    "compliance-due-soon": "Eine Pflichtschulung ist bald fällig",
    "compliance-overdue": "Eine Pflichtschulung ist überfällig",
    "compliance-escalation":
      "Eine geführte oder betreute Person ist mit einer Pflichtschulung überfällig",
  },
};

export default notificationTemplates;
