import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import { db } from "../../db/client.server";
import { awardDesignations, organisations } from "../../db/schema";
import { designationProblems, placesTaken, type AwardPolicy } from "../domain/award";
import { regionWithin } from "../domain/regions";
import { regions } from "../content/regions.server";
import { recordAudit } from "./audit.server";
import { today } from "./clock.server";
import { failure, success, type FieldErrors, type ServiceResult } from "./result";

/** Organisations an award may go to: of the kinds it names, inside its issuer's region. */
export function awardCandidates(award: AwardPolicy) {
  return db()
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind, regionCode: organisations.regionCode })
    .from(organisations)
    .where(inArray(organisations.kind, award.recipientKinds))
    .orderBy(asc(organisations.name))
    .all()
    .filter((o) => regionWithin(regions(), o.regionCode, award.issuer.regionCode));
}

export function designationsUnder(policyCode: string) {
  return db()
    .select({ d: awardDesignations, name: organisations.name })
    .from(awardDesignations)
    .innerJoin(organisations, eq(organisations.id, awardDesignations.organisationId))
    .where(eq(awardDesignations.policyCode, policyCode))
    .orderBy(asc(awardDesignations.designatedOn))
    .all()
    .map((r) => ({ ...r.d, organisationName: r.name }));
}

/** An award's places taken against places available, with the money they stand for. */
export function awardPlaces(award: AwardPolicy) {
  return placesTaken(award, designationsUnder(award.code).length);
}

export interface DesignationInput {
  organisationId: string;
  designatedOn: string;
  documentNumber: string;
  reason: string;
}

/**
 * The bureau designates an organisation under one of its awards. The places are counted and the
 * designation written in one immediate transaction, so two bureau staff designating at once cannot
 * both take the last place; the unique index keeps an organisation to one designation per award.
 */
export function designateAward(actorUserId: string, bureauId: string, award: AwardPolicy, input: DesignationInput): ServiceResult<string> {
  const org = db().select().from(organisations).where(eq(organisations.id, input.organisationId)).get();
  if (!org) return failure({ organisationId: "award.kindNotEligible" });
  const id = randomUUID();
  const errors = db().transaction(
    (tx) => {
      const taken = tx
        .select({ id: awardDesignations.id })
        .from(awardDesignations)
        .where(eq(awardDesignations.policyCode, award.code))
        .all().length;
      const already = !!tx
        .select({ id: awardDesignations.id })
        .from(awardDesignations)
        .where(and(eq(awardDesignations.policyCode, award.code), eq(awardDesignations.organisationId, org.id)))
        .get();
      const problems: FieldErrors = designationProblems(
        award,
        {
          organisationKind: org.kind,
          inRegion: regionWithin(regions(), org.regionCode, award.issuer.regionCode),
          alreadyDesignated: already,
          taken,
          ...input,
        },
        today(),
      );
      if (Object.keys(problems).length) return problems;
      tx.insert(awardDesignations)
        .values({
          id,
          policyCode: award.code,
          organisationId: org.id,
          designatedOn: input.designatedOn,
          documentNumber: input.documentNumber.trim(),
          reason: input.reason.trim(),
          authorityId: bureauId,
          recordedBy: actorUserId,
        })
        .run();
      recordAudit(tx, {
        actorUserId,
        action: "award.designate",
        entityType: "organisation",
        entityId: org.id,
        organisationId: org.id,
        details: { policy: award.code, designatedOn: input.designatedOn, document: input.documentNumber.trim() },
      });
      return null;
    },
    { behavior: "immediate" },
  );
  return errors ? failure(errors) : success(id);
}
