//! Login, logout, the signed-in user, password change and session extension.

use crate::error::AppError;
use crate::identity::Me;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The signed-in user, or `None`.
#[server(endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    let st = ctx::state()?;
    let Some(u) = ctx::current_user() else { return Ok(None) };
    let mut me = u.to_me(&st.config);
    me.unread_notifications = crate::core::notify::unread_count(&st.db, &u.id).await?;
    Ok(Some(me))
}

/// Signs in with e-mail and password; on success the session cookie is set and the browser
/// goes to the start page.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let previous = ctx::current_user().map(|u| u.session_hash);
        let ip = ctx::client_ip();
        let device = ctx::parts().and_then(|p| crate::core::throttle::device_from_headers(&p.headers));
        let done = crate::accounts::service::auth::login(&st, &email, &password, None, &ip, previous.as_deref(), device.as_deref()).await?;
        let res = expect_context::<leptos_axum::ResponseOptions>();
        let (cookie, next) = match &done.step {
            crate::accounts::service::auth::Step::Session(token) => (crate::core::session::set_cookie(&st.config, token), "/"),
            crate::accounts::service::auth::Step::SecondFactor(challenge) => {
                (crate::accounts::service::mfa::challenge_cookie(st.config.cookie_secure, challenge), "/anmelden/zweiter-faktor")
            }
        };
        for cookie in [cookie, crate::core::throttle::device_cookie(st.config.cookie_secure, &done.device)] {
            if let Ok(v) = http::HeaderValue::from_str(&cookie) {
                res.append_header(http::header::SET_COOKIE, v);
            }
        }
        leptos_axum::redirect(next);
        Ok(())
    }
    .await)
    .await
}

/// Ends the current session.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        if let Some(u) = ctx::current_user() {
            crate::accounts::service::auth::logout(&st, &u.id, &u.session_hash, &ctx::client_ip()).await?;
        }
        let res = expect_context::<leptos_axum::ResponseOptions>();
        if let Ok(v) = http::HeaderValue::from_str(&crate::core::session::clear_cookie(&st.config)) {
            res.append_header(http::header::SET_COOKIE, v);
        }
        leptos_axum::redirect("/anmelden?abgemeldet=1");
        Ok(())
    }
    .await)
    .await
}

/// Changes the signed-in user's password. All other sessions end.
#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new_password: String, confirm: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let token = crate::accounts::service::users::change_own_password(
            &st.db,
            &st.hasher,
            &user.id,
            &current,
            &new_password,
            &confirm,
            &ctx::client_ip(),
        )
        .await?;
        let res = expect_context::<leptos_axum::ResponseOptions>();
        if let Ok(v) = http::HeaderValue::from_str(&crate::core::session::set_cookie(&st.config, &token)) {
            res.append_header(http::header::SET_COOKIE, v);
        }
        leptos_axum::redirect("/konto?geaendert=1");
        Ok(())
    }
    .await)
    .await
}

/// Marks the session as active (the "Sitzung verlängern" button). Returns the idle timeout in seconds.
#[server(endpoint = "extend_session")]
pub async fn extend_session() -> Result<u64, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::core::session::touch(&st.db, &user.session_hash).await?;
        Ok(st.config.session_idle.as_secs())
    }
    .await)
    .await
}

/// What the login page offers besides the password: the identity provider's button text.
#[server(endpoint = "login_options")]
pub async fn login_options() -> Result<Option<String>, AppError> {
    let st = ctx::state()?;
    Ok(st.oidc.as_ref().map(|p| p.config.label.clone()))
}
