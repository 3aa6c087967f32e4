import type en from "../en/learner";

const learner: typeof en = {
  myLearning: {
    title: "Mein Lernen",
    listLabel: "Ihre Kurse",
    emptyTitle: "Noch keine Kurse",
    emptyBody:
      "Sobald Sie sich in einen Kurs einschreiben oder Ihre Organisation Ihnen einen zuweist, erscheint er hier mit Ihrem Fortschritt.",
    browseCatalog: "Katalog durchsuchen",
    enrolledOn: "Eingeschrieben am {{date}}",
    dueOn: "Fällig am {{date}}",
    progress: "{{percent}} abgeschlossen",
    progressLabel: "Fortschritt in {{course}}",
    lessons: "{{completed}} von {{total}} Lektionen",
    mandatory: "Pflicht",
    status: {
      "pending-payment": "Zahlung ausstehend",
      active: "In Bearbeitung",
      completed: "Abgeschlossen",
      suspended: "Ausgesetzt",
      dropped: "Abgebrochen",
      expired: "Abgelaufen",
    },
  },
};

export default learner;
