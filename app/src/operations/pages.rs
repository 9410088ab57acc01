//! `/verwaltung/postausgang`: mails the relay refused too often, to send again or discard.

use crate::ui::list::{DataTable, cols};
use crate::identity::Role;
use crate::operations::api::{DiscardMail, RetryMail, dead_letters};
use crate::ui::auth::RequireRole;
use crate::ui::forms::{ErrorSummary, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DeadLettersPage() -> impl IntoView {
    let retry = ServerAction::<RetryMail>::new();
    let discard = ServerAction::<DiscardMail>::new();
    let letters = Resource::new(move || (retry.version().get(), discard.version().get()), |_| dead_letters());
    let (e1, e2) = (submission_error(retry), submission_error(discard));
    let error = Signal::derive(move || e1.get().or_else(|| e2.get()));
    view! {
        <Title text="Unzustellbare E-Mails"/>
        <RequireRole roles=vec![Role::Admin]>
            <h1>"Unzustellbare E-Mails"</h1>
            <p>"E-Mails, die der Mailserver auch nach dem letzten Versuch nicht angenommen hat. Senden Sie sie erneut, wenn die Ursache behoben ist, oder verwerfen Sie sie. Beides wird protokolliert."</p>
            <ErrorSummary error/>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match letters.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p role="status">"Keine unzustellbaren E-Mails."</p> }.into_any(),
                        Ok(list) => view! {
                            <DataTable id="dead-caption" caption=format!("{} unzustellbare E-Mails", list.len()) columns=cols(["Empfänger", "Betreff", "Versuche", "Letzte Antwort des Mailservers", "Eingereiht", "Aufgegeben"])>
                                        {list.into_iter().map(|m| {
                                            let sr = format!(" – {} an {}", m.subject, m.recipient);
                                            let sr2 = sr.clone();
                                            view! {
                                                <tr>
                                                    <th scope="row">{m.recipient}</th>
                                                    <td>{m.subject}</td>
                                                    <td>{m.attempts}</td>
                                                    <td>{m.last_error.unwrap_or_default()}</td>
                                                    <td>{m.created}</td>
                                                    <td>{m.dead}</td>
                                                    <td class="actions">
                                                        <ActionForm action=retry>
                                                            <input type="hidden" name="id" value=m.id/>
                                                            <button type="submit" class="button button-small">"Erneut senden" <span class="visually-hidden">{sr}</span></button>
                                                        </ActionForm>
                                                        <ActionForm action=discard>
                                                            <input type="hidden" name="id" value=m.id/>
                                                            <button type="submit" class="button button-danger button-small">"Verwerfen" <span class="visually-hidden">{sr2}</span></button>
                                                        </ActionForm>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </DataTable>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}
