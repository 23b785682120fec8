import { describe, expect, it } from "vitest";
import { normaliseMobile } from "../../app/domain/mobile";
import { safeRedirectPath } from "../../app/domain/safe-redirect";
import { parseSubmission } from "../../app/forms/submission";
import { newUserSchema } from "../../app/validation/people";

function form(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

describe("new user form", () => {
  it("normalises username, mobile and ID number", () => {
    const parsed = parseSubmission(
      form({ name: " 张三 ", username: "Zhang.San", mobile: "+86 138 0013 8000", idNumber: "11010519491231002x", password: "long-enough" }),
      newUserSchema,
    );
    expect(parsed.status).toBe("success");
    expect(parsed.status === "success" ? parsed.value : null).toEqual({
      name: "张三",
      username: "zhang.san",
      mobile: "13800138000",
      idNumber: "11010519491231002X",
      password: "long-enough",
    });
  });

  it("gives one message key per bad field and keeps what was typed", () => {
    const parsed = parseSubmission(
      form({ name: "", username: "", mobile: "12345", idNumber: "110105491231002", password: "short" }),
      newUserSchema,
    );
    expect(parsed.status).toBe("error");
    if (parsed.status === "success") return;
    expect(parsed.error).toMatchObject({
      name: ["error.required"],
      mobile: ["error.mobile"],
      idNumber: ["id.legacy15"],
      password: ["error.passwordShort"],
    });
    expect(parsed.payload.idNumber).toBe("110105491231002");
  });

  it("refuses a username that sign-in would read as a mobile number", () => {
    for (const username of ["13800138000", "8613800138000"]) {
      const parsed = parseSubmission(form({ name: "李四", username, mobile: "", idNumber: "", password: "long-enough" }), newUserSchema);
      expect(parsed.status === "success" ? null : parsed.error?.username).toEqual(["error.usernameLooksLikeMobile"]);
      expect(parsed.status === "success" ? null : parsed.payload.username).toBe(username);
    }
    expect(
      parseSubmission(form({ name: "李四", username: "12345678901", mobile: "", idNumber: "", password: "long-enough" }), newUserSchema)
        .status,
    ).toBe("success");
  });

  it("needs a username or a mobile number", () => {
    const parsed = parseSubmission(form({ name: "李四", username: "", mobile: "", idNumber: "", password: "long-enough" }), newUserSchema);
    expect(parsed.status === "success" ? null : parsed.error?.username).toEqual(["error.identifierRequired"]);
  });
});

describe("small rules", () => {
  it("recognises mainland mobile numbers", () => {
    expect(normaliseMobile("13912345678")).toBe("13912345678");
    expect(normaliseMobile("8613912345678")).toBe("13912345678");
    expect(normaliseMobile("12912345678")).toBeNull();
    expect(normaliseMobile("1391234567")).toBeNull();
  });

  it("redirects only within the site", () => {
    expect(safeRedirectPath("/bases/1")).toBe("/bases/1");
    expect(safeRedirectPath("//evil.example")).toBe("/home");
    expect(safeRedirectPath("https://evil.example")).toBe("/home");
    expect(safeRedirectPath(null)).toBe("/home");
  });

  it.each([
    ["a tab between the slashes", "/\t/evil.example"],
    ["a line break between the slashes", "/\n/evil.example"],
    ["a backslash", "/\\evil.example"],
    ["an encoded-looking backslash the router decodes", "/\\/evil.example"],
    ["a CR/LF that would split the header", "/home\r\nSet-Cookie: x=1"],
    ["a scheme-relative path after normalising", "/./\t/evil.example"],
  ])("refuses a path with %s", (_, path) => {
    expect(safeRedirectPath(path)).toBe("/home");
  });

  it("normalises a same-site path and keeps its query", () => {
    expect(safeRedirectPath("/bases/../finance?org=1#x")).toBe("/finance?org=1#x");
  });
});
