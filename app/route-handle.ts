import type { MessageKey } from "./i18n/messages";

/** What a page route tells the document about itself: the title the browser tab and history show. */
export type TitledHandle = { title: MessageKey };
