/**
 * Builds the province dataset in a folder of its own: `node --import tsx bench/province/generate.ts
 * FOLDER SCALE`. Runs in a process of its own because the app's modules keep one database and one
 * key per process, chosen from the environment set here before any of them is loaded. The database
 * is created by the app's own migrations; organisations, roles, departments, some certificates and
 * every claim go through the app's services; the bulk (people, enrolments, events, rotations, most
 * certificates, their audit entries) is written with prepared statements in one transaction per
 * base, checked against the app's own rules as it is written. Prints progress, then one line of
 * JSON describing what it made.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

const [folder, scaleText] = process.argv.slice(2);
const scale = Number(scaleText);
if (!folder || !(scale > 0)) throw new Error("usage: generate.ts FOLDER SCALE");
mkdirSync(folder, { recursive: true });
process.env.DATABASE_PATH = path.join(folder, "province.sqlite");
process.env.CERT_KEY_DIR = path.join(folder, "keys");
process.env.CONTENT_DIR = path.join(folder, "content");

const started = performance.now();
const phases: Record<string, number> = {};
let phaseStart = started;
const phase = (name: string) => {
  const now = performance.now();
  phases[name] = Math.round(now - phaseStart) / 1000;
  phaseStart = now;
  console.log(`  ${name}: ${phases[name].toFixed(1)} s`);
};

const { projectRoot } = await import("../../db/paths");
const { loadRegions } = await import("../../app/content/regions.server");
const { today: todayOf } = await import("../../app/services/organisations.server");
const { shapeAt } = await import("./shape");
const { provinceDistricts, districtsOfBases, createProvince } = await import("./organisations");
const { writeProvinceContent } = await import("./district-policies");

const shape = shapeAt(scale);
const today = todayOf();
const checkoutContent = path.join(projectRoot, "content");
const tree = loadRegions(checkoutContent);
const baseDistricts = districtsOfBases(provinceDistricts(tree), shape.bases);
writeProvinceContent(process.env.CONTENT_DIR, checkoutContent, [...new Map(baseDistricts.map((d) => [d.code, d])).values()], today);

const { db, closeDatabase } = await import("../../db/client.server");
const { programVersions } = await import("../../db/schema");
const { publishProgramVersions } = await import("../../app/services/program-versions.server");
const { hashPassword } = await import("../../app/auth/password.server");
const { DEMO_PASSWORD } = await import("../../db/seed/demo");
const { missingGlyphs, warmUpCertificates } = await import("../../app/pdf/certificate.server");
const { issueCertificate } = await import("../../app/services/certificates.server");
const { ensureSigningKey } = await import("../../app/services/signing.server");
const { loadProgramme } = await import("./curriculum");
const { planProvince } = await import("./plan");
const { bulkStatements, datasetCounts } = await import("./schema-sql");
const { HospitalRota } = await import("./rotations");
const { writeEnrolment, stepsTaken } = await import("./enrolment-records");
type PlannedPlacement = import("../../app/domain/rotation").PlannedPlacement;
const { CertificateWriter } = await import("./certificates");
const { makeClaims } = await import("./claims");
const { personName, mobileNumber, residentId, assertValidResidentId, NAME_CHARACTERS } = await import("./people");
const { addDays } = await import("../../app/domain/dates");

const sqlite = db().$client;
// Made once and copied for every run, so it is written without the WAL and without waiting for the
// disk: a build that stops half-way is thrown away (the cache keeps only finished builds). The file
// goes back to WAL, the app's journal, before it is closed.
sqlite.pragma("journal_mode = MEMORY");
sqlite.pragma("synchronous = OFF");
sqlite.pragma("cache_size = -262144");
publishProgramVersions();
ensureSigningKey();
const write = bulkStatements(sqlite);
const inTransaction = (fn: () => void) => sqlite.transaction(fn)();
// Hashed once: every account of the province signs in with the demo password.
const passwordHash = await hashPassword(DEMO_PASSWORD);

const programmes = new Map(
  db()
    .select()
    .from(programVersions)
    .all()
    .map((v, i) => [v.programCode, loadProgramme(v.id, JSON.parse(v.rules), JSON.parse(v.content!), 1000 + i)]),
);
phase("database and programmes");

const plan = planProvince(shape, programmes, today);
phase("plan");

const province = createProvince({ tree, baseDistricts, passwordHash, write, today, inTransaction });
const glyphs = missingGlyphs(NAME_CHARACTERS + province.bases.map((b) => b.name).join("") + [...programmes.values()].map((p) => p.rules.title + p.rules.certificate.title).join(""));
if (glyphs.length) throw new Error(`the certificate font lacks ${glyphs.join("")}: choose other names`);
phase("organisations, staff and designations");

// ---------------------------------------------------------------- people, cohorts, events
const rotas = new Map(province.hospitals.map((h) => [h.id, new HospitalRota(h)]));
const certificates = new CertificateWriter(write);
const userOfPerson = new Map<number, string>();
const throughApp: { registrarId: string; enrolmentId: string; issueDate: string }[] = [];
const tally = { learningRows: 0, signoffs: 0, pending: 0, completed: 0, unplaced: 0, enrolments: 0 };
const at = (date: string) => `${date}T02:00:00.000Z`;
let lastReport = performance.now();

for (const base of province.bases) {
  const cohorts = plan.cohorts.filter((c) => c.base === base.index).sort((a, b) => a.startDate.localeCompare(b.startDate));
  inTransaction(() => {
    for (const c of cohorts) {
      const { rules } = c.programme;
      const cohortId = randomUUID();
      const name = `${c.startDate.slice(0, 4)}年第${c.ordinal + 1}期${rules.title}班`;
      const capacity = Math.ceil((c.enrolments.length + 5) / 10) * 10;
      const createdAt = at(addDays(c.startDate, -30));
      write.cohort({ id: cohortId, organisationId: base.id, programVersionId: c.programme.versionId, name, startDate: c.startDate, endDate: c.endDate, capacity, createdBy: base.registrarId, at: createdAt });
      write.cohortInstructor(cohortId, base.instructorId);
      write.audit(createdAt, base.registrarId, "cohort.create", "cohort", cohortId, base.id, { name, programVersionId: c.programme.versionId, startDate: c.startDate, endDate: c.endDate, capacity, instructorIds: [base.instructorId] });
      const sessionIds = c.schedule.sessions.map((s) => {
        const id = write.session(cohortId, s.date, s.title, s.kind, s.hours);
        write.audit(createdAt, base.registrarId, "session.create", "cohort", cohortId, base.id, s);
        return id;
      });

      // The roster: people new to the system get an account (they have since chosen a password) and a trainee role.
      const enrolledAt = at(addDays(c.startDate, -14));
      const enrolments = c.enrolments.map((e) => {
        let userId = userOfPerson.get(e.person);
        if (!userId) {
          userId = randomUUID();
          userOfPerson.set(e.person, userId);
          const person = { name: personName(e.person), mobile: mobileNumber(e.person), idNumber: residentId(e.person, base.district.code) };
          if (e.person % 1000 === 0) assertValidResidentId(person.idNumber, today);
          write.user({ id: userId, username: null, passwordHash, at: enrolledAt, ...person });
          write.audit(enrolledAt, base.registrarId, "user.create", "user", userId, base.id, { name: person.name, mobile: person.mobile, source: "roster" });
          write.role(userId, base.employer.id, "trainee", enrolledAt);
          write.audit(enrolledAt, base.registrarId, "role.assign", "user", userId, base.employer.id, { role: "trainee" });
        }
        return { enrolmentId: randomUUID(), userId, plan: e, person: e.person };
      });

      // The coordinator places a cohort with rotations a fortnight in, those still coming to it.
      const placements = new Map<string, PlannedPlacement[]>();
      const earliestStart = addDays(c.startDate, 14);
      if (rules.rotations.length && earliestStart <= today) {
        const rota = rotas.get(base.hospital.id)!;
        const placed = rota.place({
          trainees: enrolments
            .filter((e) => stepsTaken(e.plan, c.programme, c.schedule, today).reachedUntil >= earliestStart)
            .map((e) => ({ enrolmentId: e.enrolmentId, personId: e.userId })),
          rules,
          window: { startDate: c.startDate, endDate: c.endDate },
          earliestStart,
        });
        for (const p of placed.placements) placements.set(p.enrolmentId, [...(placements.get(p.enrolmentId) ?? []), p]);
        tally.unplaced += placed.unplaced;
        write.audit(at(earliestStart), base.hospital.coordinatorId, "placement.auto-place", "cohort", cohortId, base.hospital.id, { placed: placed.placements.length, unplaced: placed.unplaced });
      }

      const ctx = { cohortId, placedOn: earliestStart, base, programme: c.programme, schedule: c.schedule, sessionIds, today, write, attendanceCells: sessionIds.map(() => []) };
      const issueDate = addDays(c.endDate, 7);
      let issuedByApp = false;
      for (const e of enrolments) {
        const outcome = writeEnrolment(ctx, { enrolmentId: e.enrolmentId, userId: e.userId, enrolledAt, plan: e.plan, placements: (placements.get(e.enrolmentId) ?? []).sort((a, b) => a.start.localeCompare(b.start)) });
        tally.enrolments++;
        tally.learningRows += outcome.learningRows;
        tally.signoffs += outcome.signoffs;
        tally.pending += outcome.pending;
        if (!outcome.completedAt) continue;
        tally.completed++;
        if (issueDate > today) continue;
        // The first certificate of each cohort is issued by the app itself, after this transaction.
        if (!issuedByApp) {
          throughApp.push({ registrarId: base.registrarId, enrolmentId: e.enrolmentId, issueDate });
          issuedByApp = true;
          continue;
        }
        certificates.issue({
          enrolmentId: e.enrolmentId,
          userId: e.userId,
          base,
          cohort: c,
          rules,
          holderName: personName(e.person),
          holderIdNumber: residentId(e.person, base.district.code),
          completion: outcome.completion,
          completedAt: outcome.completedAt,
          issueDate,
        });
      }
      // Each saved attendance grid is one audit entry naming the cells it changed.
      ctx.attendanceCells.forEach((cells, i) => {
        if (cells.length) write.audit(at(c.schedule.sessions[i].date), i % 2 ? base.instructorId : base.registrarId, "attendance.record", "cohort", cohortId, base.id, { cells });
      });
    }
  });
  if (performance.now() - lastReport > 5000 || base.index === province.bases.length - 1) {
    lastReport = performance.now();
    console.log(`  base ${base.index + 1} of ${province.bases.length}: ${tally.enrolments} enrolments, ${tally.learningRows} learning events, ${certificates.issued} certificates`);
  }
}
phase("people, cohorts, learning events, rotations and certificates");

// ---------------------------------------------------------------- through the app
await warmUpCertificates();
for (const t of throughApp) {
  const result = await issueCertificate(t.registrarId, t.enrolmentId, t.issueDate);
  if (!result.ok) throw new Error(`the app refused a certificate for ${t.enrolmentId}: ${result.reason}`);
}
phase(`${throughApp.length} certificates issued by the app, PDF and all`);

let claimLines = 0;
for (const base of province.bases) claimLines += makeClaims(base, Math.round(shape.claims / shape.bases), Math.round(shape.claimLines / shape.claims), today).lines;
phase("claims through the app");

// Sign-ins make up the rest of the audit log, as on a system people use every day.
const auditRows = sqlite.prepare("select count(*) from audit_log").pluck().get() as number;
const trainees = [...userOfPerson.values()];
inTransaction(() => {
  for (let i = 0; auditRows + i < shape.auditRows; i++) {
    const when = new Date(Date.parse(`${addDays(today, -(i % 500))}T01:00:00.000Z`) + (i % 3600) * 11_000).toISOString();
    const userId = trainees[(i * 7919) % trainees.length];
    write.audit(when, userId, "auth.sign-in", "user", userId, null, { address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, device: "known-browser", activation: false });
  }
});
phase("sign-ins");

// A sample read back through the app: its completion rule agrees with what was stored, and every
// sampled certificate's QR link verifies against the published key.
const { completionOf } = await import("../../app/services/completion.server");
const { lookUpSerial } = await import("../../app/services/verification.server");
const { qrLink } = await import("../../app/domain/certificate");
for (const e of sqlite.prepare("select id, status from enrolments order by random() limit 300").all() as { id: string; status: string }[]) {
  const verdict = completionOf(db(), e.id).status;
  if ((verdict === "completed") !== (e.status === "completed")) throw new Error(`enrolment ${e.id} is stored ${e.status} but the app finds it ${verdict}`);
}
for (const c of sqlite.prepare("select serial, verify_base, payload, signature from certificates order by random() limit 100").all() as { serial: string; verify_base: string; payload: string; signature: string }[]) {
  const found = lookUpSerial(c.serial, qrLink(c.verify_base, JSON.parse(c.payload), c.signature));
  if (found.kind !== "found" || found.signature !== "valid") throw new Error(`certificate ${c.serial} does not verify: ${JSON.stringify(found)}`);
}
phase("sample checked against the app");

const counts = datasetCounts(sqlite);
sqlite.pragma("journal_mode = WAL");
closeDatabase();
console.log(
  JSON.stringify({
    scale,
    generatedOn: today,
    seconds: Math.round(performance.now() - started) / 1000,
    phases,
    counts,
    people: plan.people,
    completionRate: plan.completionRate,
    stoppedScale: plan.stoppedScale,
    completed: tally.completed,
    unplaced: tally.unplaced,
    pendingSignoffs: tally.pending,
    claimLines,
    staff: province.staffCount,
  }),
);
