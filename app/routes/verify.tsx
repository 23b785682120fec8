import { redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { PublicCertificate } from "../components/PublicCertificate";
import { parseSerial } from "../domain/serial";
import { useT } from "../i18n/use-t";
import { checkUploadedPdf } from "../services/verification.server";

export const meta: MetaFunction = () => [{ title: "证书查验 · 医养结合培训与认证" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const typed = new URL(request.url).searchParams.get("serial");
  if (typed === null) return { typed: "", error: null };
  const parsed = parseSerial(typed);
  if (parsed.ok) throw redirect(`/v/${parsed.serial}`);
  return { typed, error: parsed.error === "checksum" ? ("verify.mistyped" as const) : ("verify.badFormat" as const) };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: 5 * 1024 * 1024 }));
  const file = form.get("pdf");
  if (!(file instanceof File) || file.size === 0) return { result: null, error: "verify.noFile" as const };
  return { result: checkUploadedPdf(Buffer.from(await file.arrayBuffer())), error: null };
}

export default function Verify() {
  const t = useT();
  const { typed, error } = useLoaderData<typeof loader>();
  const upload = useActionData<typeof action>();
  return (
    <div className="lesson">
      <h1>{t("verify.title")}</h1>
      <section className="card">
        <h2>{t("verify.bySerial")}</h2>
        <Form method="get" className="row" noValidate>
          <div className="field">
            <label htmlFor="serial">{t("certificate.serial")}</label>
            <input id="serial" name="serial" defaultValue={typed} placeholder="2026-XXXX-XXXX-X" aria-invalid={error ? true : undefined} />
            {error ? (
              <span className="error" role="alert">
                {t(error)}
              </span>
            ) : null}
          </div>
          <button type="submit" className="primary">
            {t("verify.check")}
          </button>
        </Form>
      </section>
      <section className="card">
        <h2>{t("verify.byFile")}</h2>
        <p className="muted">{t("verify.byFileHelp")}</p>
        <Form method="post" encType="multipart/form-data" className="row">
          <div className="field">
            <label htmlFor="pdf">{t("verify.file")}</label>
            <input id="pdf" name="pdf" type="file" accept="application/pdf,.pdf" />
            {upload?.error ? (
              <span className="error" role="alert">
                {t(upload.error)}
              </span>
            ) : null}
          </div>
          <button type="submit" className="secondary">
            {t("verify.checkFile")}
          </button>
        </Form>
      </section>
      {upload?.result?.match ? (
        <>
          <p className="flash" data-testid="file-result">{t("verify.fileMatches")}</p>
          <PublicCertificate c={upload.result.certificate} />
        </>
      ) : null}
      {upload?.result && !upload.result.match ? (
        <p className="card form-error" data-testid="file-result">
          {t("verify.fileNoMatch")}
        </p>
      ) : null}
    </div>
  );
}
