import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { holdsSubject } from "../../domain/subsidy";
import { db, prepared } from "../../../db/client.server";
import { auditLog, claims, organisations, users, type ClaimItem } from "../../../db/schema";
import { payingPolicyByCode } from "../../content/policies.server";
import { unconfirmedItems } from "../../domain/claim-policy";
import { shanghaiDate } from "../../domain/dates";
import { pageFrom, pageInfo, type Page } from "../../domain/paging";
import { maskResidentId } from "../../domain/resident-id";
import { zhCN } from "../../i18n/zh-CN";
import { inChinese } from "../../i18n/messages";
import { claimRow, flagged } from "./claim-steps.server";
import { issuerName } from "../jurisdictions.server";

const HOLDING = "('included', 'approved')";

/** What a line pays for, as one key whatever its kind: the certificate, designation, nurse's certificate or cohort. */
const SUBJECT = "coalesce(l.certificate_id, l.award_designation_id, l.qualification_id, l.cohort_id)";

/** Actions on a claim that are its steps; other entries about it (such as views of whole ID numbers) are not its history. */
const CLAIM_STEPS = [
  "claim.create",
  "claim.submit",
  "claim.remove-line",
  "claim.approve-line",
  "claim.reject-line",
  "claim.approve",
  "claim.reject",
  "claim.paid",
  "claim.withdraw",
];

type LineRow = [
  id: number,
  status: "included" | "removed" | "approved" | "rejected",
  item: ClaimItem,
  reason: string | null,
  amountFen: number,
  subject: string,
  certificateId: string | null,
  name: string,
  idNumber: string | null,
  what: string | null,
  programCode: string | null,
  reference: string | null,
  date: string | null,
  revokedAt: string | null,
  supersededById: string | null,
  qualificationStatus: string | null,
  certified: number | null,
];

/** Every line of a claim with what it pays for, in one read whatever its kind. */
function readLines(claimId: string): LineRow[] {
  return prepared(
    `select l.id, l.status, l.item, l.reason, l.amount_fen, ${SUBJECT}, l.certificate_id,
       coalesce(c.holder_name, o.name, u.name, k.name),
       coalesce(c.holder_id_number, u.id_number),
       coalesce(c.program_title, v.title), c.program_code,
       coalesce(c.serial, d.document_number, q.number),
       coalesce(c.completion_date, d.designated_on, q.verified_at, k.end_date),
       c.revoked_at, c.superseded_by_id, q.status,
       case when l.cohort_id is not null then (select count(*) from certificates x join enrolments e on e.id = x.enrolment_id
         where e.cohort_id = l.cohort_id and x.revoked_at is null and x.superseded_by_id is null) end
     from claim_lines l
     left join certificates c on c.id = l.certificate_id
     left join award_designations d on d.id = l.award_designation_id
     left join organisations o on o.id = d.organisation_id
     left join qualifications q on q.id = l.qualification_id
     left join users u on u.id = l.user_id and l.item = 'dual_certificate'
     left join cohorts k on k.id = l.cohort_id
     left join program_versions v on v.id = k.program_version_id
     where l.claim_id = ?`,
  )
    .raw()
    .all(claimId) as LineRow[];
}

/**
 * A claim with its lines, totals computed from the lines, flags for the reviewer, and its history.
 * ID numbers are masked unless `wholeIds` (the paying authority's reviewers, who check identity).
 */
