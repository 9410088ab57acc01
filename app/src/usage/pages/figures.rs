//! `/lagebild/nutzung`: how much the online services are used — per OZG-Leistung over twelve
//! months with the change against the year before, per Kreis and month for a chosen Leistung,
//! per 1,000 inhabitants; for the Land the Kommunen with a Leistung online and no counted use,
//! and the import of the ZSK's figures. Works without JavaScript (GET filter, plain upload form).

use super::{count, rate};
use crate::ui::errors::ErrorPage;
use crate::ui::forms::FieldBox;
use crate::ui::list::{DataTable, FilterChoice, FilterForm, cols};
use crate::usage::api::load_usage;
use crate::usage::model::UsageFigures;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UsageFiguresPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.with(|q| (q.get("leistung").unwrap_or_default(), q.get("kreis").unwrap_or_default())), |(leistung, kreis)| load_usage(leistung, kreis));
    let imported = query.with_untracked(|q| q.get("importiert"));
    view! {
        <Title text="Lagebild: Nutzung der Online-Dienste"/>
        <p class="hint"><a href="/lagebild">"Lagebild"</a>" · "<a href="/lagebild/nachnutzung">"Roll-out im Lagebild"</a></p>
        <h1>"Nutzung der Online-Dienste"</h1>
        {imported.map(|n| view! { <p class="notice" role="status">{format!("Import abgeschlossen: {} übernommen.", crate::ui::format::count_of(n.parse::<i64>().unwrap_or_default(), "Zahl", "Zahlen"))}</p> })}
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(f) => view! { <Figures f/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Figures(f: UsageFigures) -> impl IntoView {
    let selected = f.selected.clone().unwrap_or_default();
    let period = match (f.months.first(), f.months.last()) {
        (Some(a), Some(b)) => format!("{} bis {}", crate::ui::format::month(a), crate::ui::format::month(b)),
        _ => String::new(),
    };
    let open_data = if selected.is_empty() { String::new() } else { format!("&leistung={}", crate::ui::format::urlencode(&selected)) };
    let services: Vec<(String, String)> = f.services.iter().map(|s| (s.ozg_id.clone(), s.name.clone())).collect();
    let rows = f.services.clone();
    let whole = f.clone();
    view! {
        <p>"Wie oft Bürgerinnen, Bürger und Unternehmen die Online-Dienste nutzen: Anträge, Anzeigen und Meldungen je Monat, wie die Zentrale Statistik-Komponente (ZSK) des Bundes sie zählt, und eigene Angaben der Kommunen für Leistungen, die sie nicht zählt."</p>
        <p><a href=format!("/api/v1/public/usage?format=csv{open_data}")>"Als CSV herunterladen"</a>" · "<a href=format!("/api/v1/public/usage?{}", open_data.trim_start_matches('&'))>"als JSON (offene Daten)"</a></p>
        {f.may_import.then(|| view! {
            <details class="import">
                <summary>"Nutzungszahlen der ZSK einlesen"</summary>
                <form method="post" action="/lagebild/nutzung/import" enctype="multipart/form-data" class="form">
                    <FieldBox name="datei" label="CSV- oder Excel-Datei (XLSX)" hint="Spalten monat, onlinedienst, onlinedienst_id, leika_schluessel, ozg_id, ars, anzahl (siehe Handbuch). Alle Zeilen werden geprüft; ein Fehler, und es wird nichts übernommen. Ein Monat, der schon eingelesen ist, wird ersetzt.">
                        <input type="file" id="feld-datei" name="datei" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="feld-datei-hinweis"/>
                    </FieldBox>
                    <button type="submit" class="button">"Einlesen"</button>
                </form>
            </details>
        })}
        {f.suppressed.then(|| view! { <p class="hint">{crate::ui::format::withheld_note(f.threshold)}</p> })}
        {if f.months.is_empty() {
            view! { <p>"Noch liegen keine Nutzungszahlen vor."</p> }.into_any()
        } else {
            view! {
                <FilterForm action="/lagebild/nutzung" label="Nutzung filtern">
                    <FilterChoice name="leistung" label="OZG-Leistung" options=services.clone() current=selected.clone() all="alle Leistungen"/>
                    <FilterChoice name="kreis" label="Kreis (Verlauf)" options=f.all_kreise.clone() current=f.kreis.clone() all="nur das Land"/>
                    <button type="submit" class="button button-secondary">"Anzeigen"</button>
                </FilterForm>
                <h2>{format!("Je OZG-Leistung, {period}")}</h2>
                <DataTable id="leistungen-titel" caption=format!("Vorgänge in Sachsen-Anhalt, {period}") columns=cols(["OZG-Leistung", "Vorgänge", "je 1.000 Einwohner", "Veränderung zum Vorjahr", "Kommunen online"]) class="stacked">
                    {rows.iter().map(|s| view! {
                        <tr>
                            <th scope="row"><a href=format!("/lagebild/nutzung?leistung={}", crate::ui::format::urlencode(&s.ozg_id))>{s.name.clone()}</a></th>
                            <td data-label="Vorgänge" class="num">{count(s.transactions)}</td>
                            <td data-label="je 1.000 Einwohner" class="num">{rate(s.per_1000)}</td>
                            <td data-label="Veränderung zum Vorjahr" class="num">{s.change_percent.map(|c| format!("{}{} %", if c > 0.0 { "+" } else { "" }, crate::ui::format::decimal(c))).unwrap_or_else(|| "–".into())}</td>
                            <td data-label="Kommunen online" class="num">{s.online}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
                <Selected f=whole.clone()/>
            }.into_any()
        }}
        <h2>"Begriffe"</h2>
        <dl class="definitions">
            <dt>"Vorgänge"</dt><dd>"Über einen Online-Dienst eingereichte Anträge, Anzeigen und Meldungen eines Monats, wie die Zentrale Statistik-Komponente sie je Regionalschlüssel zählt (Gemeinde, Verbandsgemeinde oder Kreis, je nachdem, wer zuständig ist). Eigene Angaben der Kommunen für Leistungen, die die ZSK nicht zählt, sind eingerechnet."</dd>
            <dt>"je 1.000 Einwohner"</dt><dd>"Vorgänge im Zeitraum, geteilt durch die Einwohnerzahl des Gebiets (Destatis, Gebietsstand 30.11.2025), mal 1.000."</dd>
            <dt>"Veränderung zum Vorjahr"</dt><dd>"Vorgänge der letzten zwölf Monate gegenüber den zwölf Monaten davor; ohne Zahlen für das Vorjahr steht »–«."</dd>
            <dt>"Online ohne Nutzung"</dt><dd>"Kommunen, die die Leistung im Leistungsregister als online führen, für die im Zeitraum aber kein Vorgang gezählt wurde (weder für die Kommune noch für ihre Verbandsgemeinde); wo die Leistung für den ganzen Kreis gezählt wird, bleiben dessen Kommunen außen vor. Nur für das Land sichtbar."</dd>
        </dl>
    }
}

#[component]
fn Selected(f: UsageFigures) -> impl IntoView {
    let Some(_) = f.selected.clone() else { return ().into_any() };
    let name = f.selected_name.clone();
    let with_kreis = !f.kreis.is_empty();
    let trend_cols = if with_kreis {
        cols(["Monat", "Sachsen-Anhalt", "je 1.000 Einwohner", f.kreis_name.as_str(), "je 1.000 Einwohner (Kreis)"])
    } else {
        cols(["Monat", "Sachsen-Anhalt", "je 1.000 Einwohner"])
    };
    view! {
        <h2>{format!("{name} je Kreis")}</h2>
        <DataTable id="kreise-titel" caption=format!("{name}: Vorgänge je Kreis in den zwölf Monaten") columns=cols(["Kreis", "Einwohner", "Vorgänge", "je 1.000 Einwohner"]) class="stacked">
            {f.kreise.iter().map(|k| view! {
                <tr>
                    <th scope="row"><a href=format!("/lagebild/nutzung?leistung={}&kreis={}", crate::ui::format::urlencode(f.selected.as_deref().unwrap_or_default()), k.key)>{k.name.clone()}</a></th>
                    <td data-label="Einwohner" class="num">{crate::ui::format::format_number(k.population)}</td>
                    <td data-label="Vorgänge" class="num">{count(k.transactions)}</td>
                    <td data-label="je 1.000 Einwohner" class="num">{rate(k.per_1000)}</td>
                </tr>
            }).collect_view()}
        </DataTable>
        <h2>{format!("{name}: Verlauf je Monat")}</h2>
        <crate::ui::chart::MonthLines
            id="verlauf-grafik"
            title=format!("{name}: Vorgänge je 1.000 Einwohner und Monat")
            desc="Die Werte stehen in der Tabelle unter der Grafik."
            months=f.months.clone()
            first=f.trend.iter().map(|m| m.land_per_1000).collect()
            second=f.trend.iter().map(|m| m.kreis_per_1000).collect()
            first_label="Sachsen-Anhalt"
            second_label=if with_kreis { f.kreis_name.clone() } else { "kein Kreis gewählt".to_string() }
            unit="je 1.000 Einwohner"
        />
        <DataTable id="verlauf-titel" caption=if with_kreis { format!("{name}: Vorgänge je Monat im Land und in {}", f.kreis_name) } else { format!("{name}: Vorgänge je Monat im Land") } columns=trend_cols class="stacked">
            {f.trend.iter().map(|m| view! {
                <tr>
                    <th scope="row">{crate::ui::format::month(&m.month)}</th>
                    <td data-label="Sachsen-Anhalt" class="num">{count(m.land)}</td>
                    <td data-label="je 1.000 Einwohner" class="num">{rate(m.land_per_1000)}</td>
                    {with_kreis.then(|| view! {
                        <td data-label=f.kreis_name.clone() class="num">{count(m.kreis)}</td>
                        <td data-label="je 1.000 Einwohner (Kreis)" class="num">{rate(m.kreis_per_1000)}</td>
                    })}
                </tr>
            }).collect_view()}
        </DataTable>
        {f.unused.clone().map(|u| view! {
            <h2>{format!("{name}: online, aber ohne gezählte Nutzung")}</h2>
            <p class="hint">"Nur für das Land sichtbar."</p>
            {if u.is_empty() {
                view! { <p>"Keine: jede Kommune, die die Leistung online führt, hat im Zeitraum Vorgänge."</p> }.into_any()
            } else {
                view! { <p>{format!("{}: {}", crate::ui::format::count_of(u.len(), "Kommune", "Kommunen"), u.join(", "))}</p> }.into_any()
            }}
        })}
    }
    .into_any()
}
