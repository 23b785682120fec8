import { qrLink, type CertificatePayload } from "../../app/domain/certificate";
import { ATTENDANCE_PAGE_SIZE } from "../../app/domain/paging";
import type { PageRequest } from "./http-load";
import {
  approvalsQuery,
  attendanceGridQuery,
  auditSearchQuery,
  baseFinanceQuery,
  certificateSearchQuery,
  cohortProgressQuery,
  districtFinanceQuery,
  hospitalHomeQuery,
  learnHomeQuery,
  learnProgrammeQuery,
  reviewQueueQuery,
  rotationBoardQuery,
  type Fixtures,
  type ReferenceQuery,
} from "./schema-sql";

/**
 * The pages people use most and the ones that read the most, each opened by the role that uses it,
 * on the records where it has the most to show, with the hand-written query its numbers are
 * compared with.
 */

export type Role = "trainee" | "registrar" | "finance" | "reviewer" | "coordinator" | "admin" | "public";

export interface KeyPage {
  key: string;
  label: string;
  role: Role;
  request: Omit<PageRequest, "cookie">;
  reference?: ReferenceQuery;
}

export function keyPages(f: Fixtures): KeyPage[] {
  const cohort = `/bases/${f.base.id}/cohorts/${f.cohort.id}`;
  const hospital = `/hospital/${f.hospital.id}`;
  const get = (path: string, expect = [200]) => ({ method: "GET" as const, path, expect });
  // The QR code's link: the public page checks the signature it carries.
  const qr = new URL(qrLink("http://x", JSON.parse(f.certificate.payload) as CertificatePayload, f.certificate.signature)).href.replace(
    "http://x",
    "",
  );
  return [
    { key: "learn", label: "trainee home /learn", role: "trainee", request: get("/learn"), reference: learnHomeQuery },
    {
      key: "learn-programme",
      label: "programme /learn/<enrolment>",
      role: "trainee",
      request: get(`/learn/${f.trainee.enrolmentId}`),
      reference: learnProgrammeQuery,
    },
    { key: "cohort-progress", label: "cohort progress", role: "registrar", request: get(cohort), reference: cohortProgressQuery },
    {
      key: "attendance",
      label: "attendance grid",
      role: "registrar",
      request: get(`${cohort}/attendance`),
      reference: attendanceGridQuery,
    },
    {
      key: "attendance-save",
      label: "attendance save (POST)",
      role: "registrar",
      request: {
        method: "POST",
        path: `${cohort}/attendance`,
        // One session of the grid's first page, as its form sends it; alternately full and one hour short, so every save changes every cell.
        body: (i) => {
          const form = new URLSearchParams({ intent: "save" });
          for (const e of f.cohort.enrolmentIds.slice(0, ATTENDANCE_PAGE_SIZE))
            form.append(`a:${f.session.id}:${e}`, String(f.session.hours - (i % 2 === 0 ? 1 : 0)));
          return form;
        },
        expect: [302, 303],
      },
    },
    {
      key: "register",
      label: "certificate register search",
      role: "registrar",
      request: get(`/certificates?org=${f.base.id}&name=${encodeURIComponent(f.certificate.holderName)}`),
      reference: certificateSearchQuery,
    },
    { key: "verify", label: "public /v/<serial>", role: "public", request: get(qr) },
    { key: "subsidy-base", label: "base subsidy /subsidy", role: "finance", request: get("/subsidy"), reference: baseFinanceQuery },
    {
      key: "subsidy-district",
      label: "district subsidy /subsidy",
      role: "reviewer",
      request: get("/subsidy"),
      reference: districtFinanceQuery,
    },
    { key: "review", label: "reviewer queue /review", role: "reviewer", request: get("/review"), reference: reviewQueueQuery },
    { key: "board", label: "rotation board", role: "coordinator", request: get(`${hospital}/board`), reference: rotationBoardQuery },
    { key: "hospital", label: "hospital home", role: "coordinator", request: get(hospital), reference: hospitalHomeQuery },
    { key: "approvals", label: "approvals", role: "coordinator", request: get(`${hospital}/approvals`), reference: approvalsQuery },
    {
      key: "audit",
      label: "audit log search",
      role: "admin",
      request: get(`/admin/audit?q=${encodeURIComponent(f.cohort.traineeName)}`),
      reference: auditSearchQuery,
    },
    { key: "login", label: "sign-in page /login", role: "public", request: get("/login") },
  ];
}

/** Who signs in for each role. */
export function identifiers(f: Fixtures): Record<Exclude<Role, "public">, string> {
  return {
    trainee: f.trainee.mobile,
    registrar: f.base.registrar,
    finance: f.base.finance,
    reviewer: f.reviewer.username,
    coordinator: f.hospital.coordinator,
    admin: f.admin,
  };
}
