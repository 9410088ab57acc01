//! The Land's page of the Kommunen's ratings: per team, category and month of the last twelve
//! months, and the newest ratings with their comments.

use crate::cases::api::case_ratings_page;
use crate::cases::model::{Rating, RatingGroup, RatingSummary};
use crate::ui::errors::ErrorPage;
use crate::ui::list::{DataTable, cols};
use leptos::prelude::*;
use leptos_meta::Title;

fn average(g: &RatingGroup) -> String {
    format!("{:.1}", g.average).replace('.', ",")
}

#[component]
fn Groups(id: &'static str, caption: &'static str, first: &'static str, rows: Vec<RatingGroup>) -> impl IntoView {
    view! {
        <DataTable id=id caption=caption columns=cols([first, "Anzahl", "Durchschnitt"]) class="compact">
            {rows.into_iter().map(|g| view! { <tr><td>{g.label.clone()}</td><td>{g.count}</td><td>{average(&g)}</td></tr> }).collect_view()}
        </DataTable>
    }
}

#[component]
fn Summary(s: RatingSummary) -> impl IntoView {
    view! {
        <p role="status">{if s.total.count == 0 {
            "In den letzten zwölf Monaten hat keine Kommune eine Beratung bewertet.".to_string()
        } else {
            format!("{} in den letzten zwölf Monaten, im Durchschnitt {} von 5.", crate::ui::format::count_of(s.total.count, "Bewertung", "Bewertungen"), average(&s.total))
        }}</p>
        {(s.total.count > 0).then(|| view! {
            <Groups id="bewertungen-teams" caption="Nach Team" first="Team" rows=s.teams.clone()/>
            <Groups id="bewertungen-kategorien" caption="Nach Kategorie" first="Kategorie" rows=s.categories.clone()/>
            <Groups id="bewertungen-monate" caption="Nach Monat (neueste zuerst)" first="Monat" rows=s.months.clone()/>
            <DataTable id="bewertungen-neueste" caption="Die neuesten Bewertungen" columns=cols(["Fall", "Kommune", "Bewertung", "Kommentar", "Datum"]) class="stacked">
                {s.newest.iter().map(|r| view! {
                    <tr>
                        <td data-label="Fall"><a href=format!("/faelle/{}", r.case_id)>{format!("{} – {}", r.case_id, r.subject)}</a></td>
                        <td data-label="Kommune">{r.kommune.clone()}</td>
                        <td data-label="Bewertung">{Rating::stars_text(r.stars)}</td>
                        <td data-label="Kommentar">{if r.comment.is_empty() { "–".to_string() } else { r.comment.clone() }}</td>
                        <td data-label="Datum">{r.rated_at.clone()}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
        })}
    }
}

#[component]
pub fn CaseRatingsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| case_ratings_page());
    view! {
        <Title text="Bewertungen der Beratung – OZG-Portal"/>
        <p><a href="/faelle">"← Zur Fallübersicht"</a></p>
        <h1>"Bewertungen der Beratung"</h1>
        <p class="hint">"Wie die Kommunen die Hilfe bei ihren gelösten Fällen bewertet haben, von 1 (nicht hilfreich) bis 5 (sehr hilfreich). Nur für die Landesberatung; die Kommunen sehen nur ihre eigenen Bewertungen."</p>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => view! { <Summary s/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
