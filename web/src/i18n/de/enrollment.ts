import type en from "../en/enrollment";

const enrollment: typeof en = {
  status: {
    completed: "Sie haben diesen Kurs abgeschlossen.",
    suspended: "Ihre Einschreibung ist ausgesetzt. Fragen Sie das Kursteam nach den Gründen.",
    cohort: "Kohorte: {{cohort}}",
  },
  assigned: {
    mandatory: "Pflicht",
    compliance: "Compliance-Schulung",
    due: "Fällig bis {{date}}",
  },
  drop: {
    button: "Kurs verlassen",
    title: "{{course}} verlassen?",
    body: "Ihr Fortschritt bleibt erhalten, aber Sie verlieren den Zugang zum Kurs, und Ihr Platz geht an jemand anderen.",
    paid: "Beim Verlassen wird Ihre Zahlung nicht erstattet. Fragen Sie das Kursteam nach einer Erstattung.",
    keep: "Eingeschrieben bleiben",
    confirm: "Kurs verlassen",
    mandatory: "Diese Schulung wurde Ihnen als Pflicht zugewiesen und kann nicht verlassen werden.",
  },
  code: {
    label: "Zugangscode",
    description: "Der Code, den Sie vom Kursteam oder Ihrer Organisation erhalten haben.",
    submit: "Mit diesem Code beitreten",
    tooShort: "Ein Zugangscode hat mindestens 4 Zeichen.",
    tooLong: "Ein Zugangscode hat höchstens 60 Zeichen.",
  },
  request: {
    sentOn: "Gesendet am {{date}}.",
    notes: "Anmerkung des Kursteams: {{notes}}",
    withdraw: "Anfrage zurückziehen",
  },
  payment: {
    body: "Zahlen Sie {{price}} per Karte, um sich einzuschreiben. Sie sind eingeschrieben, sobald die Zahlung bestätigt ist.",
    pay: "{{price}} zahlen und einschreiben",
    unfinished:
      "Sie haben mit der Zahlung für diesen Kurs begonnen, sie ist aber nicht abgeschlossen. Ihr Platz bleibt eine Weile reserviert.",
    resume: "Weiter zur Zahlung",
    retry: "Zahlung erneut versuchen",
    redirect: "Sie werden zur Zahlungsseite geleitet und danach hierher zurückgebracht.",
    received: "Zahlung erhalten, Sie sind eingeschrieben.",
    cancelled: "Zahlung abgebrochen, es wurde nichts berechnet.",
    confirming: "Ihre Zahlung wird bestätigt …",
    late: "Ihre Zahlung ist noch nicht bestätigt. Wir benachrichtigen Sie, sobald sie es ist; Sie können auch später erneut nachsehen.",
    checkAgain: "Erneut prüfen",
  },
  checkout: {
    title: "Testzahlung",
    intro:
      "Diese Seite nimmt Zahlungen über ihren eingebauten Testanbieter an: Es wird keine Karte belastet.",
    course: "Kurs",
    amount: "Betrag",
    pay: "{{price}} zahlen",
    cancel: "Zahlung abbrechen",
    done: "Diese Zahlung ist schon abgeschlossen.",
    status: "Status: {{status}}",
    statuses: {
      pending: "Wartet auf Zahlung",
      completed: "Bezahlt",
      failed: "Fehlgeschlagen",
      expired: "Abgelaufen",
      refunded: "Erstattet",
      "partially-refunded": "Teilweise erstattet",
    },
    back: "Zurück zum Kurs",
    notFoundTitle: "Zahlung nicht gefunden",
    notFoundBody: "Unter dieser Adresse gibt es keine Zahlung von Ihnen.",
  },
  waitlist: {
    position: "Sie sind Nummer {{position}} auf der Warteliste für {{cohort}}.",
    weWillTell:
      "Wir benachrichtigen Sie per E-Mail und in der App, sobald ein Platz für Sie frei ist.",
    leave: "Warteliste verlassen",
    offered: "Ein Platz in {{cohort}} ist für Sie reserviert bis {{until}}.",
    seeOffer: "Platz annehmen oder ablehnen",
  },
  offer: {
    title: "Ein Platz wartet auf Sie",
    body: "In {{cohort}} von {{course}} ist ein Platz frei geworden. Er ist für Sie reserviert bis {{until}}; danach geht er an die nächste Person.",
    left_one: "Noch etwa {{count}} Stunde.",
    left_other: "Noch etwa {{count}} Stunden.",
    accept: "Platz annehmen",
    decline: "Ablehnen",
    declineConfirm: "Platz ablehnen? Er geht an die nächste wartende Person.",
    acceptedTitle: "Sie sind eingeschrieben",
    acceptedBody: "Der Platz gehört Ihnen: Sie sind in {{course}} eingeschrieben.",
    declinedTitle: "Platz abgelehnt",
    declinedBody: "Der Platz geht an die nächste wartende Person. Danke für Ihre Rückmeldung.",
    expiredTitle: "Dieses Angebot ist abgelaufen",
    expiredBody: "Das Angebot galt bis {{until}}; der Platz ging an die nächste wartende Person.",
    waitingTitle: "Sie stehen auf der Warteliste",
    goneTitle: "Dieses Angebot gilt nicht mehr",
    goneBody:
      "Es wurde angenommen, abgelehnt oder ist abgelaufen. Unter „Mein Lernen“ stehen die Kurse, in die Sie eingeschrieben sind.",
    toCourse: "Zum Kurs",
    toMyLearning: "Zu „Mein Lernen“",
  },
};

export default enrollment;
