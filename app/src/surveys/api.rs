//! Server functions of the Abfragen: the advisors build, release and copy surveys.

use crate::error::AppError;
use crate::surveys::model::{QuestionForm, SurveyDesk, SurveyView};
#[cfg(feature = "ssr")]
use crate::surveys::model::{SectionForm, SurveyForm};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The advisors' list of surveys.
#[server(endpoint = "load_surveys")]
pub async fn load_surveys() -> Result<SurveyDesk, AppError> {
    ctx::finish(async {
        crate::access::require_advisor()?;
        let db = &ctx::state()?.db;
        let now = crate::core::time::now();
        let lines = crate::surveys::service::list(db, now).await?;
        let today = now.with_timezone(&chrono_tz::Europe::Berlin).format("%Y-%m-%d").to_string();
        Ok(SurveyDesk { lines, kreise: crate::catalogue::service::orgs::kreise(db).await?, today })
    }
    .await)
    .await
}

/// One survey as its builder sees it.
#[server(endpoint = "load_survey")]
pub async fn load_survey(id: i64) -> Result<SurveyView, AppError> {
    ctx::finish(async {
        crate::access::require_advisor()?;
        crate::surveys::service::load(&ctx::state()?.db, id, crate::core::time::now()).await
    }
    .await)
    .await
}

/// The selection's values: one field per choice (`wahl[…]`) or, for one value, `wert`.
#[cfg(feature = "ssr")]
fn selection(target: &str, wahl: std::collections::BTreeMap<String, String>, wert: &str) -> String {
    use crate::surveys::model::Target;
    let single = wert.trim();
    if !single.is_empty() && matches!(Target::from_code(target.trim()), Some(Target::ServiceNotOnline | Target::Association)) {
        return single.to_string();
    }
    wahl.into_values().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect::<Vec<_>>().join(",")
}

/// Creates a survey as a draft (advisors) and opens it in the builder.
#[server(endpoint = "create_survey")]
pub async fn create_survey(
    #[server(default)] title: String,
    #[server(default)] description: String,
    #[server(default)] opens: String,
    #[server(default)] closes: String,
    #[server(default)] target: String,
    #[server(default)] wahl: std::collections::BTreeMap<String, String>,
    #[server(default)] wert: String,
    #[server(default)] answering: String,
    #[server(default)] reminder_days: String,
    #[server(default)] purpose: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::access::require_advisor()?;
        let value = selection(&target, wahl, &wert);
        let input = SurveyForm { title, description, opens, closes, target, value, answering, reminder_days, purpose }.try_into()?;
        let id = crate::surveys::service::build::create(&ctx::state()?.db, &user.id, input, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/abfragen/{id}"));
        Ok(())
    }
    .await)
    .await
}

/// Adds a section to a survey (advisors).
#[server(endpoint = "add_survey_section")]
pub async fn add_survey_section(survey: i64, #[server(default)] title: String, #[server(default)] intro: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::access::require_advisor()?;
        let input = SectionForm { title, intro }.try_into()?;
        crate::surveys::service::build::add_section(&ctx::state()?.db, &user.id, survey, input).await?;
        leptos_axum::redirect(&format!("/abfragen/{survey}?gespeichert=abschnitt#abschnitte"));
        Ok(())
    }
    .await)
    .await
}

/// Adds a question to a survey (advisors).
#[server(endpoint = "add_survey_question")]
pub async fn add_survey_question(survey: i64, #[server(flatten)] form: QuestionForm) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::access::require_advisor()?;
        let input = form.try_into()?;
        crate::surveys::service::build::add_question(&ctx::state()?.db, &user.id, survey, input).await?;
        leptos_axum::redirect(&format!("/abfragen/{survey}?gespeichert=frage#abschnitte"));
        Ok(())
    }
    .await)
    .await
}

/// Removes a question of a draft (advisors).
#[server(endpoint = "remove_survey_question")]
pub async fn remove_survey_question(survey: i64, question: i64) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::access::require_advisor()?;
        crate::surveys::service::build::remove_question(&ctx::state()?.db, &user.id, survey, question).await?;
        leptos_axum::redirect(&format!("/abfragen/{survey}?gespeichert=entfernt#abschnitte"));
        Ok(())
    }
    .await)
    .await
}

/// Releases a draft to its Kommunen (advisors), based on the version the page showed.
#[server(endpoint = "release_survey")]
pub async fn release_survey(survey: i64, version: i32) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::access::require_advisor()?;
        let n = crate::surveys::service::release::release(&ctx::state()?.db, &user.id, survey, version, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/abfragen/{survey}?freigegeben={n}"));
        Ok(())
    }
    .await)
    .await
}

/// Copies a survey as the draft of its repetition a year later (advisors).
#[server(endpoint = "copy_survey")]
pub async fn copy_survey(survey: i64) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::access::require_advisor()?;
        let id = crate::surveys::service::release::copy(&ctx::state()?.db, &user.id, survey, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/abfragen/{id}?kopiert={survey}"));
        Ok(())
    }
    .await)
    .await
}

/// A Kommune's answer to a survey as its form shows it (`kommune`: its key, where the person may
/// answer for several).
#[server(endpoint = "survey_sheet")]
pub async fn survey_sheet(id: i64, #[server(default)] kommune: Option<String>) -> Result<crate::surveys::answers::AnswerSheet, AppError> {
    ctx::finish(async {
        crate::core::ctx::require_user()?;
        let kommune = kommune.filter(|k| !k.trim().is_empty());
        crate::surveys::service::answers::sheet(&ctx::state()?.db, &crate::access::scope(), id, kommune.as_deref(), crate::core::time::now()).await
    }
    .await)
    .await
}

