//! Leistungsregister pages: a Kommune's service list with progress, and one service's record
//! with its edit form and history. Both work without JavaScript (GET filter form, form post).

mod list;
pub mod progress;
mod record;
mod links;
pub use links::BrokenLinksPage;
pub use list::*;
pub use record::*;

use crate::ui::list::{DataTable, cols};
use crate::ui::errors::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;

/// The list's filter and sort parameters (kept across pages and the bulk form).
const FILTER_KEYS: [&str; 9] = ["themenfeld", "lebenslage", "stand", "reifegrad", "loesung", "fokus", "pflege", "suche", "sortierung"];

fn query_value(q: &leptos_router::params::ParamsMap, k: &str) -> Option<String> {
    q.get(k).filter(|v| !v.is_empty())
}

/// The index of registers the caller may read.
#[component]
pub fn KommunenPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| crate::register::api::list_kommunen());
    view! {
        <Title text="Leistungsregister der Kommunen"/>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(list) => view! {
                        <h1>"Leistungsregister der Kommunen"</h1>
                        <DataTable id="kommunen-caption" caption=crate::ui::format::count_of(list.len(), "Kommune", "Kommunen") columns=cols(["Kommune", "Art", "Kreis", "Schlüssel"])>
                                    {list.into_iter().map(|k| view! {
                                        <tr>
                                            <th scope="row"><a href=format!("/kommunen/{}/leistungen", k.key)>{k.name}</a></th>
                                            <td>{k.kind}</td>
                                            <td>{k.kreis}</td>
                                            <td class="mono">{k.key}</td>
                                        </tr>
                                    }).collect_view()}
                                </DataTable>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
