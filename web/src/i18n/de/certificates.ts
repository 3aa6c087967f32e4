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
};

export default certificates;
