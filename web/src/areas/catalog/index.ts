// The catalog area: browsing published courses and a course's page with the way to enroll.
export { CatalogPage } from "./CatalogPage";
export { CoursePage } from "./CoursePage";
export { LocalCheckoutPage } from "./LocalCheckoutPage";
