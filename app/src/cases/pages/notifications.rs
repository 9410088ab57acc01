//! The person's notifications and notification settings.

use crate::cases::api::{ReadNotifications, SaveNotificationPrefs, notifications_page};
use crate::ui::errors::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let read = ServerAction::<ReadNotifications>::new();
    let save = ServerAction::<SaveNotificationPrefs>::new();
    let data = Resource::new(move || (read.version().get(), save.version().get()), |_| notifications_page());
    let query = use_query_map();
    view! {
        <Title text="Benachrichtigungen"/>
        <h1>"Benachrichtigungen"</h1>
        {move || query.with(|q| q.get("gespeichert")).map(|_| view! { <p class="notice" role="status">"Ihre Einstellungen wurden gespeichert."</p> })}
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(v) => view! {
                        {if v.items.is_empty() {
                            view! { <p>"Keine Benachrichtigungen."</p> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=read attr:class="inline-form">
                                    <button type="submit" class="button button-outline">"Alle als gelesen markieren"</button>
                                </ActionForm>
                                <ul class="notifications">
                                    {v.items.into_iter().map(|n| view! {
                                        <li class:unread=!n.read>
                                            {(!n.read).then(|| view! { <span class="badge badge-unread">"neu"</span> " " })}
                                            <span class="hint">{n.created_at}</span>" "
                                            {match n.case_id {
                                                Some(cid) => view! { <a href=format!("/faelle/{cid}")>{n.text}</a> }.into_any(),
                                                None => view! { <span>{n.text}</span> }.into_any(),
                                            }}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <section aria-labelledby="mail-title">
                            <h2 id="mail-title">"Benachrichtigung per E-Mail"</h2>
                            {(!v.mail_enabled).then(|| view! { <p class="hint">"Der E-Mail-Versand ist in diesem Portal nicht eingerichtet; Sie erhalten Benachrichtigungen nur hier."</p> })}
                            <ActionForm action=save attr:class="form">
                                <fieldset>
                                    <legend>"Diese Benachrichtigungen möchte ich zusätzlich per E-Mail erhalten:"</legend>
                                    {v.prefs.into_iter().map(|(kind, label, on)| {
                                        let id = format!("pref-{kind}");
                                        view! {
                                            <div class="field checkbox-field">
                                                <input type="checkbox" id=id.clone() name=kind value="ja" checked=on/>
                                                <label for=id>{label}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                </fieldset>
                                <button type="submit" class="button">"Einstellungen speichern"</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
