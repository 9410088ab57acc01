//! The page frame: skip link, header with role-aware navigation, main landmark, footer.

use crate::accounts::pages::session::SessionActions;
use crate::ui::auth::AuthContext;
use crate::identity::{Me, Role};
use leptos::prelude::*;
use leptos::form::ActionForm;

#[component]
pub fn Layout(auth: AuthContext, actions: SessionActions, children: Children) -> impl IntoView {
    // "Barriere melden" carries the page it was chosen on.
    // Read once, while the page is rendered: every page is a full page load (islands), and the
    // header's navigation is rendered after the session resolves, in a future that may outlive
    // the router's reactive values (reading the path there failed now and then with "already
    // disposed" and a 500).
    let location = leptos_router::hooks::use_location();
    let current = location.pathname.get_untracked();
    let report_href = if current == "/barriere-melden" { current.clone() } else { format!("/barriere-melden?seite={}", crate::ui::format::urlencode(&current)) };
    let path = current.clone();
    view! {
        <a class="skip-link" href="#inhalt">"Zum Inhalt springen"</a>
        <header class="site-header">
            <div class="header-inner">
                <a class="brand" href="/">
                    <span class="brand-land">"Sachsen-Anhalt"</span>
                    <span class="brand-name">"OZG-Portal"</span>
                </a>
                <Transition fallback=|| ()>
                    {move || {
                        let path = path.clone();
                        Suspend::new(async move {
                            let me = auth.me.await.ok().flatten();
                            view! { <HeaderNav me actions path/> }
                        })
                    }}
                </Transition>
            </div>
        </header>
        <main id="inhalt" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <nav aria-label="Rechtliches">
                <ul>
                    <li><a href="/impressum" aria-current=(current == "/impressum").then_some("page")>"Impressum"</a></li>
                    <li><a href="/datenschutz" aria-current=(current == "/datenschutz").then_some("page")>"Datenschutz"</a></li>
                    <li><a href="/barrierefreiheit" aria-current=(current == "/barrierefreiheit").then_some("page")>"Barrierefreiheit"</a></li>
                    <li><a href=report_href>"Barriere melden"</a></li>
                    <li><a href="/leichte-sprache" aria-current=(current == "/leichte-sprache").then_some("page")>"Leichte Sprache"</a></li>
                    <li><a href="/gebaerdensprache" aria-current=(current == "/gebaerdensprache").then_some("page")>"Gebärdensprache"</a></li>
                </ul>
            </nav>
            <p>"Ein Angebot des Landes Sachsen-Anhalt für seine Kommunen."</p>
        </footer>
    }
}

/// `aria-current="page"` for an entry that stands for every page below its address.
fn current_under(path: &str, prefix: &str) -> Option<&'static str> {
    (path == prefix || path.starts_with(&format!("{prefix}/"))).then_some("page")
}

