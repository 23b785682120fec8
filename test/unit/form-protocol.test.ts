import { describe, expect, it } from "vitest";
import * as z from "zod";
import { decodeMessage, encodeMessage } from "../../app/forms/messages";
import { noFields, parseSubmission, replyRefused } from "../../app/forms/submission";
import { refuse } from "../../app/services/result";
import { checkboxes, chosen, isoDate, requiredText, wholeNumber } from "../../app/validation/fields";

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
};

describe("form messages", () => {
  it("carry the values they name with the key, and come back as they went", () => {
    const message = encodeMessage("rotation.overlap", { department: "康复医学科", start: "2026-11-02", end: "2026-11-13" });
    expect(decodeMessage(message)).toEqual({
      key: "rotation.overlap",
      params: { department: "康复医学科", start: "2026-11-02", end: "2026-11-13" },
    });
    expect(encodeMessage("error.required")).toBe("error.required");
    expect(decodeMessage("error.required")).toEqual({ key: "error.required", params: {} });
  });

  it("keep values that look like separators intact", () => {
    expect(decodeMessage(encodeMessage("claim.headTaken", { names: "张三&李四=?" })).params).toEqual({ names: "张三&李四=?" });
  });
});

describe("reading a submitted form", () => {
  const schema = z.object({ name: requiredText(10), count: wholeNumber(1, 5), kind: chosen, ids: checkboxes(z.string()) });

  it("reads values as typed: an empty field is empty, not missing, and says so in Chinese keys", () => {
    const submission = parseSubmission(
      form([
        ["name", ""],
        ["count", "9"],
        ["kind", ""],
      ]),
      schema,
    );
    expect(submission.status).toBe("error");
    expect(submission.reply().error).toEqual({
      name: ["error.required"],
      count: ["error.outOfRange"],
      kind: ["error.choose"],
    });
  });

  it("says a field the request left out is required, in a message key, not in the library's English", () => {
    const submission = parseSubmission(form([]), z.object({ name: z.string(), kind: z.enum(["a", "b"]) }));
    expect(submission.reply().error).toEqual({ name: ["error.required"], kind: ["error.required"] });
    const wrong = parseSubmission(
      form([
        ["name", "x"],
        ["kind", "c"],
      ]),
      z.object({ name: z.string(), kind: z.enum(["a", "b"]) }),
    );
    expect(wrong.reply().error).toEqual({ kind: ["error.choose"] });
  });

  it("reads a checkbox group as a list however many boxes are ticked", () => {
    const read = (ids: string[]) => {
      const submission = parseSubmission(
        form([["name", "甲"], ["count", "2"], ["kind", "x"], ...ids.map((id) => ["ids", id] as [string, string])]),
        schema,
      );
      return submission.status === "success" ? submission.value.ids : null;
    };
    expect(read([])).toEqual([]);
    expect(read(["a"])).toEqual(["a"]);
    expect(read(["a", "b"])).toEqual(["a", "b"]);
  });

  it("has one date check: a real day in the calendar", () => {
    expect(isoDate.safeParse("2026-02-28").success).toBe(true);
    expect(isoDate.safeParse("2026-02-29").success).toBe(false);
    expect(isoDate.safeParse("2026-2-1").success).toBe(false);
  });
});

describe("a service's refusal as the form's reply", () => {
  it("puts each message beside its field with the values it names, and a whole-form message above the form", () => {
    const submission = parseSubmission(form([["date", "2026-11-20"]]), z.object({ date: isoDate }));
    const reply = replyRefused(submission, refuse("date", "rotation.evaluationBeforeLastDay", { date: "2026-11-27" }));
    expect(reply.error).toEqual({ date: ["rotation.evaluationBeforeLastDay?date=2026-11-27"] });
    expect(reply.initialValue).toEqual({ date: "2026-11-20" });

    const whole = replyRefused(parseSubmission(form([]), noFields), refuse("_form", "claim.wrongState"));
    expect(whole.error).toEqual({ "": ["claim.wrongState"] });
  });

  it("never sends a password back to the page", () => {
    const schema = z.object({ username: requiredText(), password: requiredText() });
    const submission = parseSubmission(
      form([
        ["username", "admin"],
        ["password", "secret-1"],
      ]),
      schema,
    );
    const reply = replyRefused(submission, refuse("_form", "login.invalid"), { hideFields: ["password"] });
    expect(JSON.stringify(reply)).not.toContain("secret-1");
    expect(reply.initialValue).toEqual({ username: "admin" });
  });
});
