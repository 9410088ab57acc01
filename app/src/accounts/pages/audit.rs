//! The audit log for administrators: filter by person, organisation, action and time, page
//! through it, export the filtered entries as CSV.

use crate::ui::list::{DataTable, FilterChoice, FilterForm, FilterText, Pager, cols, options};
use crate::vocabulary::audit::AuditAction;
use crate::accounts::api::admin::audit_log;
use crate::accounts::model::AuditFilter;
use crate::identity::Role;
use crate::ui::auth::RequireRole;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn query_string(f: &AuditFilter, page: u64) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (k, v) in [("person", &f.person), ("organisation", &f.org), ("aktion", &f.action), ("von", &f.from), ("bis", &f.to)] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", js_escape(v)));
        }
    }
    if page > 1 {
        parts.push(format!("seite={page}"));
    }
    parts.join("&")
}

/// Percent-encoding of a query value (letters, digits and `-._~` stay).
fn js_escape(v: &str) -> String {
    v.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| AuditFilter {
            person: q.get("person").unwrap_or_default(),
            org: q.get("organisation").unwrap_or_default(),
            action: q.get("aktion").unwrap_or_default(),
            from: q.get("von").unwrap_or_default(),
            to: q.get("bis").unwrap_or_default(),
            page: q.get("seite").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    };
    let page = Resource::new(filter, audit_log);
    view! {
        <Title text="Protokoll"/>
        <RequireRole roles=vec![Role::Admin]>
            <h1>"Protokoll"</h1>
            <p>"Wer hat wann was getan: Anmeldungen, Konten, Rechte und Änderungen. Einträge werden nach Ablauf der Aufbewahrungsfrist gelöscht."</p>
            {move || {
                let f = filter();
                let csv = format!("/verwaltung/protokoll.csv?{}", query_string(&f, 1));
                view! {
                    <FilterForm action="/verwaltung/protokoll" label="Protokoll filtern">
                        <FilterText name="person" label="Person (Name oder E-Mail-Adresse)" value=f.person.clone() kind="search"/>
                        <FilterText name="organisation" label="Organisation (Schlüssel)" value=f.org.clone()/>
                        <FilterChoice name="aktion" label="Aktion" options=options(AuditAction::ALL, AuditAction::code, AuditAction::label) current=f.action.clone()/>
                        <FilterText name="von" label="Von (Tag)" value=f.from.clone() kind="date"/>
                        <FilterText name="bis" label="Bis (Tag)" value=f.to.clone() kind="date"/>
                        <button type="submit" class="button button-secondary">"Filtern"</button>
                    </FilterForm>
                    <p><a href=csv>"Gefilterte Einträge als CSV herunterladen"</a></p>
                }
            }}
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    let f = filter();
                    match page.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(p) => view! {
                            <DataTable id="audit-caption" caption=format!("{}, Seite {} von {}", crate::ui::format::count_of(p.total, "Eintrag", "Einträge"), p.page, p.pages) columns=cols(["Zeitpunkt", "Handelnde Person", "Aktion", "Betroffen", "Adresse", "Einzelheiten"])>
                                        {p.rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td>{r.at}</td>
                                                <td>{r.actor.unwrap_or_else(|| "–".into())}</td>
                                                <td>{AuditAction::label_or_code(&r.action).into_owned()}</td>
                                                <td>{r.object.unwrap_or_else(|| "–".into())}</td>
                                                <td>{r.ip.unwrap_or_else(|| "–".into())}</td>
                                                <td>{r.detail.unwrap_or_default()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </DataTable>
                            <Pager page=u64::from(p.page) pages=u64::from(p.pages) label="Seiten des Protokolls" previous="Neuere Einträge" next="Ältere Einträge"
                                href=move |n| format!("/verwaltung/protokoll?{}", query_string(&f, n))/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_becomes_a_query_string_that_keeps_umlauts_and_spaces() {
        let f = AuditFilter { person: "Jörg M".into(), action: "login_failure".into(), ..Default::default() };
        assert_eq!(query_string(&f, 2), "person=J%C3%B6rg%20M&aktion=login_failure&seite=2");
        assert_eq!(query_string(&AuditFilter::default(), 1), "");
    }
}
