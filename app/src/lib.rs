//! The OZG-Portal Sachsen-Anhalt: pages, components and server functions, compiled twice
//! (feature `ssr` for the server, `hydrate` for the browser).

#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
pub mod access;
pub mod accounts;
pub mod announcements;
pub mod cases;
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod core;
pub mod error;
pub mod events;
pub mod faults;
pub mod funding;
pub mod gremien;
pub mod identity;
pub mod knowledge;
pub mod lagebild;
pub mod legal;
pub mod operations;
pub mod register;
pub mod rollout;
#[cfg(feature = "ssr")]
pub mod rollups;
pub mod start;
pub mod surveys;
pub mod ui;
pub mod usage;
pub mod vocabulary;
pub mod webhooks;

use crate::start::layout::Layout;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the application (server side only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="de">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" id="leptos" href=stylesheet_href()/>
                <AutoReload options=options.clone()/>
                // Islands: only the few parts that need the browser load code, and only for
                // signed-in people; visitors without a session get no WebAssembly at all.
                {signed_in().then(|| view! { <HydrationScripts options islands=true/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: router, layout and pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let (actions, auth) = crate::accounts::pages::session::provide();
    view! {
        <Title formatter=|t: String| format!("{t} – OZG-Portal Sachsen-Anhalt")/>
        // Every page is rendered completely before it is sent (`SsrMode::Async`): pages then work
        // without JavaScript, and status codes such as 403 are set before the headers go out.
        <Router>
            <Layout auth actions>
                <Routes fallback=crate::ui::errors::NotFound>
                    <Route path=path!("") view=crate::start::pages::StartPage ssr=SsrMode::Async/>
                    <Route path=path!("anmelden") view=crate::accounts::pages::login::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("anmelden/zweiter-faktor") view=crate::accounts::pages::second_factor::SecondFactorPage ssr=SsrMode::Async/>
                    <Route path=path!("passwort-vergessen") view=crate::accounts::pages::links::ForgotPage ssr=SsrMode::Async/>
                    <Route path=path!("passwort-zuruecksetzen") view=crate::accounts::pages::links::ResetPage ssr=SsrMode::Async/>
                    <Route path=path!("einladung") view=crate::accounts::pages::links::InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("konto") view=crate::accounts::pages::account::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("konto/zweiter-faktor") view=crate::accounts::pages::second_factor::MyEnrolmentPage ssr=SsrMode::Async/>
                    <Route path=path!("kommunen") view=crate::register::pages::KommunenPage ssr=SsrMode::Async/>
                    <Route path=path!("kommunen/links") view=crate::register::pages::BrokenLinksPage ssr=SsrMode::Async/>
                    <Route path=path!("kommunen/:key/nutzung") view=crate::usage::pages::own::OwnUsagePage ssr=SsrMode::Async/>
                    <Route path=path!("kommunen/:key/leistungen") view=crate::register::pages::RegisterListPage ssr=SsrMode::Async/>
                    <Route path=path!("kommunen/:key/leistungen/:ozg_id") view=crate::register::pages::RecordDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("wissen") view=crate::knowledge::pages::list::KnowledgePage ssr=SsrMode::Async/>
                    <Route path=path!("wissen/neu") view=crate::knowledge::pages::editor::ArticleEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("wissen/auswertung") view=crate::knowledge::pages::editor::KnowledgeReportPage ssr=SsrMode::Async/>
                    <Route path=path!("wissen/:id") view=crate::knowledge::pages::article::ArticlePage ssr=SsrMode::Async/>
                    <Route path=path!("wissen/:id/bearbeiten") view=crate::knowledge::pages::editor::ArticleEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("termine") view=crate::events::pages::list::EventsPage ssr=SsrMode::Async/>
                    <Route path=path!("termine/neu") view=crate::events::pages::editor::EventEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("termine/:id") view=crate::events::pages::list::EventPage ssr=SsrMode::Async/>
                    <Route path=path!("gremien") view=crate::gremien::pages::list::GremienPage ssr=SsrMode::Async/>
                    <Route path=path!("gremien/massnahmen") view=crate::gremien::pages::task::OwnTasksPage ssr=SsrMode::Async/>
                    <Route path=path!("gremien/:id") view=crate::gremien::pages::body::GremiumPage ssr=SsrMode::Async/>
                    <Route path=path!("gremien/sitzungen/:id") view=crate::gremien::pages::meeting::MeetingPage ssr=SsrMode::Async/>
                    <Route path=path!("gremien/sitzungen/:id/protokoll") view=crate::gremien::pages::print::MinutesPrintPage ssr=SsrMode::Async/>
                    <Route path=path!("gremien/massnahmen/:id") view=crate::gremien::pages::task::TaskPage ssr=SsrMode::Async/>
                    <Route path=path!("beschluesse") view=crate::gremien::pages::register::DecisionRegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("beschluesse/:id") view=crate::gremien::pages::register::DecisionPage ssr=SsrMode::Async/>
                    <Route path=path!("termine/:id/bearbeiten") view=crate::events::pages::editor::EventEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("nachnutzung") view=crate::rollout::pages::overview::RolloutOverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("nachnutzung/kosten") view=crate::rollout::pages::costs::RolloutCostsPage ssr=SsrMode::Async/>
                    <Route path=path!("nachnutzung/leistung/:ozg") view=crate::rollout::pages::plan::PlanEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("nachnutzung/dienst/:id") view=crate::rollout::pages::service::RolloutServicePage ssr=SsrMode::Async/>
                    <Route path=path!("nachnutzung/anbindung/:id") view=crate::rollout::pages::connection::ConnectionPage ssr=SsrMode::Async/>
                    <Route path=path!("nachnutzung/dienst/:id/meldungen") view=crate::faults::pages::service::ServiceReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("nachnutzung/meldung/:id") view=crate::faults::pages::report::ServiceReportPage ssr=SsrMode::Async/>
                    <Route path=path!("lagebild/nachnutzung") view=crate::rollout::pages::figures::RolloutFiguresPage ssr=SsrMode::Async/>
                    <Route path=path!("foerderung") view=crate::funding::pages::list::FundingListPage ssr=SsrMode::Async/>
                    <Route path=path!("foerderung/programme/neu") view=crate::funding::pages::programme::ProgrammeEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("foerderung/programme/:id") view=crate::funding::pages::programme::ProgrammeEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("foerderung/antrag/neu") view=crate::funding::pages::application::ApplicationFormPage ssr=SsrMode::Async/>
                    <Route path=path!("foerderung/antrag/:id") view=crate::funding::pages::application::ApplicationPage ssr=SsrMode::Async/>
                    <Route path=path!("lagebild/mitglieder") view=crate::lagebild::pages::MembersPage ssr=SsrMode::Async/>
                    <Route path=path!("lagebild/foerderung") view=crate::funding::pages::figures::FundingFiguresPage ssr=SsrMode::Async/>
                    <Route path=path!("lagebild/nutzung") view=crate::usage::pages::figures::UsageFiguresPage ssr=SsrMode::Async/>
                    <Route path=path!("mitteilungen") view=crate::announcements::pages::AnnouncementsPage ssr=SsrMode::Async/>
                    <Route path=path!("abfragen") view=crate::surveys::pages::SurveysPage ssr=SsrMode::Async/>
                    <Route path=path!("abfragen/:id") view=crate::surveys::pages::builder::SurveyBuilderPage ssr=SsrMode::Async/>
                    <Route path=path!("abfragen/:id/antwort") view=crate::surveys::pages::answer::SurveyAnswerPage ssr=SsrMode::Async/>
                    <Route path=path!("abfragen/:id/profil") view=crate::surveys::pages::selfcheck::SelfCheckProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("abfragen/:id/auswertung") view=crate::surveys::pages::results::SurveyResultsPage ssr=SsrMode::Async/>
                    <Route path=path!("abfrage-ergebnisse") view=crate::surveys::pages::results::SurveyResultListPage ssr=SsrMode::Async/>
                    <Route path=path!("faelle") view=crate::cases::pages::CasesPage ssr=SsrMode::Async/>
                    <Route path=path!("faelle/neu") view=crate::cases::pages::NewCasePage ssr=SsrMode::Async/>
                    <Route path=path!("faelle/bewertungen") view=crate::cases::pages::CaseRatingsPage ssr=SsrMode::Async/>
                    <Route path=path!("faelle/:id") view=crate::cases::pages::CaseDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("benachrichtigungen") view=crate::cases::pages::NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung") view=crate::start::admin_nav::AdminIndexPage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung/beratung") view=crate::cases::pages::settings::AdminCasesPage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung/katalog") view=crate::catalogue::pages::catalogue::AdminCataloguePage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung/reifegradkriterien") view=crate::catalogue::pages::criteria::AdminCriteriaPage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung/benutzer") view=crate::accounts::pages::users::AdminUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung/partner") view=crate::catalogue::pages::partners::AdminPartnersPage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung/protokoll") view=crate::accounts::pages::audit::AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung/postausgang") view=crate::operations::pages::DeadLettersPage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung/webhooks") view=crate::webhooks::pages::AdminWebhooksPage ssr=SsrMode::Async/>
                    <Route path=path!("lagebild") view=crate::lagebild::pages::LagebildPage ssr=SsrMode::Async/>
                    <Route path=path!("impressum") view=crate::legal::pages::Impressum ssr=SsrMode::Async/>
                    <Route path=path!("datenschutz") view=crate::legal::pages::Datenschutz ssr=SsrMode::Async/>
                    <Route path=path!("barrierefreiheit") view=crate::legal::pages::Barrierefreiheit ssr=SsrMode::Async/>
                    <Route path=path!("leichte-sprache") view=crate::legal::plain::LeichteSprache ssr=SsrMode::Async/>
                    <Route path=path!("barriere-melden") view=crate::legal::feedback::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung/barrieren") view=crate::legal::feedback::AdminReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung/rechtstexte") view=crate::legal::texts_pages::LegalTextsPage ssr=SsrMode::Async/>
                    <Route path=path!("verwaltung/rechtstexte/:seite") view=crate::legal::texts_pages::LegalEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("gebaerdensprache") view=crate::legal::plain::Gebaerdensprache ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// The stylesheet's address: content-hashed when the build hashed its assets.
fn stylesheet_href() -> String {
    #[cfg(feature = "ssr")]
    {
        core::assets::css_href()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::from("/pkg/ozg-portal.css")
    }
}

/// Whether the request being rendered comes with a session (server side; never in the browser).
fn signed_in() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::core::ctx::current_user().is_some_and(|u| !u.via_token)
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// Browser entry point: hydrate the islands on the server-rendered page.
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
