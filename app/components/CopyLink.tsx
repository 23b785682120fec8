import { useState } from "react";
import { useT } from "../i18n/use-t";

/**
 * A link to a certificate's public page that copies its address when clicked (where the browser
 * allows it), so a trainee can paste it to an employer. Without scripts it is an ordinary link.
 */
export function CopyLink({ url }: { url: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <a
      href={url}
      data-testid="copy-verify-link"
      onClick={(event) => {
        if (!navigator.clipboard) return;
        event.preventDefault();
        navigator.clipboard.writeText(url).then(
          () => setCopied(true),
          () => window.open(url, "_blank", "noopener"),
        );
      }}
    >
      {copied ? t("certificate.linkCopied") : t("certificate.copyVerifyLink")}
    </a>
  );
}
