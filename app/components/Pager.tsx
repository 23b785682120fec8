import { Link, useLocation } from "@remix-run/react";
import { pageHref, type PageInfo } from "../domain/paging";
import { useT } from "../i18n/use-t";

/** Previous / next links under a paged list, with where the page stands. */
export function Pager({ info }: { info: PageInfo }) {
  const t = useT();
  const { search } = useLocation();
  if (!info.hasPrevious && !info.hasNext) return null;
  return (
    <nav className="actions pager" aria-label={t("paging.label")} data-testid="pager">
      {info.hasPrevious ? <Link to={pageHref(search, info.page - 1)}>← {t("paging.previous")}</Link> : null}
      <span className="muted">
        {info.total === null
          ? t("paging.rows", { from: info.from, to: info.to })
          : t("paging.rowsOf", { from: info.from, to: info.to, total: info.total })}
      </span>
      {info.hasNext ? <Link to={pageHref(search, info.page + 1)}>{t("paging.next")} →</Link> : null}
    </nav>
  );
}
