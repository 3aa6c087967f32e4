import type en from "../en/people";

const people: typeof en = {
  title: "Personen",
  organization: "Organisation",
  intro:
    "Die Personen von {{organization}}, die Sie sehen dürfen, und die Einladungen, die auf eine Antwort warten.",
  noOrganization: "Sie betreuen die Personen keiner Organisation.",
  members: {
    heading: "Mitglieder",
    search: "Suche",
    searchHint: "Name oder E-Mail",
    status: "Status",
    anyStatus: "Jeder Status",
    name: "Name",
    roles: "Rollen",
    department: "Abteilung",
    lastSignIn: "Letzte Anmeldung",
    never: "Nie",
    noDepartment: "—",
    count_one: "{{count}} Person",
    count_other: "{{count}} Personen",
    emptyTitle: "Niemand passt",
    emptyReason: "Versuchen Sie einen anderen Namen, eine andere E-Mail oder einen anderen Status.",
    previous: "Vorherige Seite",
    next: "Nächste Seite",
    page: "Seite {{page}} von {{pages}}",
  },
  status: {
    active: "Aktiv",
    suspended: "Gesperrt",
  },
  invite: {
    open: "Jemanden einladen",
    title: "Jemanden einladen",
    email: "E-Mail-Adresse",
    role: "Rolle",
    roleHint: "Was die Person nach der Annahme tun darf. Lernende sind alle.",
    message: "Nachricht",
    messageHint: "Optional. Wird mit der Einladung verschickt.",
    send: "Einladung senden",
    cancel: "Abbrechen",
    sent: "Eine Einladung wurde an {{email}} geschickt.",
  },
  invites: {
    heading: "Einladungen, die auf eine Antwort warten",
    emptyTitle: "Keine Einladung wartet",
    emptyReason:
      "Einladungen, die Sie senden, stehen hier, bis die Person sie annimmt oder ablehnt.",
    email: "E-Mail",
    role: "Rolle",
    expires: "Läuft ab",
    actions: "Aktionen",
    actionsFor: "Einladung an {{email}}",
    resend: "Erneut senden",
    revoke: "Zurückziehen",
    resent: "Die Einladung an {{email}} wurde mit einem neuen Link erneut geschickt.",
    revoked: "Die Einladung an {{email}} wurde zurückgezogen; ihr Link gilt nicht mehr.",
  },
};

export default people;
