import type { ReactNode } from "react";

/**
 * A table too wide for the screen scrolls inside this wrapper, never the page. It takes keyboard
 * focus, so someone without a mouse or touch screen can scroll it too (WCAG 2.1.1).
 */
export function TableWrap({ className, children }: { className?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled from the keyboard (axe: scrollable-region-focusable).
    <div className={className ? `table-wrap ${className}` : "table-wrap"} tabIndex={0}>
      {children}
    </div>
  );
}
