import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { actorOf } from "./auth/current-user.server";
import { unreadCount } from "./services/notifications.server";
import type { Notice } from "./http/notice-cookie.server";
import { navigationFor, type NavItem } from "./domain/navigation";
import { DEFAULT_LOCALE, translator, type Locale } from "./i18n/messages";
import type { TitledHandle } from "./route-handle";
import { useT } from "./i18n/use-t";
import { useNonce } from "./components/nonce";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.user;
  const names = Object.fromEntries(user?.assignments.map((a) => [a.organisationId, a.organisationName]) ?? []);
  return {
    locale: context.locale,
    user: user ? { name: user.name } : null,
    unread: user ? unreadCount(user.id) : 0,
    notice: context.notice ?? null,
    nav: user ? navigationFor(actorOf(user), names) : [],
  };
}

type RootData = { locale: Locale; user: { name: string } | null; unread: number; nav: NavItem[]; notice: Notice | null };

function LanguageSwitch() {
  const t = useT();
  const location = useLocation();
  return (
    <Form method="post" action="/lang" className="lang-switch">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button type="submit" name="lang" value={t("lang.switchTo") === "English" ? "en" : "zh-CN"} className="link-button">
        {t("lang.switchTo")}
      </button>
    </Form>
  );
}

function Header({ data }: { data: RootData }) {
  const t = translator(data.locale);
  return (
    <header className="site-header">
      <div className="bar">
        <Link to={data.user ? "/home" : "/"} className="brand">
          {t("app.name")}
        </Link>
        <div className="bar-right">
          {data.user ? (
            <Link to="/inbox" className="inbox-link" data-testid="inbox-link" data-unread={data.unread}>
              {t("notify.inbox")}
              {data.unread ? (
                <>
                  <span className="count" aria-hidden="true">
                    {data.unread > 99 ? "99+" : data.unread}
                  </span>
                  <span className="visually-hidden">（{t("notify.unreadCount", { n: data.unread })}）</span>
                </>
              ) : null}
            </Link>
          ) : null}
          <LanguageSwitch />
          {data.user ? (
            <Form method="post" action="/logout">
              <button type="submit" className="link-button">
                {t("nav.signOut")}
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      {data.user ? (
        <nav className="main-nav" aria-label={t("nav.menu")}>
          {data.nav.map((item) => (
            <NavLink key={item.href} to={item.href} end={item.href === "/home"}>
              {t(item.key)}
              {item.detail ? <small> · {item.detail}</small> : null}
            </NavLink>
          ))}
        </nav>
      ) : null}
    </header>
  );
}

/** "考勤 · 医养结合培训与认证": the deepest page's title first (its route's `handle`), in the reader's language. */
function PageTitle({ locale }: { locale: Locale }) {
  const t = translator(locale);
  const page = [...useMatches()].reverse().find((m) => (m.handle as Partial<TitledHandle> | undefined)?.title);
  const title = (page?.handle as TitledHandle | undefined)?.title;
  return <title>{title ? `${t(title)} · ${t("app.name")}` : t("app.name")}</title>;
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<RootData>("root");
  const nonce = useNonce();
  return (
    <html lang={data?.locale ?? "zh-CN"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <PageTitle locale={data?.locale ?? DEFAULT_LOCALE} />
        <Meta />
        <Links />
      </head>
      <body>
        {data ? <Header data={data} /> : null}
        <main className="page">{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind = status === 403 ? "403" : status === 404 ? "404" : "500";
  if (kind === "500") console.error(error);
  return (
    <section className="card error-page" data-status={status}>
      <h1>{t(`http.${kind}.title`)}</h1>
      <p>{t(`http.${kind}.body`)}</p>
      <p>
        <Link to="/home">{t("nav.home")}</Link>
      </p>
    </section>
  );
}
