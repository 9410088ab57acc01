//! The Lagebild: figures with their definitions, a map of the Kreise, tables and exports — for
//! the public (no login), the Spitzenverbände (their members) and the Land (everything).

mod charts;
mod members;
mod tables;
pub use charts::*;
pub use members::MembersPage;
pub use tables::*;

use crate::ui::forms::{FieldBox};
use crate::ui::list::{Col, DataTable, cols};
use crate::lagebild::api::load_lagebild;
use crate::lagebild::model::{AreaFigures, LagebildView, Term};
use crate::ui::format::{format_number, WITHHELD};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

fn pct(v: Option<f64>) -> String {
    match v {
        Some(v) => crate::ui::format::percent(v),
        None => "–".to_string(),
    }
}

/// A count, the withheld mark when suppressed.
fn count(v: Option<i64>, suppressed: bool) -> String {
    match v {
        _ if suppressed => WITHHELD.to_string(),
        Some(n) => format_number(n),
        None => "–".to_string(),
    }
}

fn share(f: &AreaFigures, part: Option<i64>, whole: Option<i64>) -> String {
    if f.suppressed { WITHHELD.to_string() } else { pct(AreaFigures::share(part, whole)) }
}

/// "12 Leistungen", or "12 gezählten Leistungen" when some of the slice's are left out.
fn counted_services(f: &AreaFigures) -> String {
    if f.withheld > 0 && !f.suppressed {
        format!("{} gezählten Leistungen", format_number(f.services - f.withheld))
    } else {
        crate::ui::format::count_of(f.services, "Leistung", "Leistungen")
    }
}

/// Why some of the slice's services are not in an area's figures.
fn withheld_services(f: &AreaFigures, t: i64) -> String {
    format!(
        "Gezählt sind {} von {}: für die übrigen {} stehen in diesem Gebiet – oder in einem Gebiet, in dem es liegt – weniger als {t} zuständige Kommunen, oder ihr Wert ließe sich aus anderen veröffentlichten Zahlen auf einzelne Kommunen zurückrechnen. Sie fehlen in jeder Zahl dieses Gebiets, damit die Zahlen zusammenpassen.",
        format_number(f.services - f.withheld),
        crate::ui::format::count_of(f.services, "Leistung", "Leistungen"),
        format_number(f.withheld)
    )
}

/// The date of the data in German form (the timestamp is UTC; the date suffices here).
fn data_date(iso: &str) -> String {
    match (iso.get(0..4), iso.get(5..7), iso.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// The map's colour classes by online share: five classes, each also told by its hatching, and
/// "keine Angabe"; the class (its CSS name) and the legend's words are written here once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MapClass {
    Q0,
    Q1,
    Q2,
    Q3,
    Q4,
    NoFigure,
}

impl MapClass {
    const ALL: [MapClass; 6] = [MapClass::Q0, MapClass::Q1, MapClass::Q2, MapClass::Q3, MapClass::Q4, MapClass::NoFigure];

    /// The class of an area's figures (suppressed ones have none).
    fn of(f: Option<&AreaFigures>) -> MapClass {
        match f.and_then(|f| if f.suppressed { None } else { f.online_share() }) {
            None => MapClass::NoFigure,
            Some(v) if v < 10.0 => MapClass::Q0,
            Some(v) if v < 20.0 => MapClass::Q1,
            Some(v) if v < 30.0 => MapClass::Q2,
            Some(v) if v < 40.0 => MapClass::Q3,
            Some(_) => MapClass::Q4,
        }
    }

    fn css(self) -> &'static str {
        match self {
            MapClass::Q0 => "map-q0",
            MapClass::Q1 => "map-q1",
            MapClass::Q2 => "map-q2",
            MapClass::Q3 => "map-q3",
            MapClass::Q4 => "map-q4",
            MapClass::NoFigure => "map-none",
        }
    }

    fn label(self) -> &'static str {
        match self {
            MapClass::Q0 => "unter 10 %",
            MapClass::Q1 => "10 bis unter 20 %",
            MapClass::Q2 => "20 bis unter 30 %",
            MapClass::Q3 => "30 bis unter 40 %",
            MapClass::Q4 => "40 % und mehr",
            MapClass::NoFigure => "nicht ausgewiesen (•)",
        }
    }
}

