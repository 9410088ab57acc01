//! `/wissen/:id`: one article with its OZG-Leistungen, "geprüft am" and "War dieser Artikel
//! hilfreich?"; for advisors also the way to publication, the versions and the readers' comments.

use crate::knowledge::api::{knowledge_article, ArticleStep, RemoveArticleFile, VoteArticle};
use crate::knowledge::model::{ArticleDesk, ArticleStatus, ArticleView, Audience};
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, FieldBox, kept, submission_error};
use crate::ui::rich::Rich;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn notice(q: &leptos_router::params::ParamsMap) -> Option<&'static str> {
    if q.get("gespeichert").is_some() {
        return Some("Gespeichert.");
    }
    if q.get("bewertet").is_some() {
        return Some("Danke für Ihre Rückmeldung.");
    }
    match q.get("schritt").as_deref() {
        Some("pruefen") => Some("Der Artikel wartet jetzt auf die Prüfung durch eine zweite Person."),
        Some("veroeffentlichen") => Some("Veröffentlicht."),
        Some("bestaetigen") => Some("Als geprüft bestätigt."),
        Some("zurueckziehen") => Some("Zurückgezogen: der Artikel ist wieder ein Entwurf."),
        _ => None,
    }
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let version = move || query.with(|q| q.get("fassung").and_then(|v| v.parse::<i32>().ok()));
    let article = Resource::new(move || (id(), version()), |(id, v)| knowledge_article(id, v));
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match article.await {
                    Err(e) => view! { <Title text="Artikel"/><ErrorPage error=e/> }.into_any(),
                    Ok(a) => {
                        let note = query.with_untracked(notice);
                        view! { <Article a note/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Article(a: ArticleView, note: Option<&'static str>) -> impl IntoView {
    let mut meta = vec![format!("Kategorie: {}", a.category)];
    if let Some(r) = &a.reviewed {
        meta.push(format!("geprüft am {r}"));
    }
    if a.audience == Audience::Kommunen {
        meta.push("nur für angemeldete Kommunen und das Land".into());
    }
    let desk = a.desk.clone();
    let id = a.id;
    view! {
        <Title text=a.title.clone()/>
        <article class="article">
            <p class="hint"><a href="/wissen">"Wissensportal"</a></p>
            <h1>{a.title.clone()}</h1>
            {note.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            {(a.status != ArticleStatus::Published).then(|| view! { <p class="notice">{format!("Stand: {}. Nur die Landesberatung sieht diesen Artikel.", a.status.label())}</p> })}
            <p class="lead">{a.summary.clone()}</p>
            <p class="hint">{meta.join(" · ")}</p>
            <Rich text=a.text.clone() class="article-text"/>
            {(!a.services.is_empty()).then(|| view! {
                <h2>"OZG-Leistungen"</h2>
                <ul>
                    {a.services.iter().map(|s| view! {
                        <li><a href=format!("/wissen?leistung={}", s.ozg_id)>{format!("{} {}", s.ozg_id, s.name)}</a></li>
                    }).collect_view()}
                </ul>
            })}
            {(!a.themenfelder.is_empty() || !a.tags.is_empty()).then(|| view! {
                <p class="hint">
                    {a.themenfelder.iter().map(|t| view! { <a class="tag" href=format!("/wissen?themenfeld={}", crate::ui::format::urlencode(t))>{t.clone()}</a>" " }).collect_view()}
                    {(!a.tags.is_empty()).then(|| format!("Schlagwörter: {}", a.tags.join(", ")))}
                </p>
            })}
            <Files id files=a.files.clone() advisor=a.desk.is_some()/>
        </article>
        {(a.status == ArticleStatus::Published).then(|| view! { <Helpful id my=a.my_vote may=a.may_vote/> })}
        {desk.map(|d| view! { <Desk id status=a.status d/> })}
    }
}

/// The article's files; advisors add and remove them (a plain multipart form).
#[component]
fn Files(id: i64, files: Vec<crate::knowledge::model::ArticleFileItem>, advisor: bool) -> impl IntoView {
    let remove = ServerAction::<RemoveArticleFile>::new();
    let error = submission_error(remove);
    if files.is_empty() && !advisor {
        return ().into_any();
    }
    view! {
        <section id="dateien" aria-labelledby="dateien-titel">
            <h2 id="dateien-titel">"Dateien"</h2>
            <ErrorSummary error/>
            {if files.is_empty() {
                view! { <p>"Noch keine Dateien."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {files.into_iter().map(|f| view! {
                            <li>
                                <a href=f.href.clone()>{f.name.clone()}</a>{format!(" ({})", f.size)}
                                {advisor.then(|| view! {
                                    " "
                                    <ActionForm action=remove attr:class="inline-form">
                                        <input type="hidden" name="id" value=id.to_string()/>
                                        <input type="hidden" name="datei" value=f.id.clone()/>
                                        <button type="submit" class="button button-link">{format!("»{}« entfernen", f.name)}</button>
                                    </ActionForm>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {advisor.then(|| view! {
                <form method="post" action=format!("/wissen/{id}/dateien") enctype="multipart/form-data" class="form">
                    <FieldBox name="datei" id="datei" label="Datei hinzufügen">
                        <p class="hint" id="datei-hinweis">{format!("Erlaubt sind {}. In den Text einbinden: [Name](/wissen/{id}/dateien/…) oder als Bild ![Beschreibung](/wissen/{id}/dateien/…).", crate::knowledge::model::ACCEPTED_FILES)}</p>
                        <input type="file" id="datei" name="datei" aria-describedby="datei-hinweis"/>
                    </FieldBox>
                    <button type="submit" class="button button-outline">"Hochladen"</button>
                </form>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn Helpful(id: i64, my: Option<bool>, may: bool) -> impl IntoView {
    let vote = ServerAction::<VoteArticle>::new();
    let error = submission_error(vote);
    view! {
        <section id="hilfreich" class="helpful" aria-labelledby="hilfreich-titel">
            <h2 id="hilfreich-titel">"War dieser Artikel hilfreich?"</h2>
            {if may {
                view! {
                    {my.map(|m| view! { <p class="hint">{if m { "Ihre Antwort: Ja. Sie können sie ändern." } else { "Ihre Antwort: Nein. Sie können sie ändern." }}</p> })}
                    <ErrorSummary error/>
                    <ActionForm action=vote attr:class="form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <fieldset>
                            <legend>"Ihre Antwort"</legend>
                            <div class="field checkbox-field">
                                <input type="radio" id="hilfreich-ja" name="hilfreich" value="ja" checked=my == Some(true) required/>
                                <label for="hilfreich-ja">"Ja"</label>
                            </div>
                            <div class="field checkbox-field">
                                <input type="radio" id="hilfreich-nein" name="hilfreich" value="nein" checked=my == Some(false)/>
                                <label for="hilfreich-nein">"Nein"</label>
                            </div>
                        </fieldset>
                        <FieldBox name="kommentar" id="hilfreich-kommentar" error label="Was fehlt oder stimmt nicht? (freiwillig)" hint="Ihr Kommentar geht an die Autorin oder den Autor des Artikels, er wird nicht veröffentlicht. Höchstens 2.000 Zeichen."><textarea id="hilfreich-kommentar" name="kommentar" rows="3" maxlength="2000" aria-describedby="hilfreich-kommentar-hinweis">{kept(error, "kommentar", "")}</textarea></FieldBox>
                        <button type="submit" class="button">"Antwort senden"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p><a href="/anmelden">"Melden Sie sich an"</a>", um zu antworten."</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Desk(id: i64, status: ArticleStatus, d: ArticleDesk) -> impl IntoView {
    let step = ServerAction::<ArticleStep>::new();
    let error = submission_error(step);
    let review_version = d.review_version;
    let button = move |code: &'static str, text: &'static str| {
        view! {
            <ActionForm action=step attr:class="inline-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="schritt" value=code/>
                {(code == "veroeffentlichen").then(|| view! { <input type="hidden" name="version" value=review_version.map(|v| v.to_string()).unwrap_or_default()/> })}
                <button type="submit" class="button button-outline">{text}</button>
            </ActionForm>
        }
    };
    let published = status == ArticleStatus::Published;
    let review_text = match (status, d.pending_version, d.second_review) {
        (ArticleStatus::Review, _, _) => Some("Der Artikel wartet auf die Prüfung durch eine zweite Person."),
        (_, Some(_), _) => Some("Eine Änderung wartet auf die Prüfung durch eine zweite Person; bis dahin sehen die Leserinnen und Leser die bisherige Fassung."),
        _ => None,
    };
    let can_publish = d.may_approve && (status == ArticleStatus::Review || (status == ArticleStatus::Draft && !d.second_review) || (published && d.pending_version.is_some()));
    view! {
        <section class="desk" aria-labelledby="desk-titel">
            <h2 id="desk-titel">"Für die Landesberatung"</h2>
            <p>{format!("Angelegt von {} · {} Aufrufe · hilfreich: {} ja, {} nein", d.author, d.views, d.helpful_yes, d.helpful_no)}
                {d.source_case.map(|c| view! { " · aus " <a href=format!("/faelle/{c}")>{format!("Fall {c}")}</a> })}</p>
            {d.review_due.then(|| view! { <p class="notice">"Zur Überprüfung fällig: bitte prüfen Sie, ob der Artikel noch stimmt, und bestätigen oder ändern Sie ihn."</p> })}
            {review_text.map(|t| view! { <p class="notice">{t}</p> })}
            {(!d.may_approve && (status == ArticleStatus::Review || d.pending_version.is_some())).then(|| view! {
                <p class="hint">"Sie haben den Artikel seit der letzten Veröffentlichung geändert; freigeben muss eine zweite Person."</p>
            })}
            <ErrorSummary error/>
            <div class="actions">
                <a class="button" href=format!("/wissen/{id}/bearbeiten")>"Bearbeiten"</a>" "
                {(status == ArticleStatus::Draft && d.second_review).then(|| button("pruefen", "Zur Prüfung geben"))}
                {can_publish.then(|| button("veroeffentlichen", if d.second_review { "Prüfen und veröffentlichen" } else { "Veröffentlichen" }))}
                {published.then(|| button("bestaetigen", "Inhalt geprüft: weiterhin gültig"))}
                {published.then(|| button("zurueckziehen", "Zurückziehen"))}
            </div>
            <h3>"Rückmeldungen der Leserinnen und Leser"</h3>
            {if d.feedback.is_empty() {
                view! { <p>"Noch keine Kommentare."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {d.feedback.into_iter().map(|f| view! {
                            <li><span class="hint">{format!("{} · {} · {}: ", f.at, f.from, if f.helpful { "hilfreich" } else { "nicht hilfreich" })}</span>
                                <span class="prewrap">{f.comment}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>"Fassungen"</h3>
            <ul>
                {d.versions.into_iter().map(|v| view! {
                    <li><a href=format!("/wissen/{id}?fassung={}", v.version)>{format!("Fassung {}", v.version)}</a>
                        {format!(" · {} · {} von {}", v.change, v.changed, v.by)}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}
