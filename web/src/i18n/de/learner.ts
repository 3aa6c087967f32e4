import type en from "../en/learner";

const learner: typeof en = {
  myLearning: {
    title: "Mein Lernen",
    listLabel: "Ihre laufenden Kurse",
    emptyTitle: "Noch keine Kurse",
    emptyBody:
      "Sobald Sie sich in einen Kurs einschreiben oder Ihre Organisation Ihnen einen zuweist, erscheint er hier mit Ihrem Fortschritt.",
    browseCatalog: "Katalog durchsuchen",
    progress: "{{percent}} abgeschlossen",
    progressLabel: "Fortschritt in {{course}}",
    lessons: "{{completed}} von {{total}} Lektionen",
    lastActivity: "Zuletzt aktiv {{relative}}",
    notStarted: "Noch nicht begonnen",
    continue: "Weiter",
    start: "Beginnen",
    due: "Fällig {{relative}} ({{date}})",
    overdue: "Überfällig: war fällig {{relative}} ({{date}})",
    overdueBadge: "Überfällig",
    mandatory: "Pflicht",
    compliance: "Compliance",
    status: {
      "pending-payment": "Zahlung ausstehend",
      active: "In Bearbeitung",
      completed: "Abgeschlossen",
      suspended: "Ausgesetzt",
      dropped: "Abgebrochen",
      expired: "Abgelaufen",
    },
    assigned: {
      title: "Zugewiesen und fällig",
      listLabel: "Ihnen zugewiesene Kurse und Kurse mit Fälligkeit",
      emptyTitle: "Nichts zugewiesen",
      emptyBody:
        "Hier erscheinen Kurse, die Ihre Organisation Ihnen zuweist, und Kurse mit einem Fälligkeitsdatum.",
    },
    inProgress: {
      title: "In Bearbeitung",
      emptyTitle: "Keine laufenden Kurse",
      emptyBody:
        "Kurse, in die Sie sich selbst einschreiben, erscheinen hier, bis Sie sie abschließen.",
    },
    completed: {
      title: "Abgeschlossen",
      listLabel: "Abgeschlossene Kurse",
      emptyTitle: "Noch nichts abgeschlossen",
      emptyBody: "Abgeschlossene Kurse erscheinen hier, mit ihren Zertifikaten.",
      on: "Abgeschlossen am {{date}}",
      certificate: "Zertifikat ansehen",
    },
    certificates: {
      title: "Zertifikate",
      listLabel: "Ihre neuesten Zertifikate",
      all: "Alle Zertifikate",
      emptyTitle: "Noch keine Zertifikate",
      emptyBody: "Schließen Sie einen Kurs mit Zertifikat ab, erscheint es hier.",
      issued: "Ausgestellt am {{date}}",
      status: { valid: "Gültig", expired: "Abgelaufen", revoked: "Widerrufen" },
    },
    notifications: {
      title: "Neueste Benachrichtigungen",
      listLabel: "Ihre neuesten Benachrichtigungen",
      emptyTitle: "Keine Benachrichtigungen",
      emptyBody: "Neuigkeiten zu Ihren Kursen, Zertifikaten und Fristen erscheinen hier.",
      unread: "Neu",
    },
  },
};

export default learner;