/// Saves one section of a Kommune's answer (fields `a[…]`, see `surveys::answers`).
#[server(endpoint = "save_survey_section")]
pub async fn save_survey_section(survey: i64, kommune: String, section: i64, version: i32, #[server(default)] a: std::collections::BTreeMap<String, String>) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::core::ctx::require_user()?;
        crate::surveys::service::answers::save_section(&ctx::state()?.db, &user, &crate::access::scope(), survey, &kommune, section, version, a, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/abfragen/{survey}/antwort?kommune={}&gespeichert={section}#abschnitt-{section}", crate::ui::format::urlencode(&kommune)));
        Ok(())
    }
    .await)
    .await
}

/// Submits a Kommune's answer.
#[server(endpoint = "submit_survey_answer")]
pub async fn submit_survey_answer(survey: i64, kommune: String, version: i32) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::core::ctx::require_user()?;
        let purpose = crate::surveys::service::answers::submit(&ctx::state()?.db, &user, &crate::access::scope(), survey, &kommune, version, crate::core::time::now()).await?;
        let page = if purpose == crate::surveys::model::SurveyPurpose::SelfCheck { "profil" } else { "antwort" };
        leptos_axum::redirect(&format!("/abfragen/{survey}/{page}?kommune={}&eingereicht=1", crate::ui::format::urlencode(&kommune)));
        Ok(())
    }
    .await)
    .await
}

/// Opens a submitted answer again, until the deadline.
#[server(endpoint = "reopen_survey_answer")]
pub async fn reopen_survey_answer(survey: i64, kommune: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::core::ctx::require_user()?;
        crate::surveys::service::answers::reopen(&ctx::state()?.db, &user, &crate::access::scope(), survey, &kommune, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/abfragen/{survey}/antwort?kommune={}&geoeffnet=1", crate::ui::format::urlencode(&kommune)));
        Ok(())
    }
    .await)
    .await
}

/// Takes a saved answer to a question bound to the register over into the Kommune's register.
#[server(endpoint = "take_over_survey_answer")]
pub async fn take_over_survey_answer(survey: i64, kommune: String, question: i64) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::core::ctx::require_user()?;
        crate::surveys::service::takeover::take_over(&ctx::state()?.db, &user, &crate::access::scope(), survey, &kommune, question, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/abfragen/{survey}/antwort?kommune={}&uebernommen={question}#register", crate::ui::format::urlencode(&kommune)));
        Ok(())
    }
    .await)
    .await
}

/// Reminds the Kommunen that have not submitted, now (advisors).
#[server(endpoint = "remind_survey")]
pub async fn remind_survey(survey: i64) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::access::require_advisor()?;
        let st = ctx::state()?;
        let n = crate::surveys::service::notices::remind_missing(&st.db, &st.config, &user.id, survey, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/abfragen/{survey}?erinnert={n}"));
        Ok(())
    }
    .await)
    .await
}

/// A survey's results as the caller may read them (`verband`: which association, for a person
/// of several).
#[server(endpoint = "survey_results")]
pub async fn survey_results(id: i64, #[server(default)] verband: Option<String>) -> Result<crate::surveys::results::SurveyResults, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        crate::surveys::service::results::read(&st.db, &crate::access::scope(), id, verband.as_deref(), st.config.suppression_threshold, crate::core::time::now()).await
    }
    .await)
    .await
}

/// The surveys whose results the caller may read.
#[server(endpoint = "survey_result_list")]
pub async fn survey_result_list() -> Result<Vec<crate::surveys::results::ResultLine>, AppError> {
    ctx::finish(async { crate::surveys::service::results::list(&ctx::state()?.db, &crate::access::scope(), crate::core::time::now()).await }.await).await
}

/// Publishes a closed survey's results, or takes the publication back (advisors).
#[server(endpoint = "publish_survey")]
pub async fn publish_survey(survey: i64, #[server(default)] zuruecknehmen: bool) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::access::require_advisor()?;
        let st = ctx::state()?;
        crate::surveys::service::publish::set(&st.db, &user.id, survey, !zuruecknehmen, st.config.suppression_threshold, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/abfragen/{survey}/auswertung"));
        Ok(())
    }
    .await)
    .await
}

/// A Kommune's Selbstcheck profile (`kommune`: its key, where the person acts for several).
#[server(endpoint = "selfcheck_profile")]
pub async fn selfcheck_profile(id: i64, #[server(default)] kommune: Option<String>) -> Result<crate::surveys::selfcheck::Profile, AppError> {
    ctx::finish(async {
        crate::core::ctx::require_user()?;
        let st = ctx::state()?;
        let kommune = kommune.filter(|k| !k.trim().is_empty());
        crate::surveys::service::selfcheck::profile(&st.db, &crate::access::scope(), id, kommune.as_deref(), st.config.suppression_threshold, crate::core::time::now()).await
    }
    .await)
    .await
}

/// Sets a Selbstcheck section's weight and recommendations (advisors; checkboxes `artikel[…]`,
/// `programm[…]`).
#[server(endpoint = "set_selfcheck_section")]
pub async fn set_selfcheck_section(
    survey: i64,
    section: i64,
    #[server(default)] weight: String,
    #[server(default)] artikel: std::collections::BTreeMap<String, String>,
    #[server(default)] programm: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    ctx::finish(async {
        let user = crate::access::require_advisor()?;
        let form = crate::surveys::selfcheck::SectionSettingsForm { weight, articles: artikel.into_values().collect(), programmes: programm.into_values().collect() };
        crate::surveys::service::selfcheck::set_section(&ctx::state()?.db, &user.id, survey, section, form.try_into()?).await?;
        leptos_axum::redirect(&format!("/abfragen/{survey}?gespeichert=gewichtung#abschnitt-{section}"));
        Ok(())
    }
    .await)
    .await
}
