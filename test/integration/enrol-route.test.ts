import { beforeAll, describe, expect, it, vi } from "vitest";
import { readNotice } from "../../app/http/notice-cookie.server";
import { backgroundWriterRunning } from "../../app/services/background-writer.server";
import { checkCharacter } from "../../app/domain/resident-id";
import { count } from "drizzle-orm";
import { db } from "../../db/client.server";
import { enrolments, users } from "../../db/schema";
import { type Cohort } from "../../app/services/cohorts.server";
import { action } from "../../app/routes/bases.$orgId.cohorts.$cohortId.enrol";
import { ROSTER_LIMITS } from "../../app/domain/roster";
import { encodeMessage } from "../../app/forms/messages";
import type { MessageKey } from "../../app/i18n/messages";
import { handMadeXlsx, manyRows, repeated, ROSTER_HEADINGS, sharedStringsXml, sheetXml } from "../support/xlsx";
import { contextFor, openCohort, withDemoData } from "./fixtures";

let cohort: Cohort;
beforeAll(async () => {
  await withDemoData();
  cohort = openCohort(
    "BASE-GERI",
    { name: "名单上传测试班", startDate: "2026-11-01", endDate: "2027-01-31", capacity: 10 },
    { by: "registrar" },
  );
});

const counts = () => ({
  users: db().select({ n: count() }).from(users).get()!.n,
  enrolments: db().select({ n: count() }).from(enrolments).get()!.n,
});

function post(body: FormData | URLSearchParams) {
  const request = new Request(`http://localhost/bases/${cohort.organisationId}/cohorts/${cohort.id}/enrol`, { method: "POST", body });
  return action({ request, context: contextFor("registrar"), params: { orgId: cohort.organisationId, cohortId: cohort.id } });
}

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The answer that shows one message beside the file field, and no preview. */
const besideFile = (key: MessageKey, params?: Record<string, string | number>) => ({
  intent: "preview",
  reply: expect.objectContaining({ status: "error", error: { roster: [encodeMessage(key, params)] } }),
  rows: [],
  payload: "",
});
const MB = 1024 * 1024;

function upload(file: Uint8Array<ArrayBuffer>) {
  const form = new FormData();
  form.set("roster", new File([file], "名单.xlsx", { type: XLSX }));
  return post(form);
}

describe("the enrol page", () => {
  it("says next to the file field that a roster over 2 MB is too large, and saves nothing", async () => {
    const form = new FormData();
    form.set(
      "roster",
      new File([new Uint8Array(3 * 1024 * 1024)], "名单.xlsx", {
        type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      }),
    );
    const before = counts();
    expect(await post(form)).toEqual(besideFile("roster.tooLarge"));
    expect(counts()).toEqual(before);
  });

  it("counts every part of an upload against the 2 MB, so parts besides the file cannot fill memory either", async () => {
    const form = new FormData();
    form.set(
      "roster",
      new File([handMadeXlsx(sheetXml([ROSTER_HEADINGS, ["张三", "13700000001", "1", ""]]))], "名单.xlsx", { type: XLSX }),
    );
    for (let i = 0; i < 3; i++) form.append("padding", "x".repeat(MB));
    expect(await post(form)).toEqual(besideFile("roster.tooLarge"));
  });

  it.each([
    ["380,000 rows", () => handMadeXlsx(sheetXml(manyRows(380_000))), "roster.tooManyRows", { max: 2000 }],
    [
      "a cell of 50 MB",
      () => handMadeXlsx(sheetXml([ROSTER_HEADINGS, ["张三", "13800000001", "1", { pieces: repeated("A", 50 * MB) }]])),
      "roster.cellTooLong",
      { row: 2, column: "D", heading: "工作单位", max: 100 },
    ],
    [
      "two shared strings of 400 MB",
      () =>
        handMadeXlsx(
          sheetXml([ROSTER_HEADINGS, [{ shared: 0 }, { shared: 1 }]]),
          sharedStringsXml([repeated("A", 400 * MB), repeated("B", 400 * MB)]),
        ),
      "roster.unpackedTooLarge",
      { mb: 10 },
    ],
  ])("says next to the file field what is wrong with a roster of %s under 2 MB, and saves nothing", async (_, file, error, params) => {
    const hostile = file();
    expect(hostile.length).toBeLessThan(ROSTER_LIMITS.fileBytes);
    const before = counts();
    expect(await upload(hostile)).toEqual(besideFile(error as MessageKey, params));
    expect(counts()).toEqual(before);
  });

  it.each([
    ["not JSON", "{oops"],
    ["rows of the wrong shape", JSON.stringify([{ row: "2", name: 1 }])],
    ["no rows", "[]"],
    ["no payload at all", null],
    [
      "more rows than a roster may hold",
      JSON.stringify(
        Array.from({ length: 2001 }, (_, i) => ({
          row: i + 2,
          name: "张三",
          mobile: `137${String(i).padStart(8, "0")}`,
          idNumber: "x",
          employer: "",
        })),
      ),
    ],
    [
      "a field longer than a roster cell may be",
      JSON.stringify([{ row: 2, name: "张".repeat(101), mobile: "13700000001", idNumber: "x", employer: "" }]),
    ],
  ])("says next to the file field that a commit with %s cannot be read, and saves nothing", async (_, payload) => {
    const form = new URLSearchParams({ intent: "commit" });
    if (payload !== null) form.set("payload", payload);
    const before = counts();
    expect(await post(form)).toEqual(besideFile("roster.payloadInvalid"));
    expect(counts()).toEqual(before);
  });

  it("holds a person typed in by hand to the lengths a roster cell may have", async () => {
    const form = new URLSearchParams({ name: "张三", mobile: "1".repeat(101), idNumber: "3".repeat(101), employer: "" });
    const before = counts();
    expect(await post(form)).toMatchObject({ intent: "one", reply: { error: { mobile: ["error.tooLong"], idNumber: ["error.tooLong"] } } });
    expect(counts()).toEqual(before);
  });

  it("enrols a roster through the background writer, on its own connection to the same file, and says so", async () => {
    const rows = [0, 1, 2].map((i) => {
      const first17 = `3301051991020${i + 1}30${i}`;
      return { row: i + 2, name: `后台报名${i}`, mobile: `1360000090${i}`, idNumber: first17 + checkCharacter(first17), employer: "" };
    });
    const before = counts();
    expect(backgroundWriterRunning()).toBe(false);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const response = await post(new URLSearchParams({ intent: "commit", payload: JSON.stringify(rows) })).catch((e: unknown) => e);
      expect(response instanceof Response ? response.status : response).toBe(302);
      expect((response as Response).headers.get("Location")).toMatch(/\/enrol$/);
      expect(readNotice((response as Response).headers.get("Set-Cookie"))).toEqual({ key: "cohort.enrolled", params: { n: 3 } });
      expect(counts()).toEqual({ users: before.users + 3, enrolments: before.enrolments + 3 });
      // The thread stays for the next roster a while, then gives its memory back.
      expect(backgroundWriterRunning()).toBe(true);
      vi.advanceTimersByTime(119_000);
      expect(backgroundWriterRunning()).toBe(true);
      vi.advanceTimersByTime(2_000);
      expect(backgroundWriterRunning()).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
