import type { AuthorityKind, OrganisationKind } from "../../db/schema";

/**
 * Awards that pay an organisation once for a designation (document 001 二(五)2: two district
 * 示范基地 at ¥50,000 each, five 示范点 at ¥20,000 each). Like per-head subsidies they are data in
 * content/policies/, with `kind: designation_award`; pure rules here.
 */
export interface AwardPolicy {
  kind: "designation_award";
  code: string;
  title: string;
  titleEn: string;
  source: { title: string; document: string; section: string; quote: string };
  issuer: { regionCode: string; authority: AuthorityKind };
  /** What the designation is called, e.g. 区级医养结合机构示范基地. */
  designation: string;
  /** The kinds of organisation that may be designated. */
  recipientKinds: OrganisationKind[];
  /** How many may be designated in the window. */
  places: number;
  /** Paid once per designation, in fen. */
  fen: number;
  confirmed: boolean;
  window: { from: string; to: string };
}

export type DesignationError =
  | "award.kindNotEligible"
  | "award.outsideRegion"
  | "award.noPlacesLeft"
  | "award.alreadyDesignated"
  | "award.dateOutsideWindow"
  | "award.documentRequired"
  | "award.reasonRequired";

export interface DesignationRequest {
  organisationKind: OrganisationKind;
  /** Whether the organisation is inside the issuer's region. */
  inRegion: boolean;
  alreadyDesignated: boolean;
  /** Designations already made under the policy. */
  taken: number;
  designatedOn: string;
  documentNumber: string;
  reason: string;
}

/** Why a designation may not be made, keyed by the field to show it beside (`_form` for the organisation). */
export function designationProblems(policy: AwardPolicy, r: DesignationRequest, today: string): Record<string, DesignationError> {
  const errors: Record<string, DesignationError> = {};
  if (!policy.recipientKinds.includes(r.organisationKind)) errors.organisationId = "award.kindNotEligible";
  else if (!r.inRegion) errors.organisationId = "award.outsideRegion";
  else if (r.alreadyDesignated) errors.organisationId = "award.alreadyDesignated";
  if (r.taken >= policy.places && !r.alreadyDesignated) errors._form = "award.noPlacesLeft";
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(r.designatedOn) ||
    r.designatedOn < policy.window.from ||
    r.designatedOn > policy.window.to ||
    r.designatedOn > today
  ) {
    errors.designatedOn = "award.dateOutsideWindow";
  }
  const doc = r.documentNumber.trim();
  if (!doc || doc.length > 60) errors.documentNumber = "award.documentRequired";
  const reason = r.reason.trim();
  if (!reason || reason.length > 500) errors.reason = "award.reasonRequired";
  return errors;
}

/** Places taken against places available, and the money they stand for. */
export function placesTaken(policy: Pick<AwardPolicy, "places" | "fen">, taken: number) {
  return {
    taken,
    places: policy.places,
    left: Math.max(0, policy.places - taken),
    takenFen: taken * policy.fen,
    availableFen: policy.places * policy.fen,
  };
}
