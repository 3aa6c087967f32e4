import { Group, PasswordInput, TextInput } from "@mantine/core";
import type { GetInputPropsReturnType } from "@mantine/form";
import { PasswordRules } from "./PasswordRules";

/** First and last name side by side (wrapping on a narrow screen), both required. */
export function NameFields({
  form,
  firstNameLabel,
  lastNameLabel,
}: {
  form: { getInputProps(path: "firstName" | "lastName"): GetInputPropsReturnType };
  firstNameLabel: string;
  lastNameLabel: string;
}) {
  return (
    <Group grow align="flex-start" wrap="wrap">
      <TextInput
        label={firstNameLabel}
        autoComplete="given-name"
        required
        miw={140}
        {...form.getInputProps("firstName")}
      />
      <TextInput
        label={lastNameLabel}
        autoComplete="family-name"
        required
        miw={140}
        {...form.getInputProps("lastName")}
      />
    </Group>
  );
}

/**
 * A new password with the live password rules under it (`rulesId` names the checklist),
 * and, when `repeat` is given, a second field to type it again.
 */
export function NewPasswordFields({
  label,
  input,
  password,
  email,
  rulesId,
  repeat,
}: {
  label: string;
  input: GetInputPropsReturnType;
  /** The password typed so far, which the rules check. */
  password: string;
  /** The account's address, which the password must not contain. */
  email?: string;
  rulesId: string;
  repeat?: { label: string; input: GetInputPropsReturnType };
}) {
  return (
    <>
      <PasswordInput label={label} autoComplete="new-password" required {...input} />
      <PasswordRules id={rulesId} password={password} email={email} />
      {repeat && (
        <PasswordInput
          label={repeat.label}
          autoComplete="new-password"
          required
          {...repeat.input}
        />
      )}
    </>
  );
}
