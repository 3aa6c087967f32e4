import type en from "../en/certificates";

const certificates: typeof en = {
  verify: {
    title: "Zertifikatsprüfung",
    unknownTitle: "Kein solches Zertifikat",
    unknownBody:
      "Kein Zertifikat hat die Nummer {{number}}. Prüfen Sie die Nummer, wie sie auf dem Zertifikat steht.",
    home: "Zu Lyceum",
    status: { valid: "Gültig", expired: "Abgelaufen", revoked: "Widerrufen" },
    summary: {
      valid: "Dieses Zertifikat ist echt und gültig.",
      expired: "Dieses Zertifikat ist echt, aber abgelaufen.",
      revoked: "Dieses Zertifikat wurde widerrufen und ist nicht mehr gültig.",
    },
    reason: "Grund des Widerrufs",
    recipient: "Verliehen an",
    course: "Kurs",
    issuer: "Ausgestellt von",
    number: "Zertifikatsnummer",
    issuedAt: "Ausgestellt am",
    expiresAt: "Gültig bis",
    revokedAt: "Widerrufen am",
    assertion: "Open-Badges-Nachweis (JSON-LD)",
  },
  mine: {
    title: "Zertifikate",
    intro: "Zertifikate, die Sie mit abgeschlossenen Kursen erworben haben, die neuesten zuerst.",
    listLabel: "Ihre Zertifikate",
    emptyTitle: "Noch keine Zertifikate",
    emptyBody: "Schließen Sie einen Kurs mit Zertifikat ab, dann erscheint es hier.",
    toMyLearning: "Zu Mein Lernen",
    noExpiry: "Läuft nicht ab",
    transcript: "Leistungsnachweis herunterladen (CSV)",
  },
  detail: {
    title: "Zertifikat: {{course}}",
    back: "Alle Zertifikate",
    notFoundTitle: "Zertifikat nicht gefunden",
    notFoundBody: "Unter dieser Adresse gibt es kein Zertifikat, oder Sie dürfen es nicht sehen.",
    shareTitle: "Herunterladen und teilen",
    downloadPdf: "PDF herunterladen",
    linkedInAdd: "Zum LinkedIn-Profil hinzufügen",
    linkedInShare: "Auf LinkedIn teilen",
    verificationLink: "Prüflink",
    verificationHint: "Jeder mit diesem Link kann prüfen, ob das Zertifikat echt ist.",
    copy: "Link kopieren",
    copied: "Link kopiert",
    openVerification: "Öffentliche Prüfseite öffnen",
  },
};

export default certificates;
