import { randomUUID } from "node:crypto";
import type { DepartmentKind } from "../../db/schema";
import type { Department } from "../../app/domain/rotation";
import type { Region, RegionTree } from "../../app/domain/regions";
import { createOrganisation, designateBase } from "../../app/services/organisations.server";
import { saveDepartment } from "../../app/services/rotations/departments.server";
import { assignRole } from "../../app/services/users.server";
import { accreditationSchema, organisationSchema } from "../../app/validation/organisations";
import { addDays } from "../../app/domain/dates";
import { personName } from "./people";
import type { BulkStatements } from "./schema-sql";
import { PROVINCE_CODE } from "./shape";

/**
 * The province's organisations and staff, made through the app's own services: each organisation
 * as the admin's form makes it (its region read against the region table), each base designated by
 * its district's health bureau in a host the designation rule allows, each role assigned only where
 * the role fits, each department with mentors of its hospital. Staff share the demo password.
 */

export interface Hospital {
  id: string;
  code: string;
  name: string;
  coordinatorId: string;
  departments: Department[];
}

export interface Base {
  index: number;
  id: string;
  code: string;
  name: string;
  district: Region;
  registrarId: string;
  instructorId: string;
  instructorName: string;
  financeId: string;
  reviewerId: string;
  bureauId: string;
  /** Where the base's trainees work: their trainee role is held there and their roster names it. */
  employer: { id: string; name: string };
  hospital: Hospital;
}

/** County-level districts of the province, in code order. */
export function provinceDistricts(tree: RegionTree): Region[] {
  const cities = new Set([...tree.values()].filter((r) => r.parent === PROVINCE_CODE).map((r) => r.code));
  return [...tree.values()].filter((r) => r.parent !== null && cities.has(r.parent)).sort((a, b) => a.code.localeCompare(b.code));
}

/** The district of each base: spread evenly over the province, then two or three to a district. */
export function districtsOfBases(districts: Region[], bases: number): Region[] {
  return Array.from({ length: bases }, (_, i) =>
    bases <= districts.length ? districts[Math.floor((i * districts.length) / bases)] : districts[i % districts.length],
  );
}

const HOSTS: [string, "hospital_with_geriatrics_or_rehabilitation" | "primary_care_institution" | "integrated_care_institution"][] = [
  ["人民医院", "hospital_with_geriatrics_or_rehabilitation"],
  ["中医院", "hospital_with_geriatrics_or_rehabilitation"],
  ["社区卫生服务中心", "primary_care_institution"],
  ["颐养中心", "integrated_care_institution"],
];

/** Wards of each kind a lead hospital has, and the places in each; more wards where more bases send trainees. */
const WARDS: { kind: DepartmentKind; name: string; capacity: number }[] = [
  { kind: "geriatrics", name: "老年医学科", capacity: 18 },
  { kind: "rehabilitation", name: "康复医学科", capacity: 12 },
  { kind: "hospice", name: "安宁疗护病区", capacity: 16 },
  { kind: "neurology", name: "神经内科", capacity: 6 },
];
const BASES_PER_WARD = 6;
const WARD_NUMBERS = ["", "二病区", "三病区", "四病区", "五病区", "六病区"];

function must<T>(result: { ok: true; value: T } | { ok: false; errors: unknown }, what: string): T {
  if (!result.ok) throw new Error(`${what} refused: ${JSON.stringify(result.errors)}`);
  return result.value;
}

