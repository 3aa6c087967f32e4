// Certificates: the public verification page and the person's own certificates.
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
  mine: {
    title: "Certificates",
    intro: "Certificates you earned by completing courses, newest first.",
    // Screen-reader name of the list of certificates.
    listLabel: "Your certificates",
    emptyTitle: "No certificates yet",
    emptyBody: "Complete a course that awards a certificate, and it appears here.",
    toMyLearning: "Go to My learning",
    // In place of an expiry date: the certificate does not expire.
    noExpiry: "Does not expire",
    // Downloads a CSV file of every course taken.
    transcript: "Download transcript (CSV)",
  },
  detail: {
    // The page's heading: {{course}} is the course's title.
    title: "Certificate: {{course}}",
    back: "All certificates",
    notFoundTitle: "Certificate not found",
    notFoundBody: "There is no certificate at this address, or it is not yours to see.",
    shareTitle: "Download and share",
    downloadPdf: "Download PDF",
    // Opens LinkedIn's form to add the certification to the person's profile.
    linkedInAdd: "Add to LinkedIn profile",
    linkedInShare: "Share on LinkedIn",
    verificationLink: "Verification link",
    verificationHint: "Anyone with this link can check that the certificate is genuine.",
    copy: "Copy link",
    copied: "Link copied",
    openVerification: "Open the public verification page",
  },
};

export default certificates;
