// The waitlist area: a seat offered from a cohort's waitlist, to accept or decline.
export { WaitlistOfferPage } from "./WaitlistOfferPage";