/// The header's navigation. On wide screens everything shows; on small screens it sits behind
/// a "Menü" button, a `<details>` disclosure, so it opens without JavaScript (the stylesheet keeps
/// the disclosure's content visible on wide screens). A signed-in person's own things
/// (notifications, account, sign-out) are in a person menu of the same kind.
#[component]
fn HeaderNav(me: Option<Me>, actions: SessionActions, path: String) -> impl IntoView {
    let access = view! {
        <nav class="access-nav" aria-label="Barrierefreie Angebote">
            <ul>
                <li><a href="/leichte-sprache" aria-current=current_under(&path, "/leichte-sprache")>"Leichte Sprache"</a></li>
                <li><a href="/gebaerdensprache" aria-current=current_under(&path, "/gebaerdensprache")>"Gebärdensprache"</a></li>
            </ul>
        </nav>
    };
    let unread = me.as_ref().map(|m| m.unread_notifications).unwrap_or(0);
    let unread_badge = move || (unread > 0).then(|| view! {
        " " <span class="badge badge-count">{unread}<span class="visually-hidden">{if unread == 1 { " ungelesene Benachrichtigung" } else { " ungelesene Benachrichtigungen" }}</span></span>
    });
    let sub_nav = me.as_ref().filter(|m| m.role == Role::Admin && current_under(&path, "/verwaltung").is_some()).map(|_| view! {
        <crate::start::admin_nav::AdminSubNav path=path.clone()/>
    });
    let idle = me.as_ref().map(|m| m.idle_timeout_secs);
    let entries = match &me {
        None => view! {
            <li><a href="/" aria-current=(path == "/").then_some("page")>"Start"</a></li>
            <li><a href="/lagebild" aria-current=current_under(&path, "/lagebild")>"Lagebild"</a></li>
            <li><a href="/wissen" aria-current=current_under(&path, "/wissen")>"Wissensportal"</a></li>
            <li><a href="/termine" aria-current=current_under(&path, "/termine")>"Termine"</a></li>
            <li><a href="/nachnutzung" aria-current=current_under(&path, "/nachnutzung")>"Nachnutzung"</a></li>
            <li><a href="/foerderung" aria-current=current_under(&path, "/foerderung")>"Förderung"</a></li>
            <li><a href="/gremien" aria-current=current_under(&path, "/gremien").or_else(|| current_under(&path, "/beschluesse"))>"Gremien"</a></li>
            <li><a href="/anmelden" aria-current=current_under(&path, "/anmelden")>"Anmelden"</a></li>
        }
        .into_any(),
        Some(me) => view! {
            <li><a href="/" aria-current=(path == "/").then_some("page")>"Start"</a></li>
            {matches!(me.role, Role::Clerk | Role::Advisor | Role::Admin).then(|| view! { <li><a href="/kommunen" aria-current=current_under(&path, "/kommunen")>"Leistungsregister"</a></li> })}
            {matches!(me.role, Role::Clerk | Role::Advisor | Role::Admin | Role::Partner).then(|| view! { <li><a href="/faelle" aria-current=current_under(&path, "/faelle")>"Beratungsfälle"</a></li> })}
            <li><a href="/lagebild" aria-current=current_under(&path, "/lagebild")>"Lagebild"</a></li>
            <li><a href="/wissen" aria-current=current_under(&path, "/wissen")>"Wissensportal"</a></li>
            <li><a href="/termine" aria-current=current_under(&path, "/termine")>"Termine"</a></li>
            <li><a href="/nachnutzung" aria-current=current_under(&path, "/nachnutzung")>"Nachnutzung"</a></li>
            <li><a href="/foerderung" aria-current=current_under(&path, "/foerderung")>"Förderung"</a></li>
            {(!matches!(me.role, Role::Advisor | Role::Admin)).then(|| view! { <li><a href="/gremien" aria-current=current_under(&path, "/gremien").or_else(|| current_under(&path, "/beschluesse"))>"Gremien"</a></li> })}
            {(me.role == Role::Advisor).then(|| view! { <li><a href="/mitteilungen" aria-current=current_under(&path, "/mitteilungen")>"Mitteilungen"</a></li> })}
            {(me.role == Role::Admin).then(|| view! {
                <li><a href="/verwaltung" aria-current=current_under(&path, "/verwaltung")>"Verwaltung"</a></li>
            })}
        }
        .into_any(),
    };
    let person = me.map(|me| {
        // Every organisation the person acts for (a clerk of two Kommunen, an advisor also in a
        // partner organisation).
        let org = me.organisations.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ");
        view! {
            <details class="person-menu">
                <summary>
                    <span class="visually-hidden">"Angemeldet als "</span>
                    {me.name.clone()}
                    {me.is_demo.then(|| view! { " " <span class="badge badge-demo">"Demo"</span> })}
                    {unread_badge()}
                </summary>
                <div class="person-panel">
                    <p class="user-name">{me.name.clone()}</p>
                    <p class="user-org">{me.role.label()}{(!org.is_empty()).then(|| format!(" · {org}"))}</p>
                    <ul>
                        <li><a href="/benachrichtigungen" aria-current=current_under(&path, "/benachrichtigungen")>"Benachrichtigungen"{unread_badge()}</a></li>
                        <li><a href="/konto" aria-current=current_under(&path, "/konto")>"Mein Konto"</a></li>
                        {(me.role == Role::Clerk && me.manages_clerks).then(|| view! {
                            <li><a href="/verwaltung/benutzer" aria-current=current_under(&path, "/verwaltung/benutzer")>"Konten der Kommune"</a></li>
                        })}
                    </ul>
                    <ActionForm action=actions.logout attr:class="logout-form">
                        <button type="submit" class="button button-secondary">"Abmelden"</button>
                    </ActionForm>
                </div>
            </details>
        }
    });
    view! {
        <details class="menu">
            <summary class="menu-button">"Menü"{unread_badge()}</summary>
            <div class="menu-panel">
                <nav class="main-nav" aria-label="Hauptnavigation">
                    <ul>{entries}</ul>
                </nav>
                <div class="menu-tools">
                    {access}
                    {person}
                </div>
            </div>
        </details>
        {sub_nav}
        {idle.map(|idle| view! { <SessionWarning idle_secs=idle/> })}
    }
}

