export {};
/** One of two processes enrolling people into the same cohort at once (see test/integration/two-processes.test.ts). */
const [databasePath, cohortId, actorId, prefix, count, startAt] = process.argv.slice(2);
process.env.DATABASE_PATH = databasePath;
const { getCohort, enrolPeople } = await import("../../app/services/cohorts.server");
const { checkCharacter } = await import("../../app/domain/resident-id");
const cohort = getCohort(cohortId)!;
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
let failures = 0;
for (let i = 0; i < Number(count); i++) {
  const first17 = `33010519900101${prefix}${String(i).padStart(2, "0")}`;
  try {
    const result = await enrolPeople(
      actorId,
      cohort,
      [
        {
          row: 1,
          name: `并发${prefix}-${i}`,
          mobile: `13${prefix}${String(i).padStart(8, "0")}`,
          idNumber: first17 + checkCharacter(first17),
          employer: "",
        },
      ],
      "single",
    );
    if (!result.ok) {
      failures++;
      console.error(JSON.stringify(result.rows[0].errors));
    }
  } catch (e) {
    failures++;
    console.error((e as Error).message);
  }
}
console.log(JSON.stringify({ failures }));
