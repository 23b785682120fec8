import { useNavigation } from "@remix-run/react";
import type { ButtonHTMLAttributes } from "react";

/**
 * A form's submit button that says it is working while a form of the page is being sent, so a
 * slow phone network does not lead to a second press (a second enrolment, a second claim step).
 */
export function SubmitButton({ disabled, className, ...button }: Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type">) {
  const sending = useNavigation().state === "submitting";
  return (
    <button
      type="submit"
      {...button}
      className={sending ? `${className ?? ""} busy`.trim() : className}
      disabled={disabled || sending}
      aria-busy={sending || undefined}
    />
  );
}