export function createProvince(input: {
  tree: RegionTree;
  baseDistricts: Region[];
  passwordHash: string;
  write: BulkStatements;
  today: string;
  /** Runs `fn` in one transaction of the generator's connection. */
  inTransaction: (fn: () => void) => void;
}): { bases: Base[]; hospitals: Hospital[]; admins: string[]; staffCount: number } {
  const { tree, baseDistricts, passwordHash, write, today } = input;
  const at = new Date().toISOString();
  let staffCount = 0;
  const staff = (
    username: string,
    actorUserId: string | null,
    roles: [string, "admin" | "registrar" | "instructor" | "base_finance" | "reviewer" | "rotation_coordinator" | "mentor"][],
  ) => {
    const id = randomUUID();
    const name = personName(900_000 + staffCount++);
    input.inTransaction(() => {
      write.user({ id, name, username, mobile: null, idNumber: null, passwordHash, at });
      write.audit(at, actorUserId, "user.create", "user", id, null, { name, username });
    });
    for (const [organisationId, role] of roles)
      must(assignRole(actorUserId ?? id, id, organisationId, role), `role ${role} for ${username}`);
    return { id, name };
  };
  const organisation = (fields: Record<string, string>) => {
    const parsed = organisationSchema.parse(fields);
    return must(createOrganisation(null, parsed), `organisation ${fields.code}`);
  };

  const cityOf = (district: Region) => tree.get(district.parent!)!;
  const cities = [...new Map(baseDistricts.map((d) => [cityOf(d).code, cityOf(d)])).values()];
  const districts = [...new Map(baseDistricts.map((d) => [d.code, d])).values()];
  const basesInCity = (city: string) => baseDistricts.filter((d) => d.parent === city).length;

  // One alliance per city, led by the city's geriatric hospital, where its bases' trainees rotate.
  const alliances = new Map<string, string>();
  const hospitals = new Map<string, Hospital>();
  const admins: string[] = [];
  for (const city of cities) {
    const cityCode = city.code.slice(0, 4);
    const firstDistrict = districts.find((d) => d.parent === city.code)!;
    const allianceId = organisation({ code: `PA-${cityCode}`, kind: "alliance", name: `${city.name}医养结合联盟`, address: city.name });
    alliances.set(city.code, allianceId);
    const admin = staff(`admin.${cityCode}`, null, [[allianceId, "admin"]]);
    admins.push(admin.id);
    const hospitalName = `${city.name}老年医院`;
    const hospitalId = organisation({
      code: `PH-${cityCode}`,
      kind: "lead_hospital",
      name: hospitalName,
      parentId: allianceId,
      region: firstDistrict.code,
      address: city.name,
    });
    const coordinator = staff(`coordinator.${cityCode}`, admin.id, [[hospitalId, "rotation_coordinator"]]);
    const wardCount = Math.min(WARD_NUMBERS.length, Math.max(1, Math.ceil(basesInCity(city.code) / BASES_PER_WARD)));
    const departments: Department[] = [];
    let mentorNumber = 0;
    for (const ward of WARDS) {
      for (let w = 0; w < (ward.kind === "neurology" ? 1 : wardCount); w++) {
        const mentors = [0, 1].map(() => staff(`mentor.${cityCode}.${++mentorNumber}`, admin.id, [[hospitalId, "mentor"]]).id);
        const department = {
          name: ward.name + WARD_NUMBERS[w],
          kind: ward.kind,
          capacity: ward.capacity,
          mentorIds: mentors,
          active: true,
        };
        const id = must(saveDepartment(coordinator.id, hospitalId, null, department), `department ${department.name}`);
        departments.push({ id, name: department.name, kind: ward.kind, capacity: ward.capacity, mentorIds: mentors });
      }
    }
    hospitals.set(city.code, { id: hospitalId, code: `PH-${cityCode}`, name: hospitalName, coordinatorId: coordinator.id, departments });
  }

  // Each district that hosts a base: its health bureau (which designates the base and pays its
  // subsidy) with a reviewer, and the welfare centre its trainees work at.
  const bureaus = new Map<string, { id: string; reviewerId: string; employer: { id: string; name: string } }>();
  for (const d of districts) {
    const city = cityOf(d);
    const bureauId = organisation({
      code: `PW-${d.code}`,
      kind: "health_bureau",
      name: `${d.name}卫生健康局`,
      region: d.code,
      address: `${city.name}${d.name}`,
    });
    const reviewer = staff(`reviewer.${d.code}`, admins[cities.indexOf(city)], [[bureauId, "reviewer"]]);
    const employerName = `${d.name}社会福利中心`;
    const employerId = organisation({
      code: `PM-${d.code}`,
      kind: "member_institution",
      name: employerName,
      parentId: alliances.get(city.code)!,
      region: d.code,
      address: `${city.name}${d.name}`,
    });
    bureaus.set(d.code, { id: bureauId, reviewerId: reviewer.id, employer: { id: employerId, name: employerName } });
  }

  const bases: Base[] = [];
  const perDistrict = new Map<string, number>();
  baseDistricts.forEach((d, index) => {
    const city = cityOf(d);
    const cityAdmin = admins[cities.indexOf(city)];
    const ordinal = perDistrict.get(d.code) ?? 0;
    perDistrict.set(d.code, ordinal + 1);
    const [hostSuffix, hostKind] = HOSTS[ordinal % HOSTS.length];
    const hostName = `${d.name}${hostSuffix}`;
    const code = `PB-${d.code}-${ordinal + 1}`;
    const name = `${hostName}医养结合培训基地`;
    const id = organisation({
      code,
      kind: "training_base",
      name,
      parentId: alliances.get(city.code)!,
      region: d.code,
      address: `${city.name}${d.name}`,
    });
    const bureau = bureaus.get(d.code)!;
    // Designated three years back, for five years: every cohort of the dataset runs while it is accredited.
    const validFrom = addDays(today, -3 * 365);
    const designation = accreditationSchema.parse({
      number: `${d.name.slice(0, 2)}卫医养培〔${validFrom.slice(0, 4)}〕${ordinal + 1}号`,
      status: "accredited",
      hostName,
      hostKind,
      validFrom,
      validTo: addDays(today, 2 * 365),
      effectiveFrom: validFrom,
      note: "",
    });
    designateBase(bureau.reviewerId, bureau.id, id, designation);
    const lower = code.toLowerCase();
    const instructor = staff(`instructor.${lower}`, cityAdmin, [[id, "instructor"]]);
    bases.push({
      index,
      id,
      code,
      name,
      district: d,
      registrarId: staff(`registrar.${lower}`, cityAdmin, [[id, "registrar"]]).id,
      instructorId: instructor.id,
      instructorName: instructor.name,
      financeId: staff(`finance.${lower}`, cityAdmin, [[id, "base_finance"]]).id,
      reviewerId: bureau.reviewerId,
      bureauId: bureau.id,
      employer: bureau.employer,
      hospital: hospitals.get(city.code)!,
    });
  });
  return { bases, hospitals: [...hospitals.values()], admins, staffCount };
}
