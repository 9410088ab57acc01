//! Server functions of the Gremien: bodies, their members and decisions, and the register.

use crate::error::AppError;
use crate::gremien::model::{DecisionRegister, DecisionView, GremienDesk, GremiumView};
#[cfg(feature = "ssr")]
use crate::gremien::model::{DecisionForm, GremiumForm, MemberForm};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The caller as the Gremien's services need them: scope and person (none for visitors).
#[cfg(feature = "ssr")]
fn caller() -> (crate::access::scope::Scope, Option<String>) {
    (crate::access::scope(), ctx::current_user().map(|u| u.id))
}

#[cfg(feature = "ssr")]
fn reader<'a>(c: &'a (crate::access::scope::Scope, Option<String>)) -> crate::gremien::service::Reader<'a> {
    crate::gremien::service::Reader { scope: &c.0, user_id: c.1.as_deref() }
}

/// The bodies the caller may read.
#[server(endpoint = "load_gremien")]
pub async fn load_gremien() -> Result<GremienDesk, AppError> {
    ctx::finish(async {
        let c = caller();
        crate::gremien::service::bodies::list(&ctx::state()?.db, reader(&c)).await
    }
    .await)
    .await
}

/// Sets up a body (advisors, administrators) and opens its page.
#[server(endpoint = "create_gremium")]
pub async fn create_gremium(#[server(default)] name: String, #[server(default)] purpose: String, #[server(default)] kind: String, #[server(default)] visibility: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::access::policy::require_body_founder(&crate::access::scope())?;
        let input = GremiumForm { name, purpose, kind, visibility }.try_into()?;
        let id = crate::gremien::service::bodies::create(&ctx::state()?.db, &user.id, input, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/gremien/{id}?gespeichert=angelegt"));
        Ok(())
    }
    .await)
    .await
}

/// One body as the caller may see it.
#[server(endpoint = "load_gremium")]
pub async fn load_gremium(id: i64) -> Result<GremiumView, AppError> {
    ctx::finish(async {
        let c = caller();
        crate::gremien::service::bodies::view(&ctx::state()?.db, reader(&c), id).await
    }
    .await)
    .await
}

/// Changes a body's name, purpose, kind or visibility (those who run it).
#[server(endpoint = "update_gremium")]
pub async fn update_gremium(
    gremium: i64,
    version: i32,
    #[server(default)] name: String,
    #[server(default)] purpose: String,
    #[server(default)] kind: String,
    #[server(default)] visibility: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        ctx::require_user()?;
        let c = caller();
        let input = GremiumForm { name, purpose, kind, visibility }.try_into()?;
        crate::gremien::service::bodies::update(&ctx::state()?.db, reader(&c), gremium, version, input, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/gremien/{gremium}?gespeichert=gremium"));
        Ok(())
    }
    .await)
    .await
}

/// Takes a person into a body (those who run it).
#[server(endpoint = "add_gremium_member")]
pub async fn add_gremium_member(gremium: i64, #[server(default)] email: String, #[server(default)] role: String) -> Result<(), AppError> {
    ctx::finish(async {
        ctx::require_user()?;
        let c = caller();
        let input = MemberForm { email, role }.try_into()?;
        crate::gremien::service::members::add(&ctx::state()?.db, reader(&c), gremium, input, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/gremien/{gremium}?gespeichert=mitglied#mitglieder"));
        Ok(())
    }
    .await)
    .await
}

/// Gives a member another role (those who run the body).
#[server(endpoint = "change_gremium_member")]
pub async fn change_gremium_member(gremium: i64, member: i64, #[server(default)] role: String) -> Result<(), AppError> {
    ctx::finish(async {
        ctx::require_user()?;
        let c = caller();
        let role = crate::gremien::model::MemberRole::from_code(role.trim()).ok_or_else(|| AppError::field("role", "Bitte wählen Sie die Rolle im Gremium."))?;
        crate::gremien::service::members::change_role(&ctx::state()?.db, reader(&c), gremium, member, role).await?;
        leptos_axum::redirect(&format!("/gremien/{gremium}?gespeichert=rolle#mitglieder"));
        Ok(())
    }
    .await)
    .await
}

/// Ends a membership today (those who run the body).
#[server(endpoint = "end_gremium_member")]
pub async fn end_gremium_member(gremium: i64, member: i64) -> Result<(), AppError> {
    ctx::finish(async {
        ctx::require_user()?;
        let c = caller();
        crate::gremien::service::members::end(&ctx::state()?.db, reader(&c), gremium, member, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/gremien/{gremium}?gespeichert=beendet#mitglieder"));
        Ok(())
    }
    .await)
    .await
}

/// Records a decision under the body's next number (those who run the body).
#[server(endpoint = "record_decision")]
pub async fn record_decision(
    gremium: i64,
    #[server(default)] title: String,
    #[server(default)] text: String,
    #[server(default)] decided_on: String,
    #[server(default)] yes: String,
    #[server(default)] no: String,
    #[server(default)] abstain: String,
    #[server(default)] visibility: String,
    #[server(default)] meeting: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        ctx::require_user()?;
        let c = caller();
        let input = DecisionForm { title, text, decided_on, yes, no, abstain, visibility, meeting }.try_into()?;
        let id = crate::gremien::service::decisions::record(&ctx::state()?.db, reader(&c), gremium, input, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/beschluesse/{id}?gespeichert=1"));
        Ok(())
    }
    .await)
    .await
}

/// The register of decisions the caller may read.
#[server(endpoint = "decision_register")]
pub async fn load_decision_register(suche: Option<String>, gremium: Option<String>, jahr: Option<String>, seite: Option<String>) -> Result<DecisionRegister, AppError> {
    ctx::finish(async {
        let c = caller();
        let f = crate::gremien::service::decisions::RegisterFilter {
            search: suche.unwrap_or_default(),
            gremium: gremium.and_then(|g| g.trim().parse().ok()),
            year: jahr.and_then(|y| y.trim().parse().ok()),
            page: crate::vocabulary::paging::Paging::asked(seite.as_deref()),
        };
        crate::gremien::service::decisions::register(&ctx::state()?.db, reader(&c), &f).await
    }
    .await)
    .await
}

/// One decision the caller may read.
#[server(endpoint = "load_decision")]
pub async fn load_decision(id: i64) -> Result<DecisionView, AppError> {
    ctx::finish(async {
        let c = caller();
        crate::gremien::service::decisions::one(&ctx::state()?.db, reader(&c), id).await
    }
    .await)
    .await
}
