//! Signing in without a password yet or with a forgotten one, and the second step of a sign-in:
//! invitation and reset links, "Passwort vergessen", the second factor.

use crate::accounts::model::{EnrolmentView, MfaStatus, SecondFactorView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

#[cfg(feature = "ssr")]
fn purpose(kind: &str) -> Result<crate::vocabulary::accounts::LinkPurpose, AppError> {
    crate::vocabulary::accounts::LinkPurpose::from_form_word(kind).ok_or(AppError::BadRequest)
}

/// The person a link belongs to (name and e-mail address), or why it does not work.
#[server(endpoint = "link_person")]
pub async fn link_person(kind: String, key: String) -> Result<(String, String), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let u = crate::accounts::service::links::person_of(&st.db, purpose(&kind)?, &key).await?;
        Ok((u.name, u.email))
    }
    .await)
    .await
}

/// Sets the password with an invitation or reset link; the person then signs in.
#[server(endpoint = "redeem_link")]
pub async fn redeem_link(kind: String, key: String, password: String, confirm: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        crate::accounts::service::links::redeem(&st.db, &st.hasher, purpose(&kind)?, &key, &password, &confirm, &ctx::client_ip()).await?;
        leptos_axum::redirect(if kind == "einladung" { "/anmelden?eingerichtet=1" } else { "/anmelden?passwort=neu" });
        Ok(())
    }
    .await)
    .await
}

/// "Passwort vergessen": the same answer whether or not the address has an account.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        crate::accounts::service::links::request_reset(&st, &email, &ctx::client_ip()).await?;
        leptos_axum::redirect("/passwort-vergessen?gesendet=1");
        Ok(())
    }
    .await)
    .await
}

#[cfg(feature = "ssr")]
fn challenge() -> Option<String> {
    ctx::parts().and_then(|p| crate::accounts::service::mfa::challenge_from_headers(&p.headers))
}

#[cfg(feature = "ssr")]
fn view_of(e: crate::accounts::service::mfa::Enrolment) -> EnrolmentView {
    EnrolmentView { secret: e.secret, qr_image: e.qr_image, recovery_codes: e.recovery_codes }
}

/// The sign-in waiting for its second factor: whose it is and whether the factor must first be
/// set up.
#[server(endpoint = "second_factor_state")]
pub async fn second_factor_state() -> Result<SecondFactorView, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let expired = || AppError::Conflict("Die Anmeldung ist abgelaufen oder wurde schon abgeschlossen. Bitte melden Sie sich erneut an.".into());
        let secret = challenge().ok_or_else(expired)?;
        let (_, user) = crate::accounts::service::mfa::challenge(&st.db, &secret).await?.ok_or_else(expired)?;
        let enrol = if user.totp_secret.is_none() { Some(view_of(crate::accounts::service::mfa::enrolment(&st.db, &user.id).await?)) } else { None };
        Ok(SecondFactorView { name: user.name, enrol })
    }
    .await)
    .await
}

/// The code of the sign-in's second step; on success the session starts.
#[server(endpoint = "submit_second_factor")]
pub async fn submit_second_factor(code: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let secret = challenge().ok_or_else(|| AppError::Conflict("Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.".into()))?;
        let (token, accepted) = crate::accounts::service::auth::second_factor(&st, &secret, &code, &ctx::client_ip()).await?;
        let res = expect_context::<leptos_axum::ResponseOptions>();
        for cookie in [crate::core::session::set_cookie(&st.config, &token), crate::accounts::service::mfa::clear_challenge_cookie(st.config.cookie_secure)] {
            if let Ok(v) = http::HeaderValue::from_str(&cookie) {
                res.append_header(http::header::SET_COOKIE, v);
            }
        }
        match accepted {
            Some(crate::accounts::service::mfa::Accepted::Recovery { remaining }) => leptos_axum::redirect(&format!("/konto?wiederherstellungscodes={remaining}")),
            None => leptos_axum::redirect("/konto?zweiter_faktor=eingerichtet"),
            _ => leptos_axum::redirect("/"),
        }
        Ok(())
    }
    .await)
    .await
}

/// The signed-in person's second factor.
#[server(endpoint = "my_mfa_status")]
pub async fn my_mfa_status() -> Result<MfaStatus, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let u = crate::accounts::service::users::find_by_email(&st.db, &user.email).await?.ok_or(AppError::Unauthorized)?;
        Ok(MfaStatus {
            enabled: u.totp_secret.is_some(),
            required: st.config.mfa_required(user.role, user.is_demo, user.manages_clerks),
            recovery_codes_left: crate::accounts::service::mfa::remaining_codes(&st.db, &user.id).await?,
        })
    }
    .await)
    .await
}

/// The key being set up for the signed-in person (from "Mein Konto").
#[server(endpoint = "my_enrolment")]
pub async fn my_enrolment() -> Result<Option<EnrolmentView>, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let u = crate::accounts::service::users::find_by_email(&st.db, &user.email).await?.ok_or(AppError::Unauthorized)?;
        if u.totp_secret.is_some() {
            return Ok(None);
        }
        Ok(Some(view_of(crate::accounts::service::mfa::enrolment(&st.db, &user.id).await?)))
    }
    .await)
    .await
}

/// Confirms the key being set up with its first code; a sensitive change, so the current
/// password (`reauth`) is asked again.
#[server(endpoint = "confirm_my_mfa")]
pub async fn confirm_my_mfa(code: String, #[server(default)] reauth: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::accounts::service::reauth::confirm(&st, &user, &reauth, &ctx::client_ip()).await?;
        crate::accounts::service::mfa::confirm(&st.db, &user.id, &code, &ctx::client_ip()).await?;
        leptos_axum::redirect("/konto?zweiter_faktor=eingerichtet");
        Ok(())
    }
    .await)
    .await
}

/// Turns the own second factor off where the role does not require it (a current code is
/// needed; every session ends, this browser signs in again).
#[server(endpoint = "disable_my_mfa")]
pub async fn disable_my_mfa(code: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        if st.config.mfa_required(user.role, user.is_demo, user.manages_clerks) {
            return Err(AppError::Conflict("Für Ihre Rolle ist der zweite Faktor vorgeschrieben.".into()));
        }
        crate::accounts::service::mfa::verify(&st.db, &user.id, &code, &ctx::client_ip()).await?;
        crate::accounts::service::mfa::remove(&st.db, Some(&user.id), &user.id, crate::vocabulary::audit::AuditAction::MfaDisabled).await?;
        leptos_axum::redirect("/anmelden?zweiter_faktor=aus");
        Ok(())
    }
    .await)
    .await
}
