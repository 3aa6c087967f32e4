import type en from "../en/complianceEvidence";

const complianceEvidence: typeof en = {
  title: "Nachweispakete",
  intro:
    "Für Prüfer: ein Download pro Anforderung und Zeitraum, mit einer PDF-Zusammenfassung, allen Zuweisungen und Befreiungen als CSV und einem Manifest mit der Prüfsumme jeder Datei.",
  noOrganization: "Sie dürfen in keiner Organisation Compliance-Daten lesen.",
  form: {
    heading: "Neues Nachweispaket",
    requirement: "Anforderung",
    from: "Erster Tag",
    to: "Letzter Tag",
    generate: "Erstellen",
    queued:
      "Das Paket wird erstellt. Es erscheint unten und kann heruntergeladen werden, sobald es fertig ist.",
    noRequirements: "Noch keine Anforderungen",
    noRequirementsReason:
      "Nachweispakete werden für eine Compliance-Anforderung erstellt; legen Sie zuerst eine an.",
  },
  list: {
    heading: "Pakete",
    empty: "Noch keine Nachweispakete",
    emptyReason:
      "Erstellen Sie oben eines; es wird für die Aufbewahrungsfrist der Berichte gespeichert.",
    requirement: "Anforderung",
    period: "Zeitraum (Fälligkeiten)",
    requested: "Angefordert",
    status: "Status",
    file: "Datei",
    range: "{{from}} bis {{to}}",
    download: "ZIP herunterladen ({{rows}} Zeilen)",
    notReady: "Nicht fertig",
  },
  status: {
    pending: "Ausstehend",
    queued: "In der Warteschlange",
    processing: "Wird erstellt",
    ready: "Fertig",
    failed: "Fehlgeschlagen",
    cancelled: "Abgebrochen",
    expired: "Abgelaufen",
  },
};

export default complianceEvidence;
