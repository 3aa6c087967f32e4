import { List, Text, VisuallyHidden } from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_RULES,
} from "../../../../src/modules/identity/password-policy";

/** Every rule the policy sets, met or not; rules shown only when broken appear then. */
export function passwordRuleStates(password: string, email?: string) {
  return PASSWORD_RULES.map((rule) => ({ rule, met: rule.met(password, { email }) })).filter(
    ({ rule, met }) => !rule.hidden || !met,
  );
}

export function passwordAcceptable(password: string, email?: string): boolean {
  return PASSWORD_RULES.every((rule) => rule.met(password, { email }));
}

/** The server's password policy as a live checklist under a new-password field. */
export function PasswordRules({
  password,
  email,
  id,
}: {
  password: string;
  email?: string;
  id: string;
}) {
  const { t } = useTranslation("auth");
  const count = (key: string) => (key === "maxLength" ? PASSWORD_MAX_LENGTH : PASSWORD_MIN_LENGTH);
  return (
    <div id={id}>
      <Text size="sm" fw={500}>
        {t("password.rulesTitle")}
      </Text>
      <List size="sm" spacing={2} listStyleType="none" data-testid="password-rules">
        {passwordRuleStates(password, email).map(({ rule, met }) => (
          <List.Item key={rule.key} c={met ? "teal.9" : "dimmed"} data-met={met}>
            <span aria-hidden>{met ? "✓ " : "○ "}</span>
            {t(`password.rules.${rule.key}`, { count: count(rule.key) })}
            <VisuallyHidden>{` (${met ? t("password.met") : t("password.notMet")})`}</VisuallyHidden>
          </List.Item>
        ))}
      </List>
    </div>
  );
}
