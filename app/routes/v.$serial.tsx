import type { TitledHandle } from "../route-handle";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { useMemo } from "react";
import { Field, FormMessages } from "../components/form-controls";
import { PublicCertificate } from "../components/PublicCertificate";
import { parseSubmission, replyRefused, type FormReply } from "../forms/submission";
import { useSchemaForm } from "../forms/use-schema-form";
import { useT } from "../i18n/use-t";
import { failure } from "../services/result";
import { checkHolder, type HolderCheckResult } from "../services/holder-check.server";
import { holderCheckSchema } from "../validation/holder-check";
import { findBySerial } from "../services/certificates.server";
import { lookUpSerial, readSerial, type SerialLookup } from "../services/verification.server";

export const handle: TitledHandle = { title: "verify.title" };

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

/**
 * Public: where the QR code and the printed address lead. No sign-in. A serial that names no
 * certificate — well-formed or mistyped — answers 404, with the page saying which it is.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const lookup = lookUpSerial(params.serial ?? "", request.url);
  return data({ lookup }, { status: lookup.kind === "found" ? 200 : 404 });
}

/**
 * The holder check: says match or no match, never what the record holds. What was typed comes back
 * in the reply only to refill the form the person is looking at.
 */
type HolderCheckAnswer = { reply: FormReply } & ({ outcome: "invalid" } | Exclude<HolderCheckResult, { outcome: "invalid" }>);

export async function action({ request, params, context }: ActionFunctionArgs): Promise<HolderCheckAnswer> {
  const parsed = readSerial(params.serial ?? "");
  const c = parsed.ok ? findBySerial(parsed.serial) : null;
  if (!c) throw new Response("Not Found", { status: 404 });
  const submission = parseSubmission(await request.formData(), holderCheckSchema(!!c.holderIdNumber));
  // A malformed entry is not a guess: it is answered beside its field and not counted.
  if (submission.status !== "success") return { outcome: "invalid", reply: submission.reply() };
  const result = checkHolder(c, submission.value, { clientAddress: context.clientAddress });
  if (result.outcome === "invalid") return { outcome: "invalid", reply: replyRefused(submission, failure(result.errors)) };
  return { ...result, reply: submission.reply() };
}

function HolderCheck({ hasIdNumber }: { hasIdNumber: boolean }) {
  const t = useT();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const schema = useMemo(() => holderCheckSchema(hasIdNumber), [hasIdNumber]);
  const [form, fields] = useSchemaForm(schema, { id: "holder-check", lastResult: result?.reply });
  return (
    <section className="card holder-check" aria-labelledby="holder-check-title">
      <h2 id="holder-check-title">{t("holderCheck.title")}</h2>
      <p className="muted">{hasIdNumber ? t("holderCheck.help") : t("holderCheck.helpNameOnly")}</p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormMessages errors={form.errors} />
        <Field meta={fields.name} label={t("holderCheck.name")} autoComplete="off" maxLength={100} />
        {hasIdNumber ? (
          <Field
            meta={fields.idTail}
            label={t("holderCheck.idTail")}
            autoComplete="off"
            inputMode="text"
            maxLength={8}
            placeholder="例如 123X"
          />
        ) : null}
        <div>
          <SubmitButton className="primary" disabled={busy}>
            {t("holderCheck.submit")}
          </SubmitButton>
        </div>
        {result?.outcome === "locked" ? (
          <p className="form-error" role="alert" data-testid="holder-check-result" data-outcome="locked">
            {result.minutes > 60
              ? t("holderCheck.lockedHours", { hours: result.hours, when: result.when })
              : t("holderCheck.lockedMinutes", { minutes: result.minutes, when: result.when })}
          </p>
        ) : null}
        {result?.outcome === "match" || result?.outcome === "noMatch" ? (
          <p
            className={`holder-check-result ${result.outcome}`}
            role="status"
            data-testid="holder-check-result"
            data-outcome={result.outcome}
          >
            <strong>{t(result.outcome === "match" ? "holderCheck.match" : "holderCheck.noMatch")}</strong>
            <span>
              {t(
                result.outcome === "match"
                  ? result.byNameOnly
                    ? "holderCheck.matchNameOnly"
                    : "holderCheck.matchHelp"
                  : "holderCheck.noMatchHelp",
              )}
            </span>
          </p>
        ) : null}
      </Form>
    </section>
  );
}

export default function VerifySerial() {
  const t = useT();
  // `data()` carries the status; the page receives only what it wraps.
  const { lookup } = useLoaderData() as { lookup: SerialLookup };
  return (
    <div className="lesson">
      <h1>{t("verify.title")}</h1>
      {lookup.kind === "found" ? <PublicCertificate c={lookup.certificate} signature={lookup.signature} /> : null}
      {lookup.kind === "found" ? <HolderCheck hasIdNumber={lookup.certificate.hasIdNumber} /> : null}
      {lookup.kind === "mistyped" ? (
        <p className="card form-error" data-testid="verify-result">
          {t("verify.mistyped")}
        </p>
      ) : null}
      {lookup.kind === "notFound" ? (
        <p className="card form-error" data-testid="verify-result">
          {t("verify.notFound", { serial: lookup.serial })}
        </p>
      ) : null}
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
