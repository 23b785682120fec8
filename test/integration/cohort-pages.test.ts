import { beforeAll, describe, expect, it } from "vitest";
import { readNotice } from "../../app/http/notice-cookie.server";
import { checkCharacter } from "../../app/domain/resident-id";
import { ATTENDANCE_PAGE_SIZE, pageFrom } from "../../app/domain/paging";
import { addSession, attendanceOf, saveAttendance } from "../../app/services/cohort-records.server";
import { enrolledTrainees, enrolledTraineesPage, type Cohort } from "../../app/services/cohorts.server";
import { action as attendanceAction, loader as attendanceLoader } from "../../app/routes/bases.$orgId.cohorts.$cohortId.attendance";
import { loader as progressLoader } from "../../app/routes/bases.$orgId.cohorts.$cohortId._index";
import { cohortWithTrainees, contextFor, userId, withDemoData } from "./fixtures";

/** A cohort longer than a page of the progress table and of the attendance grid. */
const SIZE = 60;
let cohort: Cohort;
let enrolmentIds: string[];
let sessionId: number;

beforeAll(async () => {
  await withDemoData();
  const people = Array.from({ length: SIZE }, (_, i) => {
    const first17 = `3301051990${String(1 + Math.floor(i / 28)).padStart(2, "0")}${String((i % 28) + 1).padStart(2, "0")}${String(100 + i)}`;
    return {
      name: `分页学员${String(i + 1).padStart(2, "0")}`,
      mobile: `1371000${String(i).padStart(4, "0")}`,
      idNumber: first17 + checkCharacter(first17),
    };
  });
  ({ cohort, enrolmentIds } = await cohortWithTrainees("BASE-GERI", people));
  const added = addSession(userId("registrar"), cohort, { date: "2026-09-02", title: "分页面授", kind: "theory", hours: 4 });
  if (!added.ok) throw new Error(JSON.stringify(added.errors));
  sessionId = added.value;
});

const url = (path: string, query = "") => `http://localhost/bases/${cohort.organisationId}/cohorts/${cohort.id}${path}${query}`;
const params = () => ({ orgId: cohort.organisationId, cohortId: cohort.id });
const hoursOf = () => new Map(attendanceOf(cohort.id).map((a) => [a.enrolmentId, a.hours]));

async function postGrid(query: string, form: URLSearchParams): Promise<Response> {
  try {
    await attendanceAction({
      request: new Request(url("/attendance", query), { method: "POST", body: form }),
      context: contextFor("registrar"),
      params: params(),
    });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("the save did not redirect");
}

describe("a cohort's trainees a page at a time", () => {
  it("pages in enrolment order, each trainee on exactly one page, with the cohort's size", () => {
    const all = enrolledTrainees(cohort.id).map((t) => t.enrolmentId);
    const first = enrolledTraineesPage(cohort.id, pageFrom("1", 25));
    const third = enrolledTraineesPage(cohort.id, pageFrom("3", 25));
    expect(first.rows.map((r) => r.enrolmentId)).toEqual(all.slice(0, 25));
    expect(first.info).toMatchObject({ total: SIZE, from: 1, to: 25, hasPrevious: false, hasNext: true });
    expect(third.rows.map((r) => r.enrolmentId)).toEqual(all.slice(50));
    expect(third.info).toMatchObject({ total: SIZE, from: 51, to: SIZE, hasNext: false });
  });

  it("shows the progress table fifty trainees a page", async () => {
    const second = await progressLoader({ request: new Request(url("", "?page=2")), context: contextFor("registrar"), params: params() });
    expect(second.rows.map((r) => r.name)).toEqual(Array.from({ length: SIZE - 50 }, (_, i) => `分页学员${i + 51}`));
    expect(second.info).toMatchObject({ total: SIZE, from: 51, hasPrevious: true, hasNext: false });
  });

  it("reads the attendance of only the trainees on the grid's page", async () => {
    const page = await attendanceLoader({
      request: new Request(url("/attendance", "?page=2")),
      context: contextFor("registrar"),
      params: params(),
    });
    expect(page.trainees).toHaveLength(ATTENDANCE_PAGE_SIZE);
    expect(page.trainees[0].name).toBe(`分页学员${ATTENDANCE_PAGE_SIZE + 1}`);
    expect(page.info).toMatchObject({ total: SIZE, from: ATTENDANCE_PAGE_SIZE + 1 });
  });
});

describe("saving one page of the attendance grid", () => {
  it("changes the cells of that page only, and comes back to the same page", async () => {
    const saved = await saveAttendance(userId("registrar"), cohort, [{ sessionId, enrolmentId: enrolmentIds[SIZE - 1], hours: "3" }]);
    expect(saved.ok).toBe(true);
    const form = new URLSearchParams({ intent: "save" });
    for (const e of enrolmentIds.slice(0, ATTENDANCE_PAGE_SIZE)) form.append(`a:${sessionId}:${e}`, "2");
    const response = await postGrid("", form);
    expect(response.headers.get("Location")).toBe(`/bases/${cohort.organisationId}/cohorts/${cohort.id}/attendance`);
    expect(readNotice(response.headers.get("Set-Cookie"))?.key).toBe("common.saved");
    const hours = hoursOf();
    expect(enrolmentIds.slice(0, ATTENDANCE_PAGE_SIZE).every((e) => hours.get(e) === 2)).toBe(true);
    expect(hours.get(enrolmentIds[SIZE - 1])).toBe(3);
    expect(hours.has(enrolmentIds[ATTENDANCE_PAGE_SIZE])).toBe(false);
  });

  it("fills 全勤 for every trainee of the cohort who has nothing recorded, on any page, keeping what is recorded or typed", async () => {
    const form = new URLSearchParams({ intent: "save", fillSession: String(sessionId) });
    const onPage2 = enrolmentIds.slice(ATTENDANCE_PAGE_SIZE, 2 * ATTENDANCE_PAGE_SIZE);
    form.append(`a:${sessionId}:${onPage2[0]}`, "1");
    for (const e of onPage2.slice(1)) form.append(`a:${sessionId}:${e}`, "");
    const response = await postGrid("?page=2", form);
    expect(response.headers.get("Location")).toBe(`/bases/${cohort.organisationId}/cohorts/${cohort.id}/attendance?page=2`);
    const hours = hoursOf();
    expect(hours.size).toBe(SIZE);
    expect(hours.get(enrolmentIds[0])).toBe(2); // recorded on page 1 before
    expect(hours.get(onPage2[0])).toBe(1); // typed on this page
    expect(hours.get(onPage2[1])).toBe(4);
    expect(hours.get(enrolmentIds[SIZE - 1])).toBe(3); // recorded on page 3 before
    expect(hours.get(enrolmentIds[SIZE - 2])).toBe(4); // blank on page 3, not sent
  });
});
