//! Server functions of the Wissensportal: adapters that authorise and call the services.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::knowledge::model::ArticleQuery;
use crate::knowledge::model::{ArticleDraft, ArticleResults, ArticleView, KnowledgeFigures};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The Wissensportal's start: results and the choices of the filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeList {
    pub results: ArticleResults,
    pub themenfelder: Vec<String>,
    /// The caller writes articles (sees drafts, may create).
    pub advisor: bool,
}

#[cfg(feature = "ssr")]
fn rules(config: &crate::core::config::Config) -> crate::knowledge::service::query::Rules {
    crate::knowledge::service::query::Rules { second_review: config.knowledge_second_review, review_days: config.knowledge_review_days }
}

/// Searches the articles the caller may read.
#[server(endpoint = "search_articles")]
pub async fn search_articles(
    #[server(default)] q: String,
    #[server(default)] themenfeld: String,
    #[server(default)] leistung: String,
    #[server(default)] status: String,
    #[server(default)] seite: String,
) -> Result<KnowledgeList, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let scope = crate::access::scope();
        let query = ArticleQuery { q, themenfeld, leistung, status: crate::knowledge::model::ArticleStatus::from_code(status.trim()), seite: crate::vocabulary::paging::Paging::asked(Some(&seite)) };
        let results = crate::knowledge::service::query::search(&st.db, &scope, &query).await?;
        let themenfelder = crate::knowledge::service::store::themenfelder(&st.db).await?;
        Ok(KnowledgeList { results, themenfelder, advisor: crate::access::policy::is_advisor(&scope) })
    }
    .await)
    .await
}

/// One article (advisors may ask for an older version).
#[server(endpoint = "knowledge_article")]
pub async fn knowledge_article(id: String, #[server(default)] fassung: Option<i32>) -> Result<ArticleView, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::current_user();
        let now = crate::core::time::now();
        crate::knowledge::service::query::view(&st.db, user.as_ref(), ctx::numeric_id(&id)?, fassung, rules(&st.config), true, now).await
    }
    .await)
    .await
}

/// The editor's content (advisors); without `id` a new article, with `fall` one whose starting
/// text comes from that solved case.
#[server(endpoint = "knowledge_editor")]
pub async fn knowledge_editor(#[server(default)] id: Option<String>, #[server(default)] fall: Option<String>) -> Result<ArticleDraft, AppError> {
    ctx::finish(async {
        crate::access::require_advisor()?;
        let num = |v: Option<String>| -> Result<Option<i64>, AppError> {
            match v.filter(|i| !i.trim().is_empty()) {
                Some(i) => Ok(Some(ctx::numeric_id(&i)?)),
                None => Ok(None),
            }
        };
        crate::knowledge::service::query::editor(&ctx::state()?.db, num(id)?, num(fall)?).await
    }
    .await)
    .await
}

/// Saves an article (advisors): a new draft without `id`. Themenfelder come as one checkbox per
/// choice (`tf[0]`, `tf[1]`, …, each carrying the Themenfeld).
#[server(endpoint = "save_article")]
pub async fn save_article(
    #[server(default)] id: String,
    #[server(default)] title: String,
    #[server(default)] summary: String,
    #[server(default)] body: String,
    #[server(default)] category: String,
    #[server(default)] tags: String,
    #[server(default)] audience: String,
    #[server(default)] ozg_ids: String,
    #[server(default)] tf: std::collections::BTreeMap<String, String>,
    #[server(default)] version: String,
    #[server(default)] fall: String,
) -> Result<(), AppError> {
    use crate::knowledge::service::store;
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_advisor()?;
        let input = store::ArticleInput {
            title,
            summary,
            body,
            category,
            tags,
            audience: crate::knowledge::model::Audience::from_code(audience.trim()),
            ozg_ids: crate::catalogue::model::resolve_services(&ozg_ids, &crate::catalogue::service::ozg::names(&st.db).await?),
            themenfelder: tf.into_values().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
            version: version.trim().parse().unwrap_or(0),
        };
        let now = crate::core::time::now();
        let id = if id.trim().is_empty() {
            let source = if fall.trim().is_empty() { None } else { Some(ctx::numeric_id(&fall)?) };
            store::create(&st.db, &user.id, input, source, now).await?
        } else {
            let id = ctx::numeric_id(&id)?;
            store::update(&st.db, &st.config, &user.id, id, input, now).await?;
            id
        };
        leptos_axum::redirect(&format!("/wissen/{id}?gespeichert=1"));
        Ok(())
    }
    .await)
    .await
}

/// A step towards (or away from) publication (advisors): `pruefen`, `veroeffentlichen` (with the
/// `version` seen), `bestaetigen`, `zurueckziehen`.
#[server(endpoint = "article_step")]
pub async fn article_step(id: String, schritt: String, #[server(default)] version: String) -> Result<(), AppError> {
    use crate::knowledge::service::store;
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_advisor()?;
        let step = store::Step::parse(&schritt).ok_or_else(|| AppError::field("schritt", "Diesen Schritt gibt es nicht."))?;
        let id = ctx::numeric_id(&id)?;
        store::step(&st.db, &st.config, &user.id, id, step, version.trim().parse().ok(), crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/wissen/{id}?schritt={schritt}"));
        Ok(())
    }
    .await)
    .await
}

/// "War dieser Artikel hilfreich?" (everyone signed in; one answer per account).
#[server(endpoint = "vote_article")]
pub async fn vote_article(id: String, hilfreich: String, #[server(default)] kommentar: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        if user.via_token || user.read_only {
            return Err(AppError::Forbidden);
        }
        let helpful = match hilfreich.as_str() {
            "ja" => true,
            "nein" => false,
            _ => return Err(AppError::field("hilfreich", "Bitte wählen Sie »Ja« oder »Nein«.")),
        };
        let id = ctx::numeric_id(&id)?;
        // Only an article the caller may read can be answered.
        crate::knowledge::service::query::view(&st.db, Some(&user), id, None, rules(&st.config), false, crate::core::time::now()).await?;
        crate::knowledge::service::feedback::vote(&st.db, &st.config, &user.id, id, helpful, &kommentar, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/wissen/{id}?bewertet=1#hilfreich"));
        Ok(())
    }
    .await)
    .await
}

/// The Land's figures (advisors).
#[server(endpoint = "knowledge_report")]
pub async fn knowledge_report() -> Result<KnowledgeFigures, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        crate::access::require_advisor()?;
        crate::knowledge::service::figures::figures(&st.db, st.config.knowledge_review_days, crate::core::time::now()).await
    }
    .await)
    .await
}

/// Removes a file of an article (advisors).
#[server(endpoint = "remove_article_file")]
pub async fn remove_article_file(id: String, datei: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_advisor()?;
        let id = ctx::numeric_id(&id)?;
        crate::knowledge::service::files::remove(&st.db, &user.id, id, &datei).await?;
        leptos_axum::redirect(&format!("/wissen/{id}#dateien"));
        Ok(())
    }
    .await)
    .await
}
