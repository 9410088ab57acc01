//! The start page: public introduction for visitors, a role-specific overview when signed in.

use crate::start::api::{Overview, get_overview};
use crate::ui::auth::use_auth;
use crate::ui::format::format_number;
use crate::identity::{Me, OrgKind, Role};
use crate::surveys::model::{ResponseState, SurveyPurpose};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StartPage() -> impl IntoView {
    let auth = use_auth();
    // Created here, not inside the Suspense below: resources belong to the page, and the
    // server function answers signed-out visitors with `None` instead of an error.
    let overview = Resource::new(|| (), |_| get_overview());
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match (auth.me.await, overview.await) {
                    (Ok(Some(me)), Ok(Some(o))) => view! { <RoleStart me overview=o/> }.into_any(),
                    (Ok(Some(_)), Err(e)) | (Err(e), _) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    _ => view! { <PublicStart/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PublicStart() -> impl IntoView {
    view! {
        <Title text="Willkommen"/>
        <h1>"OZG-Portal Sachsen-Anhalt"</h1>
        <p class="lead">
            "Das Portal verbindet das Land Sachsen-Anhalt und seine Kommunen bei der Umsetzung des Onlinezugangsgesetzes: "
            "Kommunen dokumentieren ihre OZG-Leistungen und deren Reifegrad, stellen Beratungsanfragen an das Land, "
            "und der Stand der Umsetzung wird transparent."
        </p>
        <p><a class="button" href="/anmelden">"Anmelden"</a></p>
    }
}

fn heading_for(role: Role) -> &'static str {
    match role {
        Role::Clerk => "Meine Kommune",
        Role::Advisor => "Beratung des Landes",
        Role::Association => "Übersicht für den Verband",
        Role::Admin => "Verwaltung",
        Role::Partner => "Ihre Zusammenarbeit",
    }
}

fn needs_title(role: Role) -> &'static str {
    match role {
        Role::Admin => "Was auf Sie wartet",
        _ => "Ihre Fälle und die Ihres Teams",
    }
}

#[component]
fn RoleStart(me: Me, overview: Overview) -> impl IntoView {
    let heading = heading_for(me.role);
    let orgs = me.organisations.clone();
    view! {
        <Title text=heading/>
        <h1>{heading}</h1>
        <p class="lead">"Willkommen, " {me.name.clone()} "."</p>
        {(me.role != Role::Clerk && !orgs.is_empty()).then(|| view! {
            <p>{if orgs.len() == 1 { "Ihre Organisation: " } else { "Ihre Organisationen: " }}{orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ")}</p>
        })}
        // The Land's main navigation is full: its way to the bodies of the collaboration.
        {matches!(me.role, Role::Advisor | Role::Admin).then(|| view! {
            <p>"Zusammenarbeit: "<a href="/gremien">"Gremien"</a>" · "<a href="/beschluesse">"Register der Beschlüsse"</a></p>
        })}
        {(!overview.announcements.is_empty()).then(|| view! { <Announcements list=overview.announcements.clone()/> })}
        {(!overview.surveys.is_empty()).then(|| view! { <OpenSurveys list=overview.surveys.clone()/> })}
        {(!overview.service_states.is_empty() || !overview.open_faults.is_empty()).then(|| view! {
            <crate::start::services::KommuneServices states=overview.service_states.clone() faults=overview.open_faults.clone()/>
        })}
        {(!overview.operated.is_empty()).then(|| view! { <crate::start::services::OperatedServices list=overview.operated.clone()/> })}
        {(overview.tasks.open > 0).then(|| view! { <OwnTasks tasks=overview.tasks.clone()/> })}
        {(!overview.bodies.is_empty()).then(|| view! {
            <section aria-labelledby="gremien-titel">
                <h2 id="gremien-titel">"Ihre Gremien"</h2>
                <ul>{overview.bodies.iter().take(crate::gremien::work::START_PAGE_BODIES).cloned().map(|(id, name, role)| view! { <li><a href=format!("/gremien/{id}")>{name}</a>{format!(" ({})", role.label())}</li> }).collect_view()}</ul>
                {(overview.bodies.len() > crate::gremien::work::START_PAGE_BODIES).then(|| view! { <p><a href="/gremien">{format!("Alle {} Gremien", overview.bodies.len())}</a></p> })}
            </section>
        })}
        {overview.kommunen.into_iter().map(|k| view! { <crate::start::kommune::KommuneSection k/> }).collect_view()}
        {(!overview.needs.is_empty()).then(|| view! { <crate::start::figures::NeedList needs=overview.needs.clone() title=needs_title(me.role)/> })}
        {(me.role == Role::Admin).then(|| view! { <crate::start::figures::JobTable jobs=overview.jobs.clone()/> })}
        {overview.area.clone().map(|area| view! { <crate::start::figures::AreaFigures area/> })}
        {(me.role == Role::Clerk).then(|| view! {
            <section aria-labelledby="orgs-title">
                <h2 id="orgs-title">"Kommunen, für die Sie handeln"</h2>
                <ul class="org-list">
                    {orgs.into_iter().map(|o| {
                        let members = o.members.clone();
                        view! {
                            <li>
                                <a href=format!("/kommunen/{}/leistungen", o.key)><strong>{o.name.clone()}</strong></a>
                                " · " {o.kind.label()} " · Schlüssel " <span class="mono">{o.key.clone()}</span>
                                {(o.kind == OrgKind::Verbandsgemeinde && !members.is_empty()).then(|| view! {
                                    <details>
                                        <summary>{format!("{} Mitgliedsgemeinden", members.len())}</summary>
                                        <ul>{members.into_iter().map(|m| view! { <li><a href=format!("/kommunen/{}/leistungen", m.key)>{m.name}</a> " (" <span class="mono">{m.key}</span> ")"</li> }).collect_view()}</ul>
                                    </details>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(me.role != Role::Clerk).then(|| view! {
        <section aria-labelledby="figures-title">
            <h2 id="figures-title">"Katalog und Organisationen"</h2>
            <dl class="figures">
                {overview.organisations.into_iter().map(|(label, n)| view! {
                    <div><dt>{label}</dt><dd>{format_number(n as i64)}</dd></div>
                }).collect_view()}
                {overview.population.map(|p| view! { <div><dt>"Einwohnerinnen und Einwohner"</dt><dd>{format_number(p)}</dd></div> })}
                <div><dt>"OZG-Leistungen im Katalog"</dt><dd>{format_number(overview.ozg_services as i64)}</dd></div>
                <div><dt>"davon Fokusleistungen"</dt><dd>{format_number(overview.focus_services as i64)}</dd></div>
                <div><dt>"LeiKa-Leistungen"</dt><dd>{format_number(overview.leika_services as i64)}</dd></div>
                {overview.active_users.map(|n| view! { <div><dt>"Aktive Konten"</dt><dd>{format_number(n as i64)}</dd></div> })}
            </dl>
        </section>
        })}
    }
}

/// The open surveys of a clerk's Kommunen, with their deadline and how far the answer is.
#[component]
fn OpenSurveys(list: Vec<crate::surveys::answers::OpenSurvey>) -> impl IntoView {
    view! {
        <section class="announcements" aria-labelledby="abfragen-titel">
            <h2 id="abfragen-titel">"Offene Abfragen des Landes"</h2>
            <ul>
                {list.into_iter().map(|s| match s.purpose {
                    SurveyPurpose::Survey => view! {
                        <li>
                            <a href=format!("/abfragen/{}/antwort?kommune={}", s.id, s.kommune_key)>{format!("{} – {}", s.title, s.kommune)}</a>
                            {format!(": Frist {}, {} von {} beantwortet, {}", s.closes, s.answered, crate::ui::format::count_of(s.total, "Frage", "Fragen"), s.state.label())}
                        </li>
                    }.into_any(),
                    SurveyPurpose::SelfCheck => {
                        let done = s.state == ResponseState::Submitted;
                        let page = if done { "profil" } else { "antwort" };
                        view! {
                            <li>
                                "Selbstcheck: "<a href=format!("/abfragen/{}/{page}?kommune={}", s.id, s.kommune_key)>{format!("{} – {}", s.title, s.kommune)}</a>
                                {if done { format!(": abgeschlossen; Ihr Profil im Vergleich mit ähnlichen Kommunen (verfügbar bis {})", s.closes) } else { format!(": jederzeit möglich bis {}, {} von {} beantwortet", s.closes, s.answered, crate::ui::format::count_of(s.total, "Frage", "Fragen")) }}
                            </li>
                        }.into_any()
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The open tasks of Gremien the person owns, overdue ones marked.
#[component]
fn OwnTasks(tasks: crate::gremien::work::OwnTasks) -> impl IntoView {
    let (open, overdue, shown) = (tasks.open, tasks.overdue, tasks.shown.len() as u64);
    view! {
        <section class="announcements" aria-labelledby="massnahmen-titel">
            <h2 id="massnahmen-titel">"Ihre Maßnahmen aus Gremien"</h2>
            {(overdue > 0).then(|| view! { <p><strong>{format!("{} überfällig.", crate::ui::format::count_of(overdue as i64, "Maßnahme ist", "Maßnahmen sind"))}</strong></p> })}
            <ul>
                {tasks.shown.into_iter().map(|t| view! {
                    <li>
                        <a href=format!("/gremien/massnahmen/{}", t.id)>{t.title.clone()}</a>
                        {format!(" ({}): fällig am {}, {}", t.gremium, t.due, t.status.label())}
                        {t.overdue.then(|| view! { " " <strong class="badge badge-late">"überfällig"</strong> })}
                    </li>
                }).collect_view()}
            </ul>
            {(open > shown).then(|| view! { <p><a href="/gremien/massnahmen">{format!("Alle {open} offenen Maßnahmen")}</a></p> })}
        </section>
    }
}

/// The Land's announcements on a clerk's start page, each with "Gelesen".
#[component]
fn Announcements(list: Vec<crate::announcements::model::AnnouncementItem>) -> impl IntoView {
    let read = ServerAction::<crate::start::api::ReadAnnouncement>::new();
    view! {
        <section class="announcements" aria-labelledby="mitteilungen-titel">
            <h2 id="mitteilungen-titel">"Mitteilungen der Landesberatung"</h2>
            {list.into_iter().map(|a| {
                let heading = format!("mitteilung-{}", a.id);
                view! {
                    <article class="announcement" aria-labelledby=heading.clone()>
                        <h3 id=heading.clone()>{a.title.clone()}</h3>
                        <p class="hint">{format!("vom {}, angezeigt bis {}", a.published, a.expires)}</p>
                        <crate::ui::rich::Rich text=a.body.clone()/>
                        <leptos::form::ActionForm action=read>
                            <input type="hidden" name="id" value=a.id.to_string()/>
                            <button type="submit" class="button button-outline">{format!("»{}« als gelesen markieren", a.title)}</button>
                        </leptos::form::ActionForm>
                    </article>
                }
            }).collect_view()}
        </section>
    }
}
