import { useTranslation } from "react-i18next";

/**
 * How lists name a learner and show what their privacy keeps from the reader (docs/privacy.md):
 * a restricted person's name and address come as null and read "Restricted person"; a value the
 * learner keeps from managers reads "Hidden by the learner", never 0 or a blank.
 */
export function usePersonPrivacy() {
  const { t } = useTranslation("common");
  return {
    name: (learner: { name: string | null }) => learner.name ?? t("personPrivacy.restricted"),
    email: (learner: { email: string | null }) =>
      learner.email ?? t("personPrivacy.restrictedHint"),
    hidden: t("personPrivacy.hidden"),
  };
}
