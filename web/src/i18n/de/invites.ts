import type en from "../en/invites";

const invites: typeof en = {
  accept: {
    title: "Einladung",
    joinTitle: "{{organization}} beitreten",
    pending: "Ihre Einladung wird gesucht…",
    invitedBy: "{{inviter}} hat {{email}} eingeladen, {{organization}} auf Lyceum beizutreten.",
    invitedBySystem: "{{email}} ist eingeladen, {{organization}} auf Lyceum beizutreten.",
    role: "Ihre Rolle dort: {{role}}",
    message: "Die Nachricht dazu",
    expires: "Die Einladung gilt bis {{date}}.",
    consent:
      "Wenn Sie annehmen, werden Sie Mitglied von {{organization}}. Die Administratoren sehen Ihren Namen und Ihre E-Mail-Adresse, können Ihnen Kurse zuweisen und Ihren Fortschritt darin verfolgen.",
    accept: "Annehmen und beitreten",
    decline: "Ablehnen",
    joined: "Sie sind jetzt Mitglied von {{organization}}.",
    goHome: "Zu Mein Lernen",
    mismatch:
      "Diese Einladung gilt für {{email}}, Sie sind aber als {{current}} angemeldet. Melden Sie sich ab und als {{email}} wieder an, um sie anzunehmen.",
    signOut: "Abmelden",
    hasAccount: "{{email}} hat bereits ein Lyceum-Konto. Melden Sie sich damit an, um anzunehmen.",
    signIn: "Anmelden und annehmen",
    newAccountTitle: "Konto erstellen",
    newAccountIntro:
      "Zum Beitreten brauchen Sie ein Konto. Die Einladung bestätigt Ihre E-Mail-Adresse.",
    email: "E-Mail",
    firstName: "Vorname",
    lastName: "Nachname",
    password: "Passwort",
    required: "Bitte ausfüllen",
    createAndJoin: "Konto erstellen und beitreten",
    created:
      "Ihr Konto ist bereit und Sie sind {{organization}} beigetreten. Melden Sie sich mit {{email}} an.",
    signInNow: "Anmelden",
  },
  decline: {
    title: "Einladung zu {{organization}} ablehnen?",
    body: "{{organization}} sieht, dass Sie abgelehnt haben, und dieser Link funktioniert dann nicht mehr. Um später beizutreten, bräuchten Sie eine neue Einladung.",
    keep: "Einladung behalten",
    confirm: "Einladung ablehnen",
    done: "Sie haben die Einladung zu {{organization}} abgelehnt. Die Organisation sieht Ihre Antwort, und dieser Link funktioniert nicht mehr. Wenn Sie es sich anders überlegen, bitten Sie {{organization}} um eine neue Einladung.",
  },
  status: {
    missingToken:
      "Dieser Link enthält keinen Einladungscode. Öffnen Sie den Link aus der E-Mail erneut.",
    notFound:
      "Dieser Einladungslink ist ungültig. Vielleicht hat eine neuere E-Mail ihn ersetzt: Öffnen Sie die neueste oder bitten Sie um eine neue Einladung.",
    expired: "Diese Einladung ist abgelaufen. Bitten Sie {{organization}} um eine neue.",
    accepted: "Diese Einladung wurde bereits angenommen.",
    revoked: "{{organization}} hat diese Einladung zurückgezogen.",
    home: "Zur Startseite",
  },
  roles: {
    learner: "Lernende Person",
    instructor: "Lehrende Person",
    manager: "Führungskraft",
    "org-admin": "Administration",
  },
};

export default invites;
