// The signed-in person's own account: profile, email, password, sessions, notification choices.
const account = {
  // Screen-reader name of the links between the account pages.
  nav: {
    label: "Account pages",
    profile: "Profile",
    sessions: "Sessions",
    notifications: "Notification preferences",
    twoStep: "Two-step sign-in",
  },
  profile: {
    title: "Your profile",
    detailsTitle: "Details",
    firstName: "First name",
    lastName: "Last name",
    displayName: "Display name",
    displayNameHint: "Shown instead of your full name, if you set one",
    bio: "About you",
    bioHint: "A short introduction others see on your profile",
    timezone: "Time zone",
    timezoneHint: "Dates and times are shown in this zone",
    language: "Language",
    save: "Save profile",
    saved: "Your profile is saved.",
    required: "Fill this in",
    tooLong: "At most {{count}} characters",
  },
  avatar: {
    title: "Photo",
    // Alternative text of the person's photo.
    alt: "Photo of {{name}}",
    none: "No photo yet",
    choose: "Upload a photo",
    replace: "Upload a new photo",
    remove: "Remove photo",
    hint: "A JPEG, PNG or WebP image of at most 5 MB. It is cropped to a square.",
    // Label of the progress bar while the photo uploads.
    progress: "Uploading: {{percent}}%",
    uploaded: "Your new photo is saved.",
    removed: "Your photo is removed.",
    tooLarge: "This file is larger than 5 MB. Choose a smaller image.",
    wrongType: "Choose a JPEG, PNG or WebP image.",
  },
  email: {
    title: "Email address",
    current: "Your address: {{email}}",
    pending:
      "Waiting for confirmation: {{email}}. Open the link we mailed there; until then you sign in with {{current}}.",
    newEmail: "New email address",
    submit: "Change email address",
    sent: "We sent a confirmation link to {{email}}. Your address changes once you open it.",
    same: "This is already your address",
    invalid: "Enter an email address such as name@example.com",
  },
  password: {
    title: "Password",
    current: "Current password",
    new: "New password",
    repeat: "Repeat the new password",
    mismatch: "The passwords do not match",
    submit: "Change password",
    changed: "Your password is changed. Your other sessions were signed out.",
  },
  sessions: {
    title: "Sessions",
    intro:
      "The browsers and apps signed in to your account. Sign out any you do not recognise, then change your password.",
    listLabel: "Your sessions",
    unknownDevice: "Unknown device",
    thisDevice: "This device",
    ip: "IP address: {{ip}}",
    noIp: "IP address unknown",
    lastActive: "Last active {{date}}",
    signedIn: "Signed in {{date}}",
    // An app signed in with a token rather than the web app's cookies.
    app: "App or API access",
    revoke: "Sign out",
    // Screen-reader name of one session's sign-out button.
    revokeLabel: "Sign out {{device}}, last active {{date}}",
    revoked: "That session is signed out.",
    revokeOthers: "Sign out everywhere else",
    revokedOthers_one: "{{count}} other session is signed out.",
    revokedOthers_other: "{{count}} other sessions are signed out.",
    onlyThis: "This is your only session.",
  },
  preferences: {
    title: "Notification preferences",
    intro:
      "Choose what Lyceum tells you about, in the app and by email. Account and security mail always arrives.",
    channelsTitle: "Channels",
    emailEnabled: "Email notifications",
    emailEnabledHint: "Off: no notification mail at all",
    inAppEnabled: "In-app notifications",
    inAppEnabledHint: "Off: nothing new under the bell",
    typesTitle: "What you are told about",
    // Column headings for each kind of notification.
    email: "Email",
    inApp: "In app",
    // Screen-reader names of a kind's two checkboxes.
    emailFor: "Email: {{type}}",
    inAppFor: "In app: {{type}}",
    save: "Save preferences",
    saved: "Your notification preferences are saved.",
    // The kinds of notification (the API's keys).
    types: {
      welcome: "Welcome after registration",
      "enrollment-accepted": "An enrollment request was approved",
      "enrollment-rejected": "An enrollment request was declined",
      "enrollment-requested": "Someone asked to join a course you review",
      "enrollment-assigned": "Training was assigned to you",
      "waitlist-offer": "A seat opened for you on a waitlist",
      "payment-received": "A course payment went through",
      "payment-refunded": "A course payment was refunded",
      "lesson-unlocked": "A lesson became available",
      "course-completed": "You completed a course",
      "certificate-issued": "A certificate was issued to you",
      announcement: "A course announcement",
      "quiz-graded": "A quiz attempt of yours was graded",
      "report-ready": "A report you queued is ready, or failed",
      "invite-declined": "Someone declined an invitation you sent",
      "integration-incident": "An integration you own keeps failing, or works again",
      "integration-file-waiting":
        "A file for an integration you own waits for its columns to be mapped",
    },
  },
};

export default account;
