import { prepared } from "../../../db/client.server";
import type { ClaimItem } from "../../../db/schema";
import {
  cohortGrantEligibility,
  ITEM_OF_KIND,
  type CohortGrantPolicy,
  type DualCertificatePolicy,
  type FlatRatePolicy,
  type PayingPolicy,
} from "../../domain/claim-policy";
import type { AwardPolicy } from "../../domain/award";
import { maskResidentId } from "../../domain/resident-id";
import type { Policy } from "../../domain/subsidy";
import type { MessageKey } from "../../i18n/messages";
import { zhCN } from "../../i18n/zh-CN";
import { inChinese } from "../../i18n/messages";
import { policyReach } from "../jurisdictions.server";
import { today } from "../clock.server";
import { dualCertificateRows } from "../qualifications.server";
import { claimableHeads } from "./eligibility.server";

/** The columns of a claim line that name what it pays for. */
export interface LineSubject {
  certificateId?: string;
  userId?: string;
  occupationLevel?: string;
  awardDesignationId?: string;
  qualificationId?: string;
  cohortId?: string;
}

/**
 * One thing a base may claim for, as the claim form lists it and as its lines will be written: a
 * head, a designation, a 双证 nurse or a cohort. `key` is what the form sends back.
 */
export interface ClaimableSubject {
  key: string;
  name: string;
  idNumber: string | null;
  what: string;
  reference: string;
  date: string;
  items: { item: ClaimItem; fen: number }[];
  amountFen: number;
  beyondTarget: boolean;
  beyondCap: boolean;
  line: LineSubject;
}

export interface UnclaimableSubject {
  key: string;
  name: string;
  reference: string;
  reasons: MessageKey[];
}

type Period = { from: string; to: string };

/** Whether an organisation may claim under a policy at all: a base in its issuer's region, or the holder of one of its designations. */
export function policyReachesOrganisation(policy: PayingPolicy, organisationId: string): boolean {
  if (policy.kind === "designation_award")
    return (
      prepared("select 1 from award_designations where policy_code = ? and organisation_id = ?").get(policy.code, organisationId) !==
      undefined
    );
  return policyReach(policy).has(organisationId);
}

/**
 * What an organisation may claim under a policy for the period, and what it may not with every
 * reason: the claim form lists both, and a claim is judged again against the same list when written.
 */
export function claimableSubjects(
  policy: PayingPolicy,
  organisationId: string,
  period: Period,
): { eligible: ClaimableSubject[]; ineligible: UnclaimableSubject[] } {
  if (!policyReachesOrganisation(policy, organisationId)) return { eligible: [], ineligible: [] };
  switch (policy.kind) {
    case "per_head":
      return headSubjects(policy, organisationId, period);
    case "designation_award":
      return { eligible: designationSubjects(policy, organisationId, period), ineligible: [] };
    case "dual_certificate":
      return dualCertificateSubjects(policy, organisationId);
    case "cohort_grant":
      return cohortSubjects(policy, organisationId, period);
  }
}

const flat = (policy: FlatRatePolicy) => ({
  items: [{ item: ITEM_OF_KIND[policy.kind], fen: policy.fen }],
  amountFen: policy.fen,
  beyondTarget: false,
  beyondCap: false,
});

function headSubjects(policy: Policy, organisationId: string, period: Period) {
  const { eligible, ineligible } = claimableHeads(policy, organisationId, period);
  return {
    eligible: eligible.map(
      (h): ClaimableSubject => ({
        key: h.certificateId,
        name: h.holderName,
        idNumber: h.idMasked,
        what: h.programTitle,
        reference: h.serial,
        date: h.completionDate,
        items: h.items,
        amountFen: h.amountFen,
        beyondTarget: h.beyondTarget,
        beyondCap: h.beyondCap,
        line: { certificateId: h.certificateId, userId: h.userId, occupationLevel: h.occupationLevel },
      }),
    ),
    ineligible: ineligible.map((h) => ({
      key: h.certificateId,
      name: h.holderName,
      reference: h.serial,
      reasons: h.reasons.map((r) => `claim.reason.${r}` as const),
    })),
  };
}

