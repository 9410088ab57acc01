//! `/gremien`: the bodies of the collaboration the caller may read, and (advisors,
//! administrators) a form to set up a new one.

use crate::gremien::api::{CreateGremium, load_gremien};
use crate::gremien::model::{BodyVisibility, GremienDesk, GremiumKind};
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, kept, submission_error};
use crate::ui::list::{DataTable, cols};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn GremienPage() -> impl IntoView {
    let desk = Resource::new(|| (), |_| load_gremien());
    view! {
        <Title text="Gremien der Zusammenarbeit"/>
        <h1>"Gremien der Zusammenarbeit"</h1>
        <p class="lead">"Land, Kommunen, kommunale Spitzenverbände und Partner arbeiten in Lenkungskreisen, Arbeitsgruppen und Netzwerken zusammen. Hier finden Sie die Gremien, ihre Mitglieder und ihre Beschlüsse."</p>
        <p><a href="/beschluesse">"Zum Register der Beschlüsse"</a></p>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match desk.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(d) => view! { <Desk d/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Desk(d: GremienDesk) -> impl IntoView {
    let create = ServerAction::<CreateGremium>::new();
    let error = submission_error(create);
    view! {
        {if d.lines.is_empty() {
            view! { <p>"Es gibt noch kein Gremium, das Sie sehen können."</p> }.into_any()
        } else {
            view! {
                <DataTable id="gremien-liste" caption="Gremien" columns=cols(["Gremium", "Art", "sichtbar für", "Mitglieder", "Ihre Rolle"])>
                    {d.lines.into_iter().map(|l| view! {
                        <tr>
                            <td><a href=format!("/gremien/{}", l.id)>{l.name}</a></td>
                            <td>{l.kind.label()}</td>
                            <td>{l.visibility.label()}</td>
                            <td class="num">{l.members}</td>
                            <td>{l.mine.map(|r| r.label()).unwrap_or("–")}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            }.into_any()
        }}
        {d.may_create.then(|| view! {
            <section aria-labelledby="neues-gremium" class="narrow">
                <h2 id="neues-gremium">"Neues Gremium"</h2>
                <p>"Sie werden die Geschäftsstelle des Gremiums und nehmen danach die Mitglieder auf."</p>
                <ErrorSummary error/>
                <ActionForm action=create attr:class="form">
                    <crate::gremien::pages::parts::BodyFields error name=kept(error, "name", "") purpose=kept(error, "purpose", "") kind=kept(error, "kind", GremiumKind::Arbeitsgruppe.code()) visibility=kept(error, "visibility", BodyVisibility::Members.code())/>
                    <button type="submit" class="button">"Gremium anlegen"</button>
                </ActionForm>
            </section>
        })}
    }
}
