import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/SubmitButton";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { idViewer } from "../auth/current-user.server";
import { residentIdFor } from "../domain/resident-id";
import { useT } from "../i18n/use-t";
import { programs } from "../content/programs.server";
import { registerQuery } from "../auth/certificate-access.server";
import { pageFrom, pageInfo } from "../domain/paging";
import { Pager } from "../components/Pager";
import { statusOf } from "../services/certificates.server";
import { getOrganisation } from "../services/organisations.server";
import { TableWrap } from "../components/TableWrap";
import { CertificateStatusBadge } from "../components/CertificateStatusBadge";
import { addDays } from "../domain/dates";
import { EXPIRING_SOON_DAYS, expiringSoon } from "../domain/certificate";
import { today } from "../services/clock.server";

export const handle: TitledHandle = { title: "certificate.register" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const { user, org, search, count, idError } = registerQuery(context, request, params);
  const viewer = idViewer(user);
  const page = pageFrom(params.get("page"));
  const found = search(page.limit + 1, page.offset);
  const shown = found.slice(0, page.limit);
  const total = count();
  return {
    org,
    idError,
    total,
    info: pageInfo(page, found.length, total),
    orgName: org ? (getOrganisation(org)?.name ?? "") : "",
    programs: [...programs().values()].map((p) => ({ code: p.rules.code, title: p.rules.title })),
    rows: shown.map((c) => ({
      id: c.id,
      serial: c.serial,
      holderName: c.holderName,
      idNumber: residentIdFor(viewer, c.userId, c.holderIdNumber),
      programTitle: c.programTitle,
      organisationName: c.organisationName,
      issueDate: c.issueDate,
      expiryDate: c.expiryDate,
      status: statusOf(c),
      expiringSoon: expiringSoon(c, today()),
      renewed: !!c.renewedById,
    })),
    soonWindow: { from: today(), to: addDays(today(), EXPIRING_SOON_DAYS) },
  };
}

/** A date the register is searched by, keeping what was searched for. */
function SearchDate({ name, label }: { name: string; label: string }) {
  const [params] = useSearchParams();
  return (
    <div className="field">
      <label htmlFor={`r-${name}`}>{label}</label>
      <input id={`r-${name}`} name={name} type="date" defaultValue={params.get(name) ?? ""} />
    </div>
  );
}

export default function Register() {
  const t = useT();
  const { org, orgName, programs, rows, total, idError, info, soonWindow } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>
        {t("certificate.register")}
        {orgName ? ` · ${orgName}` : ""}
      </h1>
      <Form method="get" className="card stack wide" data-testid="register-search">
        {org ? <input type="hidden" name="org" value={org} /> : null}
        <div className="row">
          <div className="field">
            <label htmlFor="r-name">{t("user.name")}</label>
            <input id="r-name" name="name" defaultValue={params.get("name") ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="r-id">{t("user.idNumber")}</label>
            <input
              id="r-id"
              name="id"
              defaultValue={params.get("id") ?? ""}
              aria-invalid={idError ? true : undefined}
              aria-describedby={idError ? "r-id-error" : undefined}
            />
            {idError ? (
              <span className="error" id="r-id-error" role="alert">
                {t(idError)}
              </span>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="r-serial">{t("certificate.serial")}</label>
            <input id="r-serial" name="serial" defaultValue={params.get("serial") ?? ""} />
          </div>
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor="r-program">{t("cohort.program")}</label>
            <select id="r-program" name="program" defaultValue={params.get("program") ?? ""}>
              <option value="" />
              {programs.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.title}
                </option>
              ))}
            </select>
          </div>
          <SearchDate name="from" label={t("certificate.issuedFrom")} />
          <SearchDate name="to" label={t("certificate.issuedTo")} />
        </div>
        <div className="row">
          <SearchDate name="expiresFrom" label={t("certificate.expiresFrom")} />
          <SearchDate name="expiresTo" label={t("certificate.expiresTo")} />
          <SubmitButton className="secondary">{t("common.search")}</SubmitButton>
        </div>
        <p className="muted">
          <Link
            to={`?${new URLSearchParams({ ...(org ? { org } : {}), expiresFrom: soonWindow.from, expiresTo: soonWindow.to }).toString()}`}
            data-testid="expiring-soon-filter"
          >
            {t("certificate.expiringWithin", { days: EXPIRING_SOON_DAYS })}
          </Link>
          {t("certificate.expiringHint")}
        </p>
      </Form>
      <form method="post" action="/certificates/zip" className="card">
        <div className="actions" style={{ justifyContent: "space-between" }}>
          <span data-testid="register-count">{t("certificate.found", { n: total })}</span>
          <span className="actions">
            <a className="button secondary-button" href={`/certificates/export.xlsx?${params.toString()}`}>
              {t("cohort.exportXlsx")}
            </a>
            <SubmitButton className="primary">{t("certificate.downloadZip")}</SubmitButton>
          </span>
        </div>
        <Pager info={info} />
        <TableWrap>
          <table data-testid="register-table">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label={t("certificate.selectAll")}
                    onChange={(e) =>
                      e.currentTarget.form
                        ?.querySelectorAll<HTMLInputElement>("input[name=id]")
                        .forEach((box) => (box.checked = e.currentTarget.checked))
                    }
                  />
                </th>
                <th>{t("certificate.serial")}</th>
                <th>{t("user.name")}</th>
                <th>{t("user.idNumber")}</th>
                <th>{t("cohort.program")}</th>
                {org ? null : <th>{t("base.title")}</th>}
                <th>{t("certificate.issueDate")}</th>
                <th>{t("certificate.expiryDate")}</th>
                <th>{t("progress.status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <input type="checkbox" name="id" value={r.id} aria-label={r.serial} />
                  </td>
                  <td>
                    <Link to={`/certificates/${r.id}`}>{r.serial}</Link>
                  </td>
                  <td>{r.holderName}</td>
                  <td>{r.idNumber}</td>
                  <td>{r.programTitle}</td>
                  {org ? null : <td>{r.organisationName}</td>}
                  <td>{r.issueDate}</td>
                  <td>{r.expiryDate ?? t("certificate.noExpiry")}</td>
                  <td>
                    <CertificateStatusBadge status={r.status} expiringSoon={r.expiringSoon} renewed={r.renewed} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </form>
    </>
  );
}
