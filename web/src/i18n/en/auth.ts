// Signing in, registration, email verification and password recovery.
const auth = {
  fields: {
    email: "Email",
    password: "Password",
    newPassword: "New password",
    confirmPassword: "Repeat the new password",
    firstName: "First name",
    lastName: "Last name",
  },
  signIn: {
    title: "Sign in",
    submit: "Sign in",
    forgot: "Forgot your password?",
    noAccount: "New to Lyceum?",
    signUp: "Create an account",
    resend: "Send the confirmation mail again",
  },
  signUp: {
    title: "Create your account",
    submit: "Create account",
    haveAccount: "Already have an account?",
    signIn: "Sign in",
  },
  checkEmail: {
    title: "Check your mail",
    body: "We sent a confirmation link to {{email}}. Open it to activate your account, then sign in.",
    bodyNoEmail: "We sent you a confirmation link. Open it to activate your account, then sign in.",
    resend: "Send the mail again",
    resent: "If the address has an unconfirmed account, a new link is on its way.",
    signIn: "Go to sign in",
  },
  verify: {
    title: "Confirm your email address",
    pending: "Confirming your address…",
    done: "Your email address {{email}} is confirmed.",
    // After confirming the new address of an email change.
    changed: "Your email address is now {{email}}. Sign in with it from now on.",
    signIn: "Sign in",
    continue: "Continue",
    missingToken: "This link has no confirmation token. Open the link from the mail again.",
  },
  forgot: {
    title: "Reset your password",
    intro:
      "Enter the address of your account and we will mail you a link to choose a new password.",
    submit: "Send the link",
    sent: "If {{email}} has an account, a link to reset its password is on its way. It works for one hour.",
    back: "Back to sign in",
  },
  reset: {
    title: "Choose a new password",
    submit: "Save the new password",
    done: "Your password is changed and every session was signed out. Sign in with the new password.",
    signIn: "Sign in",
    mismatch: "The passwords do not match",
    missingToken: "This link has no reset token. Ask for a new link.",
    requestNew: "Ask for a new link",
  },
  password: {
    // Heading of the live checklist under a new password field.
    rulesTitle: "The password needs:",
    met: "met",
    notMet: "not met yet",
    rules: {
      minLength: "at least {{count}} characters",
      maxLength: "at most {{count}} characters",
      lowercase: "a lowercase letter",
      uppercase: "an uppercase letter",
      digit: "a number",
      special: "a special character",
      notCommon: "not a commonly used password",
      notEmail: "not containing your email address",
    },
  },
  validation: {
    required: "Fill this in",
    email: "Enter an email address such as name@example.com",
  },
};

export default auth;