/// Warns five minutes before the idle timeout and lets the user extend the session (WCAG 2.2.1).
/// The one part of a page that needs the browser: an island. Each page load starts its clock;
/// "Sitzung verlängern" calls the server function with a plain `fetch` (the framework's
/// server-function client would double the size of the browser bundle) and starts it again.
#[island]
fn SessionWarning(idle_secs: u64) -> impl IntoView {
    let state = RwSignal::new(0u8); // 0 = fine, 1 = warning shown, 2 = expired
    let extended = RwSignal::new(0u32);
    let handles: StoredValue<Vec<TimeoutHandle>> = StoredValue::new(Vec::new());
    Effect::new(move |_| {
        extended.track();
        handles.update_value(|hs| hs.drain(..).for_each(|h| h.clear()));
        state.set(0);
        let warn_after = idle_secs.saturating_sub(5 * 60).max(idle_secs / 2);
        let mut new_handles = Vec::new();
        if let Ok(h) = set_timeout_with_handle(move || state.set(1), std::time::Duration::from_secs(warn_after)) {
            new_handles.push(h);
        }
        if let Ok(h) = set_timeout_with_handle(move || state.set(2), std::time::Duration::from_secs(idle_secs)) {
            new_handles.push(h);
        }
        handles.set_value(new_handles);
    });
    let extend = move |_| {
        leptos::task::spawn_local(async move {
            if extend_on_server().await {
                extended.update(|n| *n += 1);
            } else {
                state.set(2);
            }
        });
    };
    view! {
        <div class="session-warning" role="alert" hidden=move || state.get() == 0>
            <p hidden=move || state.get() != 1>"Ihre Sitzung endet in wenigen Minuten, wenn Sie nichts tun."</p>
            <button type="button" class="button" hidden=move || state.get() != 1 on:click=extend>"Sitzung verlängern"</button>
            <p hidden=move || state.get() != 2>"Ihre Sitzung ist wegen Inaktivität abgelaufen. Bitte melden Sie sich erneut an."</p>
            <a href="/anmelden" hidden=move || state.get() != 2>"Zur Anmeldung"</a>
        </div>
    }
}

/// Marks the session as active on the server; `false` when it has already ended.
#[cfg(feature = "hydrate")]
async fn extend_on_server() -> bool {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else { return false };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    let headers = web_sys::Headers::new().ok();
    if let Some(h) = &headers {
        let _ = h.set("Accept", "application/json");
        let _ = h.set("Content-Type", "application/x-www-form-urlencoded");
        init.set_headers(h);
    }
    init.set_body(&wasm_bindgen::JsValue::from_str(""));
    let path = <crate::accounts::api::session::ExtendSession as server_fn::ServerFn>::PATH;
    match wasm_bindgen_futures::JsFuture::from(window.fetch_with_str_and_init(path, &init)).await {
        Ok(v) => v.dyn_into::<web_sys::Response>().map(|r| r.ok()).unwrap_or(false),
        Err(_) => false,
    }
}

#[cfg(not(feature = "hydrate"))]
async fn extend_on_server() -> bool {
    false
}
