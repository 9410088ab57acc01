//! `/verwaltung/partner`: the partner organisations (IT-Dienstleister, Land authorities, other
//! public bodies) whose people sign in with the role »Partnerorganisation«.

use crate::catalogue::api::{SavePartner, list_partners};
use crate::identity::Role;
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, Field, submission_error};
use crate::ui::list::{DataTable, cols};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminPartnersPage() -> impl IntoView {
    let items = Resource::new(|| (), |_| list_partners());
    let save = ServerAction::<SavePartner>::new();
    let error = submission_error(save);
    let saved = use_query_map().with_untracked(|q| q.get("gespeichert").is_some());
    view! {
        <Title text="Partnerorganisationen"/>
        <RequireRole roles=vec![Role::Admin]>
            <h1>"Partnerorganisationen"</h1>
            <p>"Partner der Zusammenarbeit – IT-Dienstleister, Landesbehörden, andere öffentliche Stellen – werden hier angelegt. Ihre Personen laden Sie in der Benutzerverwaltung mit der Rolle »Partnerorganisation« und dem Schlüssel der Organisation ein. Sie sehen die Gremien, denen sie angehören, und was öffentlich ist; Daten einzelner Kommunen sehen sie nicht."</p>
            {saved.then(|| view! { <p class="notice" role="status">"Die Partnerorganisation ist gespeichert."</p> })}
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match items.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Noch keine Partnerorganisation angelegt."</p> }.into_any(),
                        Ok(list) => view! {
                            <DataTable id="partner-liste" caption="Partnerorganisationen" columns=cols(["Schlüssel", "Name", "Konten"])>
                                {list.into_iter().map(|p| view! { <tr><td class="mono">{p.key}</td><td>{p.name}</td><td class="num">{p.people}</td></tr> }).collect_view()}
                            </DataTable>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <section aria-labelledby="partner-neu" class="narrow">
                <h2 id="partner-neu">"Partnerorganisation anlegen oder umbenennen"</h2>
                <ErrorSummary error/>
                <ActionForm action=save attr:class="form">
                    <Field name="key" id="partner-key" label="Schlüssel" hint="2 bis 20 Zeichen: Großbuchstaben, Ziffern, Bindestriche (zum Beispiel ITDZ-LSA). Ein vorhandener Schlüssel benennt die Organisation um." required=true maxlength=20 error/>
                    <Field name="name" id="partner-name" label="Name" required=true maxlength=200 error/>
                    <button type="submit" class="button">"Speichern"</button>
                </ActionForm>
            </section>
        </RequireRole>
    }
}
