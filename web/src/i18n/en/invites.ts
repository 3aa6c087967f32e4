// The page behind a mailed invitation link (/invites/accept?token=…).
const invites = {
  accept: {
    title: "Invitation",
    // The heading once the invitation is known.
    joinTitle: "Join {{organization}}",
    pending: "Looking up your invitation…",
    invitedBy: "{{inviter}} invited {{email}} to join {{organization}} on Lyceum.",
    invitedBySystem: "{{email}} is invited to join {{organization}} on Lyceum.",
    role: "Your role there: {{role}}",
    message: "Their message",
    expires: "The invitation is open until {{date}}.",
    // What accepting means; shown before the person agrees.
    consent:
      "If you accept, you become a member of {{organization}}. Its administrators see your name and email address, can assign you courses, and follow your progress in them.",
    accept: "Accept and join",
    decline: "Decline",
    joined: "You are now a member of {{organization}}.",
    goHome: "Go to My learning",
    mismatch:
      "This invitation is for {{email}}, but you are signed in as {{current}}. Sign out, then sign in as {{email}} to accept it.",
    signOut: "Sign out",
    hasAccount: "{{email}} already has a Lyceum account. Sign in with it to accept.",
    signIn: "Sign in to accept",
    newAccountTitle: "Create your account",
    newAccountIntro: "You need an account to join. The invitation confirms your email address.",
    email: "Email",
    firstName: "First name",
    lastName: "Last name",
    password: "Password",
    required: "Fill this in",
    createAndJoin: "Create account and join",
    created: "Your account is ready and you joined {{organization}}. Sign in with {{email}}.",
    signInNow: "Sign in",
  },
  // Declining, after a confirmation: final for this link, and the organization sees it.
  decline: {
    title: "Decline the invitation to {{organization}}?",
    body: "{{organization}} will see that you declined, and this link will stop working. To join later, you would need a new invitation.",
    keep: "Keep the invitation",
    confirm: "Decline invitation",
    // The outcome, also shown when a declined link is opened again.
    done: "You declined the invitation to join {{organization}}. They can see your answer, and this link no longer works. If you change your mind, ask {{organization}} for a new invitation.",
  },
  status: {
    missingToken: "This link has no invitation token. Open the link from the mail again.",
    notFound:
      "This invitation link is not valid. A newer mail may have replaced it: open the latest one, or ask for a new invitation.",
    expired: "This invitation has expired. Ask {{organization}} to send you a new one.",
    accepted: "This invitation was already accepted.",
    revoked: "{{organization}} withdrew this invitation.",
    home: "Go to the start page",
  },
  // Names of the roles an invitation gives (the API's keys); others show their key.
  roles: {
    learner: "Learner",
    instructor: "Instructor",
    manager: "Manager",
    "org-admin": "Administrator",
  },
};

export default invites;
