import { describe, expect, it } from "vitest";
import { checkCharacter } from "../../app/domain/resident-id";
import { checkRoster, rosterLookupKeys, ROSTER_LIMITS, type RosterContext, type RosterInput } from "../../app/domain/roster";
import { parseRosterPayload } from "../../app/validation/cohorts";

const id = (first17: string) => first17 + checkCharacter(first17);
const A = id("33010519800101101");
const B = id("33010519810202202");
const C = id("33010519820303303");

function ctx(overrides: Partial<RosterContext> = {}): RosterContext {
  return { peopleById: new Map(), mobileOwners: new Map(), enrolledUserIds: new Set(), placesLeft: 10, today: "2026-11-23", ...overrides };
}

const row = (n: number, fields: Partial<RosterInput>): RosterInput => ({
  row: n,
  name: "张三",
  mobile: `1390000000${n}`,
  idNumber: A,
  employer: "和睦颐养院",
  ...fields,
});

describe("checkRoster", () => {
  it("accepts good rows and normalises them", () => {
    const [r] = checkRoster([row(2, { idNumber: A.toLowerCase(), mobile: "139 0000 0002 " })], ctx());
    expect(r).toMatchObject({ errors: [], idNumber: A.toUpperCase(), mobile: "13900000002", existingUserId: null });
  });

  it("flags a bad check digit", () => {
    const wrong = A.slice(0, 17) + (A[17] === "1" ? "2" : "1");
    expect(checkRoster([row(2, { idNumber: wrong })], ctx())[0].errors).toEqual(["id.checksum"]);
  });

  it("flags an ID that Excel turned into a number", () => {
    expect(checkRoster([row(2, { idNumber: 330105198001011000 })], ctx())[0].errors).toEqual(["id.scientific"]);
    expect(checkRoster([row(2, { idNumber: "3.30105E+17" })], ctx())[0].errors).toEqual(["id.scientific"]);
  });

  it("reads full-width digits, letters and spaces in the ID number, mobile and name as their half-width forms", () => {
    const [read] = checkRoster(
      [row(2, { idNumber: "３３０１０５１９８００１０１１０１Ｘ", mobile: "１３９　００００　０００２", name: "　王芳　" })],
      ctx(),
    );
    expect(read.errors).toEqual([]);
    expect(read).toMatchObject({ idNumber: "33010519800101101X", mobile: "13900000002", name: "王芳" });
  });

  it("flags a later row with the same person, naming the first row it repeats", () => {
    const rows = checkRoster([row(2, {}), row(3, {}), row(5, {})], ctx());
    expect(rows[0].errors).toEqual([]);
    expect(rows[0].repeats).toBeUndefined();
    expect(rows[1].errors).toContain("roster.duplicateInFile");
    expect(rows[1].repeats).toMatchObject({ idNumber: 2 });
    expect(rows[2].repeats).toMatchObject({ idNumber: 2 });
    const sameMobile = checkRoster(
      [row(2, { mobile: "13900000009" }), row(4, { idNumber: "11010519491231002X", mobile: "13900000009" })],
      ctx(),
    );
    expect(sameMobile[1]).toMatchObject({ errors: ["roster.duplicateMobile"], repeats: { mobile: 2 } });
  });

  it("flags someone already enrolled, and links someone known", () => {
    const known = ctx({
      peopleById: new Map([[A, { userId: "u1", name: "张三", mobile: "13900000002" }]]),
      mobileOwners: new Map([["13900000002", "u1"]]),
    });
    expect(checkRoster([row(2, {})], known)[0]).toMatchObject({ errors: [], existingUserId: "u1" });
    const enrolled = { ...known, enrolledUserIds: new Set(["u1"]) };
    expect(checkRoster([row(2, {})], enrolled)[0].errors).toEqual(["roster.alreadyEnrolled"]);
  });

  it("refuses a row that overlaps an existing account without naming it exactly, with one message that gives nothing away", () => {
    const r = row(2, {});
    const ownMobile = r.mobile;
    const overlaps: Partial<RosterContext>[] = [
      { peopleById: new Map([[A, { userId: "u1", name: "张叁", mobile: ownMobile }]]) }, // the ID, under another name
      { peopleById: new Map([[A, { userId: "u1", name: r.name, mobile: "13900000099" }]]) }, // the ID, with another mobile
      { mobileOwners: new Map([[ownMobile, "u9"]]) }, // the mobile, held by another account
    ];
    for (const overlap of overlaps) expect(checkRoster([r], ctx(overlap))[0].errors).toEqual(["roster.identityConflict"]);
  });

  it("links an existing account only when ID number, name and mobile all match it", () => {
    const r = row(2, {});
    const [linked] = checkRoster(
      [r],
      ctx({ peopleById: new Map([[A, { userId: "u1", name: r.name, mobile: r.mobile }]]), mobileOwners: new Map([[r.mobile, "u1"]]) }),
    );
    expect(linked).toMatchObject({ existingUserId: "u1", errors: [] });
  });

  it("flags the rows beyond the cohort's capacity", () => {
    const rows = checkRoster([row(2, { idNumber: A }), row(3, { idNumber: B }), row(4, { idNumber: C })], ctx({ placesLeft: 2 }));
    expect(rows.map((r) => r.errors)).toEqual([[], [], ["roster.overCapacity"]]);
  });

  it("lists every reason a row is bad", () => {
    const [r] = checkRoster([row(2, { name: " ", mobile: "123", idNumber: "110105491231002" })], ctx());
    expect(r.errors).toEqual(["roster.nameMissing", "id.legacy15", "error.mobile"]);
  });
});

