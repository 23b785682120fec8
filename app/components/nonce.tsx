import { createContext, useContext } from "react";

/**
 * The request's Content-Security-Policy nonce, provided only on the server (entry.server.tsx). In
 * the browser it is empty: the browser hides a nonce attribute's value once the page has loaded.
 */
export const NonceContext = createContext("");

export function useNonce(): string {
  return useContext(NonceContext);
}
