import type en from "../en/feedback";

const feedback: typeof en = {
  reviews: {
    title: "Bewertungen und Rezensionen",
    listLabel: "Rezensionen",
    empty: "Diesen Kurs hat noch niemand bewertet.",
    summary_one: "{{average}} von 5 ({{count}} Bewertung)",
    summary_other: "{{average}} von 5 ({{count}} Bewertungen)",
    stars_one: "{{count}} Stern",
    stars_other: "{{count}} Sterne",
    by: "{{name}}, {{date}}",
    anonymous: "Ein Teilnehmer",
    instructorAnswer: "Antwort der Lehrperson",
    shown_one: "{{shown}} von {{total}} Bewertung angezeigt",
    shown_other: "{{shown}} von {{total}} Bewertungen angezeigt",
    showMore: "Weitere Bewertungen anzeigen",
  },
  rate: {
    heading: "Ihre Bewertung",
    stars: "Sterne",
    starLabel_one: "{{count}} Stern",
    starLabel_other: "{{count}} Sterne",
    ratingRequired: "Wählen Sie 1 bis 5 Sterne",
    title: "Titel der Rezension (optional)",
    content: "Ihre Rezension (optional)",
    tooLong: "Höchstens {{max}} Zeichen",
    submit: "Bewertung speichern",
    update: "Bewertung ändern",
    delete: "Meine Bewertung löschen",
    saved: "Ihre Bewertung ist gespeichert.",
  },
  announcements: {
    title: "Ankündigungen",
    link: "Ankündigungen des Kurses",
    back: "Zurück zu {{course}}",
    backPlain: "Zurück zum Kurs",
    listLabel: "Ankündigungen, die neuesten zuerst",
    emptyTitle: "Keine Ankündigungen",
    emptyBody:
      "Wenn das Kursteam etwas ankündigt, erscheint es hier und Sie werden benachrichtigt.",
    new: "Neu",
    published: "Veröffentlicht am {{date}}",
    priority: { low: "Niedrig", normal: "Normal", high: "Wichtig", urgent: "Dringend" },
  },
};

export default feedback;
