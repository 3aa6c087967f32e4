import type en from "../en/teaching";

const teaching: typeof en = {
  requests: {
    title: "Anfragen zur Teilnahme",
    course: "Für {{course}}",
    intro:
      "Lernende, die an diesem Kurs teilnehmen möchten. Eine Zusage schreibt sie ein; bei einer Absage erfahren sie den Grund, wenn Sie ihn nennen.",
    pending: "Warten auf eine Entscheidung",
    decided: "Entschieden",
    emptyTitle: "Keine Anfragen warten",
    emptyReason:
      "Wenn jemand an diesem Kurs teilnehmen möchte, erscheint die Anfrage hier und Sie werden benachrichtigt.",
    noDecided: "Noch keine Anfrage wurde entschieden.",
    requestedAt: "Angefragt am {{date}}",
    decidedAt: "Entschieden am {{date}}",
    message: "Nachricht",
    noMessage: "Keine Nachricht.",
    reviewNotes: "Notiz an die lernende Person",
    approve: "Zusagen",
    decline: "Absagen",
    actionsFor: "Über die Anfrage von {{name}} entscheiden",
    declineTitle: "Die Anfrage von {{name}} ablehnen",
    declineReason: "Grund (wird der lernenden Person geschickt)",
    declineReasonHint: "Freiwillig. Sagen Sie, warum, und was stattdessen möglich ist.",
    declineConfirm: "Anfrage ablehnen",
    cancel: "Weiter warten lassen",
    approved: "{{name}} wurde zugelassen.",
    declined: "Die Anfrage von {{name}} wurde abgelehnt.",
    status: {
      pending: "Wartet",
      approved: "Zugesagt",
      rejected: "Abgelehnt",
      withdrawn: "Zurückgezogen",
    },
    refusedTitle: "Sie können diese Anfragen nicht prüfen",
    refusedBody:
      "Nur die Lehrenden des Kurses und die Freigabeberechtigten der Organisation sehen seine Anfragen.",
    notFoundTitle: "Kurs nicht gefunden",
    notFoundBody: "Diesen Kurs gibt es hier nicht, oder er ist für Sie nicht sichtbar.",
    toCourse: "Zur Kursseite",
    toCatalog: "Zum Katalog",
  },
};

export default teaching;