export function claimDetail(claimId: string, options: { wholeIds?: boolean } = {}) {
  const c = claimRow(claimId);
  const policy = payingPolicyByCode(c.policyCode);
  const org = db().select().from(organisations).where(eq(organisations.id, c.organisationId)).get()!;
  // Where each head falls among every head held under the policy, in the order they were
  // claimed, so heads beyond the target are flagged as they stand now, not as they stood.
  const target = policy?.kind === "per_head" ? policy.target : null;
  const ordinals = new Map<string, number>();
  if (target != null) {
    for (const certificateId of prepared(
      `select certificate_id from claim_lines where policy_code = ? and status in ${HOLDING} order by id`,
    )
      .pluck()
      .all(c.policyCode) as string[]) {
      if (!ordinals.has(certificateId)) ordinals.set(certificateId, ordinals.size + 1);
    }
  }
  const lines = readLines(claimId)
    .map(
      ([
        id,
        status,
        item,
        reason,
        amountFen,
        subject,
        certificateId,
        name,
        idNumber,
        what,
        programCode,
        reference,
        date,
        revokedAt,
        supersededById,
        qualificationStatus,
        certified,
      ]) => {
        const holding = holdsSubject({ status });
        return {
          id,
          status,
          item,
          reason,
          amountFen,
          subject,
          certificateId,
          name,
          idNumber: idNumber ? (options.wholeIds ? idNumber : maskResidentId(idNumber)) : null,
          what:
            item === "award" && policy?.kind === "designation_award"
              ? policy.designation
              : item === "dual_certificate"
                ? zhCN["claim.subject.dualCertificate"]
                : (what ?? ""),
          programCode,
          reference: item === "cohort_grant" ? inChinese("claim.subject.certified", { n: certified ?? 0 }) : (reference ?? ""),
          date: item === "dual_certificate" && date ? shanghaiDate(date) : (date ?? ""),
          flagged: flagged({ revokedAt, supersededById, qualificationStatus }),
          beyondTarget: holding && target != null && certificateId !== null && (ordinals.get(certificateId) ?? 0) > target,
        };
      },
    )
    .sort((a, b) => a.date.localeCompare(b.date) || a.reference.localeCompare(b.reference) || a.id - b.id);
  const counting = lines.filter(holdsSubject);
  const lineNames = new Map(lines.map((l) => [l.id, `${l.name}（${l.reference}）`]));
  const history = db()
    .select({ at: auditLog.at, action: auditLog.action, details: auditLog.details, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(eq(auditLog.entityType, "claim"), eq(auditLog.entityId, claimId), inArray(auditLog.action, CLAIM_STEPS)))
    .orderBy(asc(auditLog.id))
    .all();
  return {
    claim: c,
    policy,
    /** What the claim pays for: heads, a designation, 双证 nurses or cohorts. */
    kind: policy?.kind ?? "per_head",
    /** Who decides and pays the claim. */
    issuer: policy ? issuerName(policy) : "",
    /** Whether an amount it claims is still a placeholder its issuer has not confirmed. */
    unconfirmed: policy
      ? unconfirmedItems(policy, [...new Set(lines.flatMap((l) => (l.programCode ? [l.programCode] : [])))]).length > 0
      : false,
    organisation: { id: org.id, name: org.name, code: org.code },
    lines,
    /** Heads, designations, people or cohorts the claim holds. */
    totalSubjects: new Set(counting.map((l) => l.subject)).size,
    totalFen: counting.reduce((sum, l) => sum + l.amountFen, 0),
    history: history.map((h) => {
      const details = JSON.parse(h.details) as { reason?: string; lineId?: number; heads?: number; paidOn?: string; reference?: string };
      return {
        at: h.at,
        action: h.action,
        actorName: h.actorName,
        line: details.lineId !== undefined ? (lineNames.get(details.lineId) ?? null) : null,
        reason: details.reason || null,
        heads: details.heads ?? null,
        payment: details.paidOn ? `${details.paidOn} · ${details.reference ?? ""}` : null,
      };
    }),
  };
}

export type ClaimDetail = ReturnType<typeof claimDetail>;
export type ClaimLine = ClaimDetail["lines"][number];

/**
 * Claims of one organisation, or under some policies (an authority's), newest first, a page at a
 * time; what they hold and their sums are read for the claims on the page only.
 */
export function claimList(
  filter: { organisationId?: string; policyCodes?: string[]; status?: string[] } = {},
  page: Page = pageFrom(null),
) {
  const rows = db()
    .select({
      id: claims.id,
      policyCode: claims.policyCode,
      organisationId: claims.organisationId,
      organisationName: organisations.name,
      periodFrom: claims.periodFrom,
      periodTo: claims.periodTo,
      status: claims.status,
      createdAt: claims.createdAt,
      submittedAt: claims.submittedAt,
    })
    .from(claims)
    .innerJoin(organisations, eq(organisations.id, claims.organisationId))
    .where(
      and(
        filter.organisationId ? eq(claims.organisationId, filter.organisationId) : undefined,
        filter.policyCodes ? inArray(claims.policyCode, filter.policyCodes) : undefined,
        filter.status ? inArray(claims.status, filter.status as never[]) : undefined,
      ),
    )
    .orderBy(desc(claims.createdAt), desc(claims.id))
    .limit(page.limit + 1)
    .offset(page.offset)
    .all();
  const list = rows.slice(0, page.limit);
  // Per claim: what it holds, the sum, and how many lines no longer stand (a certificate revoked or replaced, a nurse's certificate no longer verified).
  const sums = new Map(
    (
      prepared(
        `select l.claim_id, count(distinct ${SUBJECT}), sum(l.amount_fen),
           count(distinct case when c.revoked_at is not null or c.superseded_by_id is not null or q.status != 'verified' then ${SUBJECT} end)
         from claim_lines l left join certificates c on c.id = l.certificate_id left join qualifications q on q.id = l.qualification_id
         where l.claim_id in (select value from json_each(?)) and l.status in ${HOLDING} group by l.claim_id`,
      )
        .raw()
        .all(JSON.stringify(list.map((c) => c.id))) as [string, number, number, number][]
    ).map(([claimId, subjects, totalFen, flaggedCount]) => [claimId, { subjects, totalFen, flagged: flaggedCount }]),
  );
  return {
    claims: list.map((c) => {
      const policy = payingPolicyByCode(c.policyCode);
      return {
        ...c,
        policyTitle: policy?.title ?? c.policyCode,
        kind: policy?.kind ?? "per_head",
        ...(sums.get(c.id) ?? { subjects: 0, totalFen: 0, flagged: 0 }),
      };
    }),
    info: pageInfo(page, rows.length),
  };
}
