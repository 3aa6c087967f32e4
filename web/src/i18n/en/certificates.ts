// Certificates: the public verification page.
const certificates = {
  verify: {
    title: "Certificate verification",
    unknownTitle: "No such certificate",
    unknownBody:
      "No certificate has the number {{number}}. Check the number as it is printed on the certificate.",
    home: "Go to Lyceum",
    // The verification's answer, as a badge.
    status: { valid: "Valid", expired: "Expired", revoked: "Revoked" },
    summary: {
      valid: "This certificate is genuine and valid.",
      expired: "This certificate is genuine but has expired.",
      revoked: "This certificate was revoked and is no longer valid.",
    },
    reason: "Reason for the revocation",
    recipient: "Awarded to",
    course: "Course",
    issuer: "Issued by",
    number: "Certificate number",
    issuedAt: "Issued on",
    expiresAt: "Valid until",
    revokedAt: "Revoked on",
    // Link to the machine-readable Open Badges document.
    assertion: "Open Badges assertion (JSON-LD)",
  },
};

export default certificates;