describe("rosterLookupKeys", () => {
  it("normalises mobiles and ID numbers as checkRoster reads them, so owners are found", () => {
    const keys = rosterLookupKeys(
      [
        row(2, { mobile: "+86 139-0000-0002", idNumber: A.toLowerCase() }),
        row(3, { mobile: "8613900000003", idNumber: 330105198001011000 }),
        row(4, { mobile: "bad" }),
      ],
      "2026-11-23",
    );
    expect(keys).toEqual({ idNumbers: [A.toUpperCase()], mobiles: ["13900000002", "13900000003"] });
  });
});

describe("parseRosterPayload", () => {
  const rows = (n: number, fields: Partial<RosterInput> = {}) => JSON.stringify(Array.from({ length: n }, (_, i) => row(i + 2, fields)));

  it("takes back as many rows, as long, as a roster file may hold", () => {
    const longest = "院".repeat(ROSTER_LIMITS.cellCharacters);
    expect(parseRosterPayload(rows(ROSTER_LIMITS.rows, { name: longest, employer: longest }))).toHaveLength(2000);
    expect(parseRosterPayload(rows(1, { idNumber: 330105198001011000 }))).toEqual([row(2, { idNumber: 330105198001011000 })]);
  });

  it.each([
    ["one row more than a roster may hold", rows(ROSTER_LIMITS.rows + 1)],
    ["a name one character too long", rows(1, { name: "张".repeat(ROSTER_LIMITS.cellCharacters + 1) })],
    ["an ID number one character too long", rows(1, { idNumber: "3".repeat(ROSTER_LIMITS.cellCharacters + 1) })],
    ["an employer of a megabyte", rows(1, { employer: "院".repeat(1024 * 1024) })],
    ["no rows", "[]"],
    ["a row number that is not a row", rows(1, { row: -1 })],
  ])("refuses %s", (_, payload) => {
    expect(parseRosterPayload(payload)).toBeNull();
  });
});

describe("names the certificate cannot print", () => {
  it("are refused at enrolment, naming the character, before anyone trains for a certificate that would be refused", () => {
    const unprintable = (name: string) => [...name].filter((ch) => ch.codePointAt(0)! > 0xffff);
    const [rare, plain] = checkRoster(
      [row(2, { name: "吉𠮷祥" }), row(3, { idNumber: B, mobile: "13900000003", name: "吉祥" })],
      ctx({ unprintable }),
    );
    expect(rare.errors).toEqual(["roster.unprintableName"]);
    expect(rare.unprintable).toBe("𠮷");
    expect(plain.errors).toEqual([]);
    expect(plain.unprintable).toBeUndefined();
  });
});

describe("a collision with someone the base already has", () => {
  const ours = (mobile: string) => ({ withinReach: new Map([["u1", { name: "张三", mobile }]]) });
  it("names them, with the mobile masked, and offers the link only for their own ID number", () => {
    const r = row(2, { name: "张叁" });
    const byId = checkRoster(
      [r],
      ctx({ peopleById: new Map([[A, { userId: "u1", name: "张三", mobile: r.mobile }]]), ...ours(r.mobile) }),
    )[0];
    expect(byId).toMatchObject({ errors: ["roster.heldByKnown"], heldBy: { name: "张三", mobile: "139****0002", canLink: true } });
    const byMobile = checkRoster(
      [row(2, { idNumber: B })],
      ctx({ mobileOwners: new Map([["13900000002", "u1"]]), ...ours("13900000002") }),
    )[0];
    expect(byMobile).toMatchObject({ errors: ["roster.heldByKnown"], heldBy: { name: "张三", canLink: false } });
  });

  it("enrols the account as on record when the row asks to be linked", () => {
    const r = row(2, { name: "张叁", mobile: "13900000077", linkExisting: true });
    const [linked] = checkRoster(
      [r],
      ctx({ peopleById: new Map([[A, { userId: "u1", name: "张三", mobile: "13900000002" }]]), ...ours("13900000002") }),
    );
    expect(linked).toMatchObject({ errors: [], existingUserId: "u1", name: "张三", mobile: "13900000002" });
  });

  it("links nobody outside the base, whatever the row asks", () => {
    const r = row(2, { name: "张叁", linkExisting: true });
    expect(checkRoster([r], ctx({ peopleById: new Map([[A, { userId: "u1", name: "张三", mobile: r.mobile }]]) }))[0].errors).toEqual([
      "roster.identityConflict",
    ]);
  });
});
