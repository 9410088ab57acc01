//! The minutes on a meeting's page: read by the members once circulated, commented until the
//! deadline (a plain form, without JavaScript), written, circulated and approved by those who
//! run the body; approved minutes are read-only and have a page to print or save as PDF.

use crate::gremien::api_work::{CommentMinutes, SaveMinutes};
use crate::gremien::work::{MinutesState, MinutesView};
use crate::ui::forms::{ErrorSummary, Field, FieldBox, kept, submission_error};
use crate::ui::list::{DataTable, cols};
use crate::ui::rich::Rich;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn Minutes(meeting: i64, minutes: Option<MinutesView>, runs: bool) -> impl IntoView {
    let save = ServerAction::<SaveMinutes>::new();
    let comment = ServerAction::<CommentMinutes>::new();
    let (save_error, comment_error) = (submission_error(save), submission_error(comment));
    let version = minutes.as_ref().map(|m| m.version).unwrap_or(0);
    let state = minutes.as_ref().map(|m| m.state);
    let source = minutes.as_ref().and_then(|m| m.source.clone());
    let editable = runs && state.is_none_or(MinutesState::editable);
    view! {
        <section aria-labelledby="protokoll">
            <h2 id="protokoll">"Protokoll"</h2>
            {match minutes.clone() {
                None => view! { <p>{if runs { "Noch kein Protokoll. Schreiben Sie den Entwurf unten." } else { "Das Protokoll liegt noch nicht vor." }}</p> }.into_any(),
                Some(m) => view! {
                    <p>
                        <strong>{m.state.label()}</strong>
                        {format!(" · Fassung {}", m.version)}
                        {m.comments_until.clone().filter(|_| m.state == MinutesState::Circulated).map(|d| format!(" · Kommentare bis {d}"))}
                        {m.approved.clone().map(|d| format!(" · genehmigt am {d}"))}
                    </p>
                    {(m.state == MinutesState::Approved).then(|| view! { <p><a href=format!("/gremien/sitzungen/{meeting}/protokoll")>"Druckansicht (drucken oder als PDF speichern)"</a></p> })}
                    <div class="minutes-text"><Rich text=m.rich.clone()/></div>
                    {(!m.comments.is_empty()).then(|| view! {
                        <h3>"Kommentare der Mitglieder"</h3>
                        <ul class="comment-list">
                            {m.comments.iter().cloned().map(|c| view! { <li><p class="hint">{format!("{} am {} zu Fassung {}", c.author, c.at, c.version)}</p><p class="prewrap">{c.body}</p></li> }).collect_view()}
                        </ul>
                    })}
                    {m.may_comment.then(|| view! {
                        <ErrorSummary error=comment_error/>
                        <ActionForm action=comment attr:class="form narrow">
                            <input type="hidden" name="meeting" value=meeting/>
                            <input type="hidden" name="version" value=m.version/>
                            <FieldBox name="comment" id="kommentar" label=format!("Ihr Kommentar zu Fassung {}", m.version) error=comment_error>
                                <textarea id="kommentar" name="comment" rows="4" required>{kept(comment_error, "comment", "")}</textarea>
                            </FieldBox>
                            <button type="submit" class="button">"Kommentar senden"</button>
                        </ActionForm>
                    })}
                    {(!m.versions.is_empty()).then(|| view! {
                        <DataTable id="fassungen" caption="Gespeicherte Fassungen" columns=cols(["Fassung", "Stand", "von", "am"])>
                            {m.versions.iter().cloned().map(|v| view! { <tr><td class="num">{v.version}</td><td>{v.state.label()}</td><td>{v.by}</td><td>{v.at}</td></tr> }).collect_view()}
                        </DataTable>
                    })}
                }.into_any(),
            }}
            {editable.then(|| view! {
                <h3>"Protokoll bearbeiten"</h3>
                <ErrorSummary error=save_error/>
                <ActionForm action=save attr:class="form">
                    <input type="hidden" name="meeting" value=meeting/>
                    <input type="hidden" name="version" value=version/>
                    <FieldBox name="body" id="protokoll-text" label="Text des Protokolls" hint="Absätze, Überschriften (##), Listen und Links (Markdown)." error=save_error>
                        <textarea id="protokoll-text" name="body" rows="14" aria-describedby="protokoll-text-hinweis">{kept(save_error, "body", source.clone().unwrap_or_default())}</textarea>
                    </FieldBox>
                    <Field name="until" id="protokoll-frist" label="Kommentare bis (TT.MM.JJJJ, zum Verteilen)" value=kept(save_error, "until", "") error=save_error/>
                    <div class="actions">
                        <button type="submit" name="schritt" value="speichern" class="button button-secondary">"Speichern"</button>
                        <button type="submit" name="schritt" value="umlauf" class="button">{if state == Some(MinutesState::Circulated) { "Geänderte Fassung erneut verteilen" } else { "An die Mitglieder verteilen" }}</button>
                        {(state == Some(MinutesState::Circulated)).then(|| view! {
                            <button type="submit" name="schritt" value="genehmigen" class="button">{format!("Fassung {version} genehmigen")}</button>
                        })}
                    </div>
                </ActionForm>
            })}
        </section>
    }
}
