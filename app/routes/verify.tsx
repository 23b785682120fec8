import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { uploadedFile } from "../http/uploads.server";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { PublicCertificate } from "../components/PublicCertificate";
import { useT } from "../i18n/use-t";
import { checkUploadedPdf, readSerial } from "../services/verification.server";

export const handle: TitledHandle = { title: "verify.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const typed = new URL(request.url).searchParams.get("serial");
  if (typed === null) return { typed: "", error: null };
  const parsed = readSerial(typed);
  if (parsed.ok) throw redirect(`/v/${encodeURIComponent(parsed.serial)}`);
  return { typed, error: parsed.error === "checksum" ? ("verify.mistyped" as const) : ("verify.badFormat" as const) };
}

/** Issued certificates are well under 100 KB; anything this large is not one of them. */
const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

type UploadError = "verify.noFile" | "verify.tooLarge";

/** The uploaded PDF, or why there is none: too large, no file chosen, or not a file upload at all. */
async function uploadedPdf(request: Request): Promise<{ bytes: Buffer } | { error: UploadError }> {
  // A bare POST, or a form sent without multipart encoding, carries no file.
  if (!/^multipart\/form-data\b/i.test(request.headers.get("Content-Type") ?? "")) return { error: "verify.noFile" };
  let file: Awaited<ReturnType<typeof uploadedFile>>;
  try {
    // Every part counts against the limit and only the PDF is kept, however many parts are sent.
    file = await uploadedFile(request, "pdf", MAX_UPLOAD_BYTES);
  } catch {
    // A body that is not a whole upload (cut off, malformed): no file arrived.
    return { error: "verify.noFile" };
  }
  if (file === "tooLarge") return { error: "verify.tooLarge" };
  if (!file || file.size === 0) return { error: "verify.noFile" };
  return { bytes: Buffer.from(await file.arrayBuffer()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const upload = await uploadedPdf(request);
  if ("error" in upload) return { result: null, error: upload.error };
  return { result: checkUploadedPdf(upload.bytes), error: null };
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
          <SubmitButton className="primary">{t("verify.check")}</SubmitButton>
        </Form>
      </section>
      <section className="card">
        <h2>{t("verify.byFile")}</h2>
        <p className="muted">{t("verify.byFileHelp")}</p>
        <Form method="post" encType="multipart/form-data" className="row">
          <div className="field">
            <label htmlFor="pdf">{t("verify.file")}</label>
            <input
              id="pdf"
              name="pdf"
              type="file"
              accept="application/pdf,.pdf"
              aria-invalid={upload?.error ? true : undefined}
              aria-describedby={upload?.error ? "pdf-error" : undefined}
            />
            {upload?.error ? (
              <span className="error" id="pdf-error" role="alert">
                {t(upload.error)}
              </span>
            ) : null}
          </div>
          <SubmitButton className="secondary">{t("verify.checkFile")}</SubmitButton>
        </Form>
      </section>
      {upload?.result?.match ? (
        <>
          <p className="flash" data-testid="file-result">
            {t("verify.fileMatches")}
          </p>
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
