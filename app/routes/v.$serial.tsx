import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PublicCertificate } from "../components/PublicCertificate";
import { useT } from "../i18n/use-t";
import { lookUpSerial } from "../services/verification.server";

export const meta: MetaFunction = () => [{ title: "证书查验 · 医养结合培训与认证" }, { name: "robots", content: "noindex" }];

/** Public: where the QR code and the printed address lead. No sign-in. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return { lookup: lookUpSerial(params.serial ?? "", request.url) };
}

export default function VerifySerial() {
  const t = useT();
  const { lookup } = useLoaderData<typeof loader>();
  return (
    <div className="lesson">
      <h1>{t("verify.title")}</h1>
      {lookup.kind === "found" ? <PublicCertificate c={lookup.certificate} signature={lookup.signature} /> : null}
      {lookup.kind === "mistyped" ? <p className="card form-error" data-testid="verify-result">{t("verify.mistyped")}</p> : null}
      {lookup.kind === "notFound" ? <p className="card form-error" data-testid="verify-result">{t("verify.notFound", { serial: lookup.serial })}</p> : null}
      <p>
        <Link to="/verify">{t("verify.another")}</Link>
      </p>
      {lookup.kind === "found" ? (
        <p data-testid="badge-download">
          <a href={`/v/${lookup.certificate.serial}/credential`} download>
            {t("verify.badgeDownload")}
          </a>
        </p>
      ) : null}
    </div>
  );
}
