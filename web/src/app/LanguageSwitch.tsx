import { Button, Menu, VisuallyHidden } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Me, sessionKeys, useUpdateLanguage } from "../api/session";
import { changeLanguage, LANGUAGES, type Language, supported } from "../i18n";

/** Picks the page's language; signed in, the choice is saved to the profile as well. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const update = useUpdateLanguage();
  const current = supported(i18n.language) ?? "en";
  const choose = (language: Language) => {
    void changeLanguage(language);
    if (client.getQueryData<Me>(sessionKeys.me())) update.mutate(language);
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="subtle" size="compact-md">
          <VisuallyHidden>{`${t("shell.language")}: `}</VisuallyHidden>
          <abbr title={t(`languages.${current}`)} style={{ textDecoration: "none" }}>
            {current.toUpperCase()}
          </abbr>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t("shell.language")}</Menu.Label>
        {LANGUAGES.map((language) => (
          <Menu.Item
            key={language}
            lang={language}
            onClick={() => choose(language)}
            aria-current={language === current ? "true" : undefined}
          >
            {t(`languages.${language}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
