import type { UseFormReturnType } from "@mantine/form";
import { ApiError } from "../../api/errors";

/** Whether an API error names one of the form's inputs (then it shows there, not above). */
export function namesInput<V extends Record<string, unknown>>(
  form: UseFormReturnType<V>,
  error: unknown,
): boolean {
  return error instanceof ApiError && !!error.field && error.field in form.getValues();
}

/**
 * Puts an API error on the input it names (`error.field`) when the form has that input;
 * returns false when it belongs above the form instead.
 */
export function markField<V extends Record<string, unknown>>(
  form: UseFormReturnType<V>,
  error: unknown,
  message: string,
): boolean {
  if (namesInput(form, error) && error instanceof ApiError && error.field) {
    form.setFieldError(error.field, message);
    return true;
  }
  return false;
}
