import { useT } from "../i18n/use-t";

export interface QualificationShown {
  kind: "nurse_practising" | "caregiver_vocational";
  number: string;
  issuer: string;
  issuedOn: string;
  validUntil: string | null;
  status: "pending" | "verified" | "rejected";
  rejectionReason: string | null;
}

/** One recorded qualification as its holder and the checking registrar both see it: kind, number, check state, issuer and dates. */
export function QualificationSummary({ q, holder }: { q: QualificationShown; holder?: string }) {
  const t = useT();
  return (
    <>
      {holder ? (
        <>
          <strong>{holder}</strong> · {t(`qualification.kind.${q.kind}`)}
        </>
      ) : (
        <strong>{t(`qualification.kind.${q.kind}`)}</strong>
      )}{" "}
      {q.number}{" "}
      <span className={`badge ${q.status === "verified" ? "accredited" : "suspended"}`}>{t(`qualification.status.${q.status}`)}</span>
      <div className="muted">
        {q.issuer} · {q.issuedOn}
        {q.validUntil ? ` – ${q.validUntil}` : ""}
        {q.rejectionReason ? ` · ${q.rejectionReason}` : ""}
      </div>
    </>
  );
}
