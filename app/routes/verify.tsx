import type { TitledHandle } from "../route-handle";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { uploadedFile } from "../http/uploads.server";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import * as z from "zod";
import { Field } from "../components/form-controls";
import { PublicCertificate } from "../components/PublicCertificate";
import { parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { refuse } from "../services/result";
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

/** A file chosen to check: an empty file input sends a file of no bytes. */
const uploadSchema = z.object({ pdf: z.file({ error: "verify.noFile" }).min(1, "verify.noFile") });

/** The uploaded PDF (null when none came), or "tooLarge". */
async function uploadedPdf(request: Request): Promise<File | null | "tooLarge"> {
  // A bare POST, or a form sent without multipart encoding, carries no file.
  if (!/^multipart\/form-data\b/i.test(request.headers.get("Content-Type") ?? "")) return null;
  try {
    // Every part counts against the limit and only the PDF is kept, however many parts are sent.
    return await uploadedFile(request, "pdf", MAX_UPLOAD_BYTES);
  } catch {
    // A body that is not a whole upload (cut off, malformed): no file arrived.
    return null;
  }
}

export async function action({
  request,
}: ActionFunctionArgs): Promise<{ reply: FormReply; result: ReturnType<typeof checkUploadedPdf> | null }> {
  const upload = await uploadedPdf(request);
  // The body was read as it streamed in (never whole into memory); what was kept of it is checked like any form.
  const formData = new FormData();
  if (upload instanceof File) formData.set("pdf", upload);
  const submission = parseSubmission(formData, uploadSchema);
  if (upload === "tooLarge") return { reply: replyRefused(submission, refuse("pdf", "verify.tooLarge")), result: null };
  if (submission.status !== "success") return { reply: submission.reply(), result: null };
  return { reply: submission.reply(), result: checkUploadedPdf(Buffer.from(await submission.value.pdf.arrayBuffer())) };
}

export default function Verify() {
  const t = useT();
  const { typed, error } = useLoaderData<typeof loader>();
  const upload = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(uploadSchema, { id: "verify-file", lastResult: upload?.reply });
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
        <Form method="post" encType="multipart/form-data" className="row" {...getFormProps(form)}>
          <Field meta={fields.pdf} type="file" label={t("verify.file")} accept="application/pdf,.pdf" />
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
