export {};
/** One of two server processes running the scheduler's round at the same moment (see test/integration/scheduled-work.test.ts). */
const [databasePath, smtpUrl, startAt, now, rounds] = process.argv.slice(2);
process.env.DATABASE_PATH = databasePath;
process.env.SMTP_URL = smtpUrl;
const { runScheduledWork } = await import("../../app/services/scheduler.server");
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
for (let i = 0; i < Number(rounds); i++) await runScheduledWork(Number(now) + i * 1000);
console.log(JSON.stringify({ ok: true }));