/** The organisation's designations under the award made in the period that no line holds yet. */
function designationSubjects(policy: AwardPolicy, organisationId: string, period: Period): ClaimableSubject[] {
  const rows = prepared(
    `select d.id, o.name, d.designated_on, d.document_number from award_designations d join organisations o on o.id = d.organisation_id
     where d.policy_code = ? and d.organisation_id = ? and d.designated_on between ? and ?
       and not exists (select 1 from claim_lines l where l.award_designation_id = d.id and l.status in ('included', 'approved'))`,
  )
    .raw()
    .all(policy.code, organisationId, period.from, period.to) as [string, string, string, string][];
  return rows.map(([id, name, designatedOn, documentNumber]) => ({
    key: id,
    name,
    idNumber: null,
    what: policy.designation,
    reference: documentNumber,
    date: designatedOn,
    ...flat(policy),
    line: { awardDesignationId: id },
  }));
}

/**
 * The base's people on its 双证 list: those who qualify today and were never paid the incentive (under
 * any policy: the database keeps it to once a person), and why the others do not qualify.
 */
function dualCertificateSubjects(policy: DualCertificatePolicy, organisationId: string) {
  const on = today();
  const rows = dualCertificateRows(organisationId);
  const paid = new Set(
    prepared(
      `select user_id from claim_lines where item = 'dual_certificate' and status in ('included', 'approved') and user_id in (select value from json_each(?))`,
    )
      .pluck()
      .all(JSON.stringify(rows.map((r) => r.userId))) as string[],
  );
  const ids = new Map(
    prepared("select id, id_number from users where id in (select value from json_each(?))")
      .raw()
      .all(JSON.stringify(rows.map((r) => r.userId))) as [string, string | null][],
  );
  const open = on >= policy.window.from && on <= policy.window.to;
  const eligible: ClaimableSubject[] = [];
  const ineligible: UnclaimableSubject[] = [];
  for (const r of rows) {
    if (paid.has(r.userId)) continue;
    const reasons: MessageKey[] = r.reasons.map((x) => `qualification.dual.${x}` as const);
    if (!open) reasons.push("claim.reason.outsideWindow");
    if (reasons.length || !r.nurse) {
      ineligible.push({ key: r.userId, name: r.name, reference: r.nurse?.number ?? "", reasons });
      continue;
    }
    const idNumber = ids.get(r.userId) ?? null;
    eligible.push({
      key: r.userId,
      name: r.name,
      idNumber: idNumber ? maskResidentId(idNumber) : null,
      what: zhCN["claim.subject.dualCertificate"],
      reference: r.nurse.number,
      date: r.nurse.verifiedOn,
      ...flat(policy),
      line: { userId: r.userId, qualificationId: r.nurse.id },
    });
  }
  return { eligible, ineligible };
}

/** The base's cohorts of the grant's programmes that ended in the period and were never paid for under it. */
function cohortSubjects(policy: CohortGrantPolicy, organisationId: string, period: Period) {
  const on = today();
  const rows = prepared(
    `select k.id, k.name, v.program_code, v.title, k.end_date,
       (select count(*) from certificates c join enrolments e on e.id = c.enrolment_id
         where e.cohort_id = k.id and c.revoked_at is null and c.superseded_by_id is null)
     from cohorts k join program_versions v on v.id = k.program_version_id
     where k.organisation_id = ? and v.program_code in (select value from json_each(?)) and k.end_date between ? and ?
       and not exists (select 1 from claim_lines l where l.cohort_id = k.id and l.policy_code = ? and l.status in ('included', 'approved'))
     order by k.end_date, k.name`,
  )
    .raw()
    .all(organisationId, JSON.stringify(policy.programmes), period.from, period.to, policy.code) as [
    string,
    string,
    string,
    string,
    string,
    number,
  ][];
  const eligible: ClaimableSubject[] = [];
  const ineligible: UnclaimableSubject[] = [];
  for (const [id, name, programCode, title, endDate, certified] of rows) {
    const judged = cohortGrantEligibility(policy, { programCode, endDate, certifiedInForce: certified }, on);
    if (!judged.eligible) {
      ineligible.push({ key: id, name, reference: title, reasons: judged.reasons.map((r) => `claim.reason.cohort.${r}` as const) });
      continue;
    }
    eligible.push({
      key: id,
      name,
      idNumber: null,
      what: title,
      reference: inChinese("claim.subject.certified", { n: certified }),
      date: endDate,
      ...flat(policy),
      line: { cohortId: id },
    });
  }
  return { eligible, ineligible };
}
