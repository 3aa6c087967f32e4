import type en from "../en/common";

const common: typeof en = {
  product: "Lyceum",
  // Label of the choice of organization on staff pages, for people in several.
  organization: "Organisation",
  shell: {
    skipToContent: "Zum Inhalt springen",
    navigation: "Hauptnavigation",
    toggleNavigation: "Navigation ein- und ausblenden",
    userMenu: "Kontomenü von {{name}}",
    signOut: "Abmelden",
    language: "Sprache",
  },
  pagination: {
    previous: "Vorherige Seite",
    next: "Nächste Seite",
    page: "Seite {{page}} von {{pages}}",
  },
  nav: {
    myLearning: "Mein Lernen",
    catalog: "Katalog",
    certificates: "Zertifikate",
    reports: "Berichte",
    people: "Personen",
    organization: "Organisation",
    learners: "Lernende",
    platform: "Plattform",
    integrations: "Integrationen",
    assignments: "Zuweisungen",
    teaching: "Unterrichten",
    compliance: "Compliance",
    approvals: "Freigaben",
    workflows: "Workflows",
  },
  // Lists reordered by dragging a handle (mouse, touch or keyboard); read out by screen readers.
  sortable: {
    handle: "{{name}} verschieben",
    instructions:
      "Zum Verschieben Leertaste oder Eingabe drücken, mit den Pfeiltasten bewegen, mit Leertaste oder Eingabe ablegen, mit Escape abbrechen.",
    picked: "{{name}} aufgenommen, Position {{position}} von {{count}}.",
    moved: "{{name}} ist jetzt an Position {{position}} von {{count}}.",
    dropped: "{{name}} an Position {{position}} von {{count}} abgelegt.",
    cancelled: "Verschieben von {{name}} abgebrochen; es steht wieder an seinem Platz.",
  },
  // A question before an action that cannot be undone.
  confirm: {
    cancel: "Abbrechen",
  },
  pickers: {
    people: "Personen",
    peopleHint: "Namen oder E-Mail eingeben, um jemanden zu finden",
    searching: "Suche läuft…",
    noPeople: "Niemand passt",
    chosenPerson: "Die gewählte Person",
    team: "Team",
    noTeams: "Keine Teams",
    department: "Abteilung",
    noDepartments: "Keine Abteilungen",
    chosenCourse: "Der gewählte Kurs",
    noAssignableCourse: "Kein veröffentlichter Kurs passt",
    noOwnCourse: "Kein Kurs der Organisation passt",
  },
  chart: {
    showTable: "Als Tabelle zeigen",
    hideTable: "Tabelle ausblenden",
    noData: "Noch nichts zu zeigen.",
  },
  state: {
    loading: "Wird geladen…",
    retry: "Erneut versuchen",
    requestId: "Referenz: {{requestId}}",
    errorTitle: "Etwas ist schiefgegangen",
  },
  notFound: {
    title: "Seite nicht gefunden",
    body: "Unter dieser Adresse gibt es nichts. Vielleicht wurde die Seite verschoben oder der Link ist falsch geschrieben.",
    home: "Zur Startseite",
  },
  crash: {
    title: "Diese Seite konnte nicht angezeigt werden",
    body: "Ein unerwarteter Fehler hat diese Seite angehalten. Laden Sie sie neu, um es erneut zu versuchen.",
    reload: "Neu laden",
  },
  languages: {
    en: "English",
    de: "Deutsch",
  },
  bell: {
    title: "Benachrichtigungen",
    label: "Benachrichtigungen",
    labelUnread_one: "Benachrichtigungen, {{count}} ungelesen",
    labelUnread_other: "Benachrichtigungen, {{count}} ungelesen",
    latest: "Neueste Benachrichtigungen",
    unread: "Ungelesen",
    empty: "Nichts Neues.",
    all: "Alle Benachrichtigungen",
  },
  account: {
    profile: "Profil",
    sessions: "Sitzungen",
    notifications: "Benachrichtigungseinstellungen",
    privacy: "Datenschutz",
  },
  personPrivacy: {
    restricted: "Eingeschränkte Person",
    restrictedHint:
      "Angaben zurückgehalten, solange eine Datenschutzanfrage die Verarbeitung einschränkt",
    hidden: "Von der lernenden Person verborgen",
  },
};

export default common;
