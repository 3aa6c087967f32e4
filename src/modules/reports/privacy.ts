export { type HiddenFromManagers, learnerPrivacy } from "../access/learner-privacy.js";
