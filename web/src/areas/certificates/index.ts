// The certificates area: the public verification page and the person's own certificates.
export { CertificatePage } from "./CertificatePage";
export { CertificatesPage } from "./CertificatesPage";
export { VerifyCertificatePage } from "./VerifyCertificatePage";
