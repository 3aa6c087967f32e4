// The certificates area: the public verification page (more of the learner's certificates follow).
export { VerifyCertificatePage } from "./VerifyCertificatePage";
