/**
 * Requests that carry a body must say how long it is, and no body may be longer than the largest
 * upload the app takes (a 5 MB certificate PDF to check) plus room for the form around it: a route
 * then never starts reading a body it would refuse.
 */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

export type BodyVerdict = "ok" | "lengthRequired" | "tooLarge";

export function bodyVerdict(input: {
  method: string;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
}): BodyVerdict {
  if (["GET", "HEAD", "OPTIONS"].includes(input.method.toUpperCase())) return "ok";
  if (input.transferEncoding && !input.contentLength) return "lengthRequired";
  if (input.contentLength === undefined) return "ok"; // no body at all
  const length = Number(input.contentLength);
  if (!Number.isSafeInteger(length) || length < 0) return "lengthRequired";
  return length > MAX_BODY_BYTES ? "tooLarge" : "ok";
}