#[component]
pub fn LagebildPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.with(|q| (q.get("gebiet"), q.get("themenfeld"), q.get("lage"), q.get("fokus"), q.get("ozg_id"))),
        |(g, t, l, f, o)| load_lagebild(g, t, l, f.map(|f| f == "true" || f == "on" || f == "1"), o),
    );
    view! {
        <Title text="Lagebild"/>
        <Suspense fallback=|| view! { <h1>"Lagebild"</h1><p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <LagebildContent v/> }.into_any(),
                    Err(e) => view! {
                        <h1>"Lagebild"</h1>
                        <div class="error-summary" role="alert"><p>{e.to_string()}</p></div>
                        <p><a href="/lagebild">"Zum Lagebild des Landes"</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LagebildContent(v: LagebildView) -> impl IntoView {
    let lb = v.lagebild.clone();
    let f = lb.area.clone();
    let t = lb.threshold;
    let gebiet = crate::lagebild::model::base_key(&f.area).to_string();
    let slice_query = {
        let mut q = Vec::new();
        if let Some(tf) = &lb.slice.themenfeld {
            q.push(format!("themenfeld={}", crate::ui::format::urlencode(tf)));
        }
        if let Some(l) = &lb.slice.lage {
            q.push(format!("lage={}", crate::ui::format::urlencode(l)));
        }
        if lb.slice.focus {
            q.push("fokus=true".to_string());
        }
        if let Some(o) = &lb.slice.ozg_id {
            q.push(format!("ozg_id={o}"));
        }
        q.join("&")
    };
    let export = |format: &str| {
        let base = if v.public { "/api/v1/public/lagebild" } else { "/api/v1/aggregates/lagebild" };
        format!("{base}?gebiet={gebiet}&format={format}{}", if slice_query.is_empty() { String::new() } else { format!("&{slice_query}") })
    };
    let services_export = |format: &str| {
        let base = if v.public { "/api/v1/public" } else { "/api/v1/aggregates" };
        format!("{base}/areas/{gebiet}/services?format={format}&per_page=1000")
    };
    let heading = format!("Lagebild: {}", f.name);
    let whole_catalogue = lb.slice == crate::lagebild::model::Slice::default();
    let gebiet_field = gebiet.clone();
    let (lage_options, chosen_lage) = (lb.lage_options.clone(), lb.slice.lage.clone());
    let (tf_options, chosen_tf, chosen_ozg, chosen_focus) = (lb.themenfeld_options.clone(), lb.slice.themenfeld.clone(), lb.slice.ozg_id.clone().unwrap_or_default(), lb.slice.focus);
    let stages = f.stages.clone().unwrap_or_default();
    let stage_total: i64 = stages.iter().sum();
    let parts = lb.parts.clone();
    let map = v.map.clone();
    let map_height = v.map_height;
    view! {
        <Title text=heading.clone()/>
        <h1>{heading.clone()}</h1>
        <p class="lead">
            {format!("Stand der Umsetzung des Onlinezugangsgesetzes – gezählt über {}; Auswahl: {}. ", v.scope_label, lb.slice.label())}
            {format!("Datenstand: {}.", data_date(&f.data_date))}
        </p>
        <p>"Außerdem im Lagebild: "<a href="/lagebild/nachnutzung">"Roll-out der EfA-Dienste"</a>" · "<a href="/lagebild/foerderung">"Förderung der Kommunen"</a>" · "<a href="/lagebild/nutzung">"Nutzung der Online-Dienste"</a>" · "<a href="/abfrage-ergebnisse">"Ergebnisse der Abfragen"</a>
            {(!v.public).then(|| view! { " · "<a href="/lagebild/mitglieder">"Mitglieder im Vergleich"</a> })}</p>
        {lb.parent.clone().map(|(k, n)| view! { <p><a href=format!("/lagebild?gebiet={}", crate::lagebild::model::base_key(&k))>{format!("Zurück zu {n}")}</a></p> })}
        // With JavaScript the filter navigates in the page (client-side routing); without, it is a
        // plain GET form.
        <Form method="get" action="/lagebild" noscroll=true attr:class="filter-form">
            <input type="hidden" name="gebiet" value=gebiet_field/>
            <ChoiceField id="lb-themenfeld" name="themenfeld" label="Themenfeld" all="alle Themenfelder" options=tf_options chosen=chosen_tf/>
            <ChoiceField id="lb-lage" name="lage" label="Lebens- bzw. Unternehmenslage" all="alle Lagen" options=lage_options chosen=chosen_lage/>
            <FieldBox name="ozg_id" id="lb-ozg" label="OZG-ID (optional)"><input id="lb-ozg" name="ozg_id" inputmode="numeric" maxlength="8" value=chosen_ozg/></FieldBox>
            <div class="field checkbox">
                <input id="lb-fokus" type="checkbox" name="fokus" value="true" checked=chosen_focus/>
                <label for="lb-fokus">"nur Fokusleistungen"</label>
            </div>
            <button type="submit">"Anzeigen"</button>
        </Form>

        <section aria-labelledby="lb-kennzahlen">
            <h2 id="lb-kennzahlen">"Kennzahlen"</h2>
            {f.suppressed.then(|| view! { <p class="hint">{format!("In diesem Gebiet liegen weniger als {t} Kommunen; die Werte werden nicht ausgewiesen.")}</p> })}
            {(f.withheld > 0 && !f.suppressed).then(|| view! { <p class="hint" id="lb-withheld">{withheld_services(&f, t)}</p> })}
            <dl class="figures">
                <div><dt>"Online-Quote"</dt><dd>{share(&f, f.online, f.responsible)}</dd>
                    <dd class="hint">{format!("{} von {} Kommune-Leistung-Paaren online", count(f.online, f.suppressed), count(f.responsible, f.suppressed))}</dd></div>
                <div><dt>"Flächendeckend online"</dt><dd>{format!("{} von {}", count(f.flaechendeckend, f.suppressed), counted_services(&f))}</dd></div>
                <div><dt>"In mindestens einer Kommune online"</dt><dd>{format!("{} von {}", count(f.mindestens_eine, f.suppressed), counted_services(&f))}</dd></div>
                <div><dt>"Bevölkerungsabdeckung"</dt><dd>{share(&f, f.population_online, f.population_responsible)}</dd></div>
                <div><dt>"Reifegrad ≥ 2 (Modell 1.1)"</dt><dd>{share(&f, f.reifegrad_2, f.responsible)}</dd></div>
                <div><dt>"Reifegrad ≥ 3 (Modell 1.1, OZG-konform)"</dt><dd>{share(&f, f.reifegrad_3, f.responsible)}</dd></div>
                <div><dt>"EfA-Nachnutzungen"</dt><dd>{count(f.efa, f.suppressed)}</dd></div>
                <div><dt>"Kommunen im Gebiet"</dt><dd>{format_number(f.kommunen)}</dd></div>
                <div><dt>{format!("Meldelücken (seit {} Tagen ohne Änderung)", crate::lagebild::model::GAP_DAYS)}</dt><dd>{count(f.stale_kommunen, f.suppressed)}</dd></div>
            </dl>
        </section>

        {(!f.suppressed && stage_total > 0).then(|| view! { <StageChart stages=stages.clone() total=stage_total/> })}

        {v.trend.clone().map(|(stand, points)| view! { <TrendChart stand points services=f.services t/> })}

        {(!f.suppressed).then(|| {
            let m11 = f.model_11.clone().unwrap_or_default();
            let m20 = f.model_20.clone().unwrap_or_default();
            view! {
                <section aria-labelledby="lb-reifegrade">
                    <h2 id="lb-reifegrade">"Reifegrade"</h2>
                    <p class="hint">"Kommune-Leistung-Paare je Stufe. Die Stufen des Modells 2.0 bedeuten anderes als die des Modells 1.1; beide werden getrennt ausgewiesen und nicht umgerechnet."</p>
                    <DataTable id="lb-m11-caption" caption="Reifegradmodell 1.1" columns={(0..5).map(|l| Col::from(format!("Stufe {l}"))).collect()} class="compact"><tr>{m11.iter().map(|n| view! { <td>{format_number(*n)}</td> }).collect_view()}</tr></DataTable>
                    <DataTable id="lb-m20-caption" caption="Reifegradmodell 2.0" columns={(0..8).map(|l| Col::from(format!("Stufe {l}"))).collect()} class="compact"><tr>{m20.iter().map(|n| view! { <td>{format_number(*n)}</td> }).collect_view()}</tr></DataTable>
                </section>
            }
        })}

        {(!v.services.is_empty()).then(|| view! { <ServiceTable rows=v.services.clone() t/> })}

        <section aria-labelledby="lb-efa">
            <h2 id="lb-efa">"EfA-Nachnutzung"</h2>
            {if v.efa.is_empty() {
                view! { <p>"In diesem Gebiet und dieser Auswahl ist keine Nachnutzung einer EfA-Leistung erfasst."</p> }.into_any()
            } else {
                let more = whole_catalogue && v.efa_total > v.efa.len();
                let efa = v.efa.clone();
                view! {
                    <DataTable id="lb-efa-caption" caption="Nachgenutzte EfA-Leistungen und wo" columns=cols(["OZG-Leistung", "EfA-Leistung", "Kommunen", "Kreise"])>
                                {efa.iter().map(|e| view! {
                                    <tr>
                                        <th scope="row">{format!("{} ({})", e.name, e.ozg_id)}</th>
                                        <td>{e.service.clone()}</td>
                                        <td>{count(e.kommunen, e.kommunen.is_none())}</td>
                                        <td>{if e.kreise.is_empty() { "–".to_string() } else { e.kreise.join(", ") }}</td>
                                    </tr>
                                }).collect_view()}
                            </DataTable>
                    {more.then(|| view! {
                        <p class="hint">{format!(
                            "Die {} meistgenutzten von {} Nachnutzungen; alle stehen im Download unten, und die Seite eines Kreises oder eines Themenfelds nennt auch, wo sie genutzt werden.",
                            v.efa.len(),
                            v.efa_total
                        )}</p>
                    })}
                }.into_any()
            }}
        </section>

        {(!parts.is_empty()).then(|| {
            let (heading, caption) = if f.level == "land" {
                ("Kreise und kreisfreie Städte", "Kennzahlen je Kreis")
            } else {
                ("Verbandsgemeinden", "Kennzahlen je Verbandsgemeinde")
            };
            view! {
                <section aria-labelledby="lb-kreise">
                    <h2 id="lb-kreise">{heading}</h2>
                    {(!map.is_empty()).then(|| view! { <KreisMap shapes=map.clone() height=map_height parts=parts.clone() query=slice_query.clone()/> })}
                    <AreaTable rows=parts.clone() caption query=slice_query.clone()/>
                </section>
            }
        })}

        <section aria-labelledby="lb-themenfelder">
            <h2 id="lb-themenfelder">"Themenfelder"</h2>
            <ThemenfeldTable rows=lb.themenfelder.clone()/>
            {lb.themenfelder.iter().any(|(_, f)| f.withheld > 0 && !f.suppressed).then(|| view! {
                <p class="hint">{format!("»4 von 30«: von den 30 Leistungen des Themenfelds zählen hier 4; die übrigen sind nicht ausgewiesen, weil hinter ihnen weniger als {t} Kommunen stehen – in diesem Gebiet oder in einem, in dem es liegt – oder weil ihr Wert sonst aus anderen veröffentlichten Zahlen auf einzelne Kommunen zurückgerechnet werden könnte.")}</p>
            })}
        </section>

        {v.cases.clone().map(|c| view! { <CaseSection c t/> })}

        {(!v.kommunen.is_empty()).then(|| view! {
            <section aria-labelledby="lb-kommunen">
                <h2 id="lb-kommunen">{if f.level == "vg" { "Kommunen der Verbandsgemeinde" } else { "Kommunen des Kreises" }}</h2>
                <ul class="columns">
                    {v.kommunen.iter().map(|(k, n)| view! { <li><a href=format!("/kommunen/{k}/leistungen")>{n.clone()}</a></li> }).collect_view()}
                </ul>
            </section>
        })}

        <section aria-labelledby="lb-export">
            <h2 id="lb-export">"Daten herunterladen"</h2>
            <p>"Alle Tabellen dieser Seite mit den Definitionen und dem Datenstand, ohne Zeilenbegrenzung: "
                <a href=export("csv") download>"CSV (Semikolon, UTF-8)"</a> " · " <a href=export("json")>"JSON"</a>
            </p>
            <p>"Jede OZG-Leistung des Katalogs in diesem Gebiet: "
                <a href=services_export("csv") download>"Leistungen als CSV"</a> " · " <a href=services_export("json")>"Leistungen als JSON"</a>
            </p>
        </section>

        <section aria-labelledby="lb-definitionen" class="definitions">
            <h2 id="lb-definitionen">"Wie wird gezählt?"</h2>
            <dl>
                {Term::ALL.iter().map(|term| view! { <dt>{term.label()}</dt><dd>{term.definition().replace("weniger als 3 ", &format!("weniger als {t} "))}</dd> }).collect_view()}
            </dl>
            <p class="hint">"Grundlage sind die Einträge der Kommunen im Leistungsregister dieses Portals. Die Kennzahlen werden mit jeder Änderung im Register fortgeschrieben."</p>
        </section>
    }
}

/// A select of one filter: "all" or one of the options.
#[component]
fn ChoiceField(id: &'static str, name: &'static str, label: &'static str, all: &'static str, options: Vec<String>, chosen: Option<String>) -> impl IntoView {
    view! {
        <FieldBox name=name id=id label=label>
            <select id=id name=name>
                <option value="" selected=chosen.is_none()>{all}</option>
                {options.into_iter().map(|o| {
                    let selected = chosen.as_deref() == Some(o.as_str());
                    let text = o.clone();
                    view! { <option value=o selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </FieldBox>
    }
}
