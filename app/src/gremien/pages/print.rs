//! `/gremien/sitzungen/:id/protokoll`: approved minutes alone, laid out for printing or saving as
//! PDF with the browser (the print stylesheet leaves out the portal's header and navigation).

use crate::gremien::api_work::load_meeting;
use crate::gremien::work::{MeetingView, MinutesState};
use crate::ui::errors::ErrorPage;
use crate::ui::rich::Rich;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MinutesPrintPage() -> impl IntoView {
    let params = use_params_map();
    let meeting = Resource::new(move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or_default()), load_meeting);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match meeting.await {
                    Err(e) => view! { <Title text="Protokoll"/><ErrorPage error=e/> }.into_any(),
                    Ok(m) => view! { <Printed m/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Printed(m: MeetingView) -> impl IntoView {
    let Some(minutes) = m.minutes.clone().filter(|x| x.state == MinutesState::Approved) else {
        return view! { <Title text="Protokoll"/><ErrorPage error=crate::error::AppError::NotFound/> }.into_any();
    };
    let present: Vec<String> = m.responses.iter().filter(|r| r.attended == Some(true)).map(|r| format!("{} ({})", r.name, r.organisation)).collect();
    view! {
        <Title text=format!("Protokoll: {} – {}", m.title, m.gremium)/>
        <article class="print-document">
            <p class="no-print"><a href=format!("/gremien/sitzungen/{}", m.id)>"← Zur Sitzung"</a>" · Drucken Sie diese Seite oder speichern Sie sie über die Druckfunktion Ihres Browsers als PDF."</p>
            <h1>{format!("Protokoll: {}", m.title)}</h1>
            <dl class="profile">
                <dt>"Gremium"</dt><dd>{m.gremium.clone()}</dd>
                <dt>"Sitzung"</dt><dd>{m.when.clone()}</dd>
                {m.place.clone().map(|p| view! { <dt>"Ort"</dt><dd>{p}</dd> })}
                <dt>"genehmigt am"</dt><dd>{minutes.approved.clone().unwrap_or_default()}{format!(" (Fassung {})", minutes.version)}</dd>
                {(!present.is_empty()).then(|| view! { <dt>"anwesend"</dt><dd>{present.join("; ")}</dd> })}
            </dl>
            {(!m.items.is_empty()).then(|| view! {
                <h2>"Tagesordnung"</h2>
                <ol>{m.items.iter().cloned().map(|i| view! { <li>{i.title}</li> }).collect_view()}</ol>
            })}
            <h2>"Protokoll"</h2>
            <Rich text=minutes.rich.clone()/>
        </article>
    }
    .into_any()
}
