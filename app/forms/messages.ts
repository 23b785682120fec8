import type { MessageKey } from "../i18n/messages";

/**
 * A form message travels as a string (conform's error format): the message key, and when the
 * message names values (a day, a count, another placement) those values as a query string.
 */
export function encodeMessage(key: MessageKey, params?: Record<string, string | number>): string {
  if (!params || Object.keys(params).length === 0) return key;
  return `${key}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`;
}

export function decodeMessage(message: string): { key: string; params: Record<string, string> } {
  const at = message.indexOf("?");
  if (at < 0) return { key: message, params: {} };
  return { key: message.slice(0, at), params: Object.fromEntries(new URLSearchParams(message.slice(at + 1))) };
}
