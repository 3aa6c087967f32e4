// The auth area: one chunk with every page before signing in.
export { CheckEmailPage } from "./CheckEmailPage";
export { ForgotPasswordPage } from "./ForgotPasswordPage";
export { ResetPasswordPage } from "./ResetPasswordPage";
export { SignInPage } from "./SignInPage";
export { SignUpPage } from "./SignUpPage";
export { VerifyEmailPage } from "./VerifyEmailPage";
