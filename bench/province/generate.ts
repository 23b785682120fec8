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
const { today: todayOf } = await import("../../app/services/clock.server");
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
const { bulkStatements, countAuditRows, datasetCounts, sampleCertificates, sampleEnrolments } = await import("./schema-sql");
const { CohortWriter } = await import("./cohort-writer");
const { makeClaims } = await import("./claims");
const { NAME_CHARACTERS } = await import("./people");
const { addDays } = await import("../../app/domain/dates");
const { completionOf } = await import("../../app/services/completion.server");
const { lookUpSerial } = await import("../../app/services/verification.server");
const { qrLink } = await import("../../app/domain/certificate");

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
const glyphs = missingGlyphs(
  NAME_CHARACTERS +
    province.bases.map((b) => b.name).join("") +
    [...programmes.values()].map((p) => p.rules.title + p.rules.certificate.title).join(""),
);
if (glyphs.length) throw new Error(`the certificate font lacks ${glyphs.join("")}: choose other names`);
phase("organisations, staff and designations");

// ---------------------------------------------------------------- people, cohorts, events
const cohorts = new CohortWriter({ write, passwordHash, today, hospitals: province.hospitals });
let lastReport = performance.now();
for (const base of province.bases) {
  const own = plan.cohorts.filter((c) => c.base === base.index).sort((a, b) => a.startDate.localeCompare(b.startDate));
  inTransaction(() => own.forEach((c) => cohorts.writeCohort(base, c)));
  if (performance.now() - lastReport > 5000 || base.index === province.bases.length - 1) {
    lastReport = performance.now();
    console.log(
      `  base ${base.index + 1} of ${province.bases.length}: ${cohorts.tally.enrolments} enrolments, ${cohorts.tally.learningRows} learning events, ${cohorts.certificates.issued} certificates`,
    );
  }
}
phase("people, cohorts, learning events, rotations and certificates");

// ---------------------------------------------------------------- through the app
await warmUpCertificates();
for (const t of cohorts.throughApp) {
  const result = await issueCertificate(t.registrarId, t.enrolmentId, t.issueDate);
  if (!result.ok) throw new Error(`the app refused a certificate for ${t.enrolmentId}: ${result.errors._form}`);
}
phase(`${cohorts.throughApp.length} certificates issued by the app, PDF and all`);

let claimLines = 0;
for (const base of province.bases)
  claimLines += makeClaims(base, Math.round(shape.claims / shape.bases), Math.round(shape.claimLines / shape.claims), today).lines;
phase("claims through the app");

// Should the records' own audit entries fall short of the rows wanted, sign-ins make up the rest, as on a system used every day.
const auditRows = countAuditRows(sqlite);
const trainees = cohorts.trainees();
inTransaction(() => {
  for (let i = 0; auditRows + i < shape.auditRows; i++) {
    const when = new Date(Date.parse(`${addDays(today, -(i % 500))}T01:00:00.000Z`) + (i % 3600) * 11_000).toISOString();
    const userId = trainees[(i * 7919) % trainees.length];
    write.audit(when, userId, "auth.sign-in", "user", userId, null, {
      address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      device: "known-browser",
      activation: false,
    });
  }
});
phase("sign-ins");

// A sample read back through the app: its completion rule agrees with what was stored, and every
// sampled certificate's QR link verifies against the published key.
for (const e of sampleEnrolments(sqlite, 100)) {
  const verdict = completionOf(db(), e.id).status;
  if ((verdict === "completed") !== (e.status === "completed"))
    throw new Error(`enrolment ${e.id} is stored ${e.status} but the app finds it ${verdict}`);
}
for (const c of sampleCertificates(sqlite, 100)) {
  const found = lookUpSerial(c.serial, qrLink(c.verifyBase, JSON.parse(c.payload), c.signature));
  if (found.kind !== "found" || found.signature !== "valid")
    throw new Error(`certificate ${c.serial} does not verify: ${JSON.stringify(found)}`);
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
    completed: cohorts.tally.completed,
    unplaced: cohorts.tally.unplaced,
    pendingSignoffs: cohorts.tally.pending,
    claimLines,
    staff: province.staffCount,
  }),
);
