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
                    Ok(v) => {
                        let mail_on: Vec<String> = v.prefs.iter().filter(|p| p.2).map(|p| p.0.clone()).collect();
                        view! {
                        {if v.groups.is_empty() {
                            view! { <p>"Keine Benachrichtigungen."</p> }.into_any()
                        } else {
                            view! {
                                <p>{format!("{} – nach Fall zusammengefasst, die neueste zuerst.", crate::ui::format::count_of(v.unread, "ungelesene Benachrichtigung", "ungelesene Benachrichtigungen"))}</p>
                                <ActionForm action=read attr:class="inline-form">
                                    <button type="submit" class="button button-secondary">"Alle als gelesen markieren"</button>
                                </ActionForm>
                                <ul class="notifications">
                                    {v.groups.into_iter().map(|mut g| {
                                        let newest = g.remove(0);
                                        let unread = usize::from(!newest.read) + g.iter().filter(|n| !n.read).count();
                                        view! {
                                            <li class:unread={unread > 0}>
                                                <NotificationLine n=newest unread/>
                                                {(!g.is_empty()).then(|| view! {
                                                    <details class="older">
                                                        <summary>{format!("{} zu diesem Fall", crate::ui::format::count_of(g.len(), "ältere", "ältere"))}</summary>
                                                        <ul>{g.into_iter().map(|n| view! { <li><NotificationLine n unread=0/></li> }).collect_view()}</ul>
                                                    </details>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <section aria-labelledby="mute-title">
                            <h2 id="mute-title">"Was gemeldet wird"</h2>
                            <ActionForm action=save attr:class="form">
                                <div class="field checkbox-field">
                                    <input type="checkbox" id="mute-status" name="mute_status" value="ja" checked=v.status_muted/>
                                    <label for="mute-status">"Reine Statusänderungen nicht melden (Antworten, Zuweisungen und überschrittene Servicezeiten kommen weiter)"</label>
                                </div>
                                {mail_on.into_iter().map(|kind| view! { <input type="hidden" name=format!("mail[{kind}]") value="ja"/> }).collect_view()}
                                <input type="hidden" name="digest" value=if v.digest { "ja" } else { "" }/>
                                <button type="submit" class="button button-secondary">"Speichern"</button>
                            </ActionForm>
                        </section>
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
                                                <input type="checkbox" id=id.clone() name=format!("mail[{kind}]") value="ja" checked=on/>
                                                <label for=id>{label}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                </fieldset>
                                <div class="field checkbox-field">
                                    <input type="checkbox" id="pref-digest" name="digest" value="ja" checked=v.digest/>
                                    <label for="pref-digest">"Wochenübersicht: montags eine E-Mail mit den Fällen, die auf mich warten, fälligen Aufgaben und Fristen, offenen Abfragen, neuen Beschlüssen und Mitteilungen (keine E-Mail, wenn nichts ansteht)"</label>
                                </div>
                                <input type="hidden" name="mute_status" value=if v.status_muted { "ja" } else { "" }/>
                                <button type="submit" class="button">"Einstellungen speichern"</button>
                            </ActionForm>
                        </section>
                    }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// One notification: "neu" while unread, its time, its text as a link to its page.
#[component]
fn NotificationLine(n: crate::cases::api::NotificationRow, unread: usize) -> impl IntoView {
    let href = n.link.clone().or_else(|| n.case_id.map(|c| format!("/faelle/{c}")));
    view! {
        {(unread > 0).then(|| view! { <span class="badge badge-unread">{if unread > 1 { format!("{unread} neu") } else { "neu".to_string() }}</span> " " })}
        <span class="hint">{n.created_at}</span>" "
        {match href {
            Some(h) => view! { <a href=h>{n.text}</a> }.into_any(),
            None => view! { <span>{n.text}</span> }.into_any(),
        }}
    }
}
