//! The Lagebild: figures with their definitions, a map of the Kreise, tables and exports — for
//! the public (no login), the Spitzenverbände (their members) and the Land (everything).

use crate::lagebild::api::load_lagebild;
use crate::lagebild::model::{AreaFigures, CaseRow, CaseStatsView, DEFINITIONS, LagebildView, MapShape, STAGE_LABELS, ServiceFigures, TrendPoint};
use crate::start::pages::format_number;
use leptos::prelude::*;
use leptos_meta::Title;
use crate::ui::chart::MonthLines;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

fn pct(v: Option<f64>) -> String {
    match v {
        Some(v) => format!("{v:.1} %").replace('.', ","),
        None => "–".to_string(),
    }
}

/// A count, "< n" when suppressed.
fn count(v: Option<i64>, suppressed: bool, t: i64) -> String {
    match v {
        _ if suppressed => format!("< {t}"),
        Some(n) => format_number(n),
        None => "–".to_string(),
    }
}

fn share(f: &AreaFigures, part: Option<i64>, whole: Option<i64>, t: i64) -> String {
    if f.suppressed { format!("< {t}") } else { pct(AreaFigures::share(part, whole)) }
}

/// The date of the data in German form (the timestamp is UTC; the date suffices here).
fn data_date(iso: &str) -> String {
    match (iso.get(0..4), iso.get(5..7), iso.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// Map colour class by online share: five classes, each also told by its hatching.
fn class_of(f: Option<&AreaFigures>) -> &'static str {
    match f.and_then(|f| if f.suppressed { None } else { f.online_share() }) {
        None => "map-none",
        Some(v) if v < 10.0 => "map-q0",
        Some(v) if v < 20.0 => "map-q1",
        Some(v) if v < 30.0 => "map-q2",
        Some(v) if v < 40.0 => "map-q3",
        Some(_) => "map-q4",
    }
}

const CLASSES: [(&str, &str); 6] =
    [("map-q0", "unter 10 %"), ("map-q1", "10 bis unter 20 %"), ("map-q2", "20 bis unter 30 %"), ("map-q3", "30 bis unter 40 %"), ("map-q4", "40 % und mehr"), ("map-none", "keine Angabe (< 3 Kommunen)")];

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
            q.push(format!("themenfeld={}", crate::register::pages::urlencode(tf)));
        }
        if let Some(l) = &lb.slice.lage {
            q.push(format!("lage={}", crate::register::pages::urlencode(l)));
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
        {lb.parent.clone().map(|(k, n)| view! { <p><a href=format!("/lagebild?gebiet={}", crate::lagebild::model::base_key(&k))>{format!("Zurück zu {n}")}</a></p> })}
        // With JavaScript the filter navigates in the page (client-side routing); without, it is a
        // plain GET form.
        <Form method="get" action="/lagebild" noscroll=true attr:class="filter-form">
            <input type="hidden" name="gebiet" value=gebiet_field/>
            <ChoiceField id="lb-themenfeld" name="themenfeld" label="Themenfeld" all="alle Themenfelder" options=tf_options chosen=chosen_tf/>
            <ChoiceField id="lb-lage" name="lage" label="Lebens- bzw. Unternehmenslage" all="alle Lagen" options=lage_options chosen=chosen_lage/>
            <div class="field">
                <label for="lb-ozg">"OZG-ID (optional)"</label>
                <input id="lb-ozg" name="ozg_id" inputmode="numeric" maxlength="8" value=chosen_ozg/>
            </div>
            <div class="field checkbox">
                <input id="lb-fokus" type="checkbox" name="fokus" value="true" checked=chosen_focus/>
                <label for="lb-fokus">"nur Fokusleistungen"</label>
            </div>
            <button type="submit">"Anzeigen"</button>
        </Form>

        <section aria-labelledby="lb-kennzahlen">
            <h2 id="lb-kennzahlen">"Kennzahlen"</h2>
            {f.suppressed.then(|| view! { <p class="hint">{format!("In diesem Gebiet liegen weniger als {t} Kommunen; die Werte werden nicht ausgewiesen.")}</p> })}
            <dl class="figures">
                <div><dt>"Online-Quote"</dt><dd>{share(&f, f.online, f.responsible, t)}</dd>
                    <dd class="hint">{format!("{} von {} Kommune-Leistung-Paaren online", count(f.online, f.suppressed, t), count(f.responsible, f.suppressed, t))}</dd></div>
                <div><dt>"Flächendeckend online"</dt><dd>{format!("{} von {} Leistungen", count(f.flaechendeckend, f.suppressed, t), f.services)}</dd></div>
                <div><dt>"In mindestens einer Kommune online"</dt><dd>{format!("{} von {} Leistungen", count(f.mindestens_eine, f.suppressed, t), f.services)}</dd></div>
                <div><dt>"Bevölkerungsabdeckung"</dt><dd>{share(&f, f.population_online, f.population_responsible, t)}</dd></div>
                <div><dt>"Reifegrad ≥ 2 (Modell 1.1)"</dt><dd>{share(&f, f.reifegrad_2, f.responsible, t)}</dd></div>
                <div><dt>"Reifegrad ≥ 3 (Modell 1.1, OZG-konform)"</dt><dd>{share(&f, f.reifegrad_3, f.responsible, t)}</dd></div>
                <div><dt>"EfA-Nachnutzungen"</dt><dd>{count(f.efa, f.suppressed, t)}</dd></div>
                <div><dt>"Kommunen im Gebiet"</dt><dd>{format_number(f.kommunen)}</dd></div>
                <div><dt>{format!("Meldelücken (seit {} Tagen ohne Änderung)", crate::lagebild::model::GAP_DAYS)}</dt><dd>{count(f.stale_kommunen, f.suppressed, t)}</dd></div>
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
                    <div class="table-wrap" role="region" aria-labelledby="lb-m11-caption" tabindex="0">
                        <table class="compact">
                            <caption id="lb-m11-caption">"Reifegradmodell 1.1"</caption>
                            <thead><tr>{(0..5).map(|l| view! { <th scope="col">{format!("Stufe {l}")}</th> }).collect_view()}</tr></thead>
                            <tbody><tr>{m11.iter().map(|n| view! { <td>{format_number(*n)}</td> }).collect_view()}</tr></tbody>
                        </table>
                    </div>
                    <div class="table-wrap" role="region" aria-labelledby="lb-m20-caption" tabindex="0">
                        <table class="compact">
                            <caption id="lb-m20-caption">"Reifegradmodell 2.0"</caption>
                            <thead><tr>{(0..8).map(|l| view! { <th scope="col">{format!("Stufe {l}")}</th> }).collect_view()}</tr></thead>
                            <tbody><tr>{m20.iter().map(|n| view! { <td>{format_number(*n)}</td> }).collect_view()}</tr></tbody>
                        </table>
                    </div>
                </section>
            }
        })}

        {(!v.services.is_empty()).then(|| view! { <ServiceTable rows=v.services.clone() t/> })}

        <section aria-labelledby="lb-efa">
            <h2 id="lb-efa">"EfA-Nachnutzung"</h2>
            {if v.efa.is_empty() {
                view! { <p>"In diesem Gebiet und dieser Auswahl ist keine Nachnutzung einer EfA-Leistung erfasst."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" role="region" aria-labelledby="lb-efa-caption" tabindex="0">
                        <table>
                            <caption id="lb-efa-caption">"Nachgenutzte EfA-Leistungen und wo"</caption>
                            <thead><tr><th scope="col">"OZG-Leistung"</th><th scope="col">"EfA-Leistung"</th><th scope="col">"Kommunen"</th><th scope="col">"Kreise"</th></tr></thead>
                            <tbody>
                                {v.efa.iter().map(|e| view! {
                                    <tr>
                                        <th scope="row">{format!("{} ({})", e.name, e.ozg_id)}</th>
                                        <td>{e.service.clone()}</td>
                                        <td>{count(e.kommunen, e.kommunen.is_none(), t)}</td>
                                        <td>{if e.kreise.is_empty() { "–".to_string() } else { e.kreise.join(", ") }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {(whole_catalogue && v.efa_total > v.efa.len()).then(|| view! {
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
                    <AreaTable rows=parts.clone() caption t query=slice_query.clone()/>
                </section>
            }
        })}

        <section aria-labelledby="lb-themenfelder">
            <h2 id="lb-themenfelder">"Themenfelder"</h2>
            <ThemenfeldTable rows=lb.themenfelder.clone() t/>
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
                {DEFINITIONS.iter().map(|(term, text)| view! { <dt>{*term}</dt><dd>{text.replace("< 3", &format!("< {t}"))}</dd> }).collect_view()}
            </dl>
            <p class="hint">"Grundlage sind die Einträge der Kommunen im Leistungsregister dieses Portals. Die Kennzahlen werden mit jeder Änderung im Register fortgeschrieben."</p>
        </section>
    }
}

/// Umsetzungsstand as horizontal bars, each labelled with its count and share (no colour code).
#[component]
fn StageChart(stages: Vec<i64>, total: i64) -> impl IntoView {
    const W: f64 = 640.0;
    const LABEL: f64 = 130.0;
    const ROW: f64 = 28.0;
    let h = ROW * stages.len() as f64 + 8.0;
    let max = stages.iter().copied().max().unwrap_or(1).max(1) as f64;
    let bar_w = W - LABEL - 150.0;
    let desc = stages
        .iter()
        .zip(STAGE_LABELS)
        .map(|(n, l)| format!("{l}: {} ({})", format_number(*n), pct(AreaFigures::share(Some(*n), Some(total)))))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <section aria-labelledby="lb-stand">
            <h2 id="lb-stand">"Umsetzungsstand"</h2>
            <figure class="chart">
                <svg viewBox=format!("0 0 {W} {h}") role="img" aria-labelledby="lb-stand-titel lb-stand-beschreibung" class="chart-svg" focusable="false">
                    <title id="lb-stand-titel">"Kommune-Leistung-Paare je Umsetzungsstand"</title>
                    <desc id="lb-stand-beschreibung">{format!("Balkendiagramm. {desc}. Die Werte stehen auch in der Tabelle.")}</desc>
                    {stages.iter().zip(STAGE_LABELS).enumerate().map(|(i, (n, l))| {
                        let y = 4.0 + ROW * i as f64;
                        let w = bar_w * *n as f64 / max;
                        view! {
                            <text x=LABEL - 8.0 y=y + 17.0 text-anchor="end" class="chart-label">{l}</text>
                            <rect x=LABEL y=y + 4.0 width=format!("{w:.1}") height="18" class=format!("bar bar-{i}")/>
                            <text x=LABEL + w + 6.0 y=y + 17.0 class="chart-label">{format!("{} ({})", format_number(*n), pct(AreaFigures::share(Some(*n), Some(total))))}</text>
                        }
                    }).collect_view()}
                </svg>
            </figure>
            <div class="table-wrap" role="region" aria-labelledby="lb-stand-caption" tabindex="0">
                <table class="compact">
                    <caption id="lb-stand-caption">"Umsetzungsstand als Tabelle"</caption>
                    <thead><tr><th scope="col">"Umsetzungsstand"</th><th scope="col">"Kommune-Leistung-Paare"</th><th scope="col">"Anteil"</th></tr></thead>
                    <tbody>
                        {stages.iter().zip(STAGE_LABELS).map(|(n, l)| view! {
                            <tr><th scope="row">{l}</th><td>{format_number(*n)}</td><td>{pct(AreaFigures::share(Some(*n), Some(total)))}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The Kreise coloured (and hatched) by their online share; each region is a link to the Kreis.
#[component]
fn KreisMap(shapes: Vec<MapShape>, height: f64, parts: Vec<AreaFigures>, query: String) -> impl IntoView {
    let figure_of = move |area: &str| parts.iter().find(|p| crate::lagebild::model::base_key(&p.area) == area).cloned();
    let regions: Vec<(MapShape, Option<AreaFigures>)> = shapes.into_iter().map(|s| {
        let f = figure_of(&s.area);
        (s, f)
    }).collect();
    view! {
        <figure class="map">
            <svg viewBox=format!("0 0 {} {height:.0}", crate::lagebild::model::MAP_WIDTH) class="map-svg" role="group" aria-labelledby="lb-karte-titel">
                <title id="lb-karte-titel">"Karte der Kreise: Online-Quote"</title>
                <defs>
                    <pattern id="hatch-1" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0,6 L6,0" class="hatch"/></pattern>
                    <pattern id="hatch-2" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0,6 L6,0 M0,0 L6,6" class="hatch"/></pattern>
                    <pattern id="hatch-none" width="8" height="8" patternUnits="userSpaceOnUse"><circle cx="4" cy="4" r="1.2" class="hatch-dot"/></pattern>
                </defs>
                {regions.into_iter().map(|(s, f)| {
                    let class = class_of(f.as_ref());
                    let label = match &f {
                        Some(f) if !f.suppressed => format!("{}: Online-Quote {}", s.name, pct(f.online_share())),
                        _ => format!("{}: keine Angabe", s.name),
                    };
                    let href = format!("/lagebild?gebiet={}{}", s.area, if query.is_empty() { String::new() } else { format!("&{query}") });
                    let title = label.clone();
                    // Inside <g> the macro knows that <a> is SVG's link (a separate view! would make
                    // it an HTML element when rendered in the browser).
                    view! {
                        <g>
                            <a href=href aria-label=label class="map-region">
                                <path d=s.path.clone() class=format!("region {class}") fill-rule="evenodd"><title>{title}</title></path>
                                <path d=s.path class=format!("region-overlay {class}") fill-rule="evenodd" aria-hidden="true"/>
                            </a>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend map-legend">
                    {CLASSES.iter().map(|(c, l)| view! {
                        <li><svg width="28" height="16" aria-hidden="true"><rect width="28" height="16" class=format!("region {c}")/><rect width="28" height="16" class=format!("region-overlay {c}")/></svg>" " {*l}</li>
                    }).collect_view()}
                </ul>
                <p class="hint">"Ein Klick auf einen Kreis (oder die Tabelle darunter) zeigt seine Kennzahlen. "
                    "Verwaltungsgrenzen: © " <a href="https://www.bkg.bund.de">"GeoBasis-DE / BKG"</a> " 2021 (Daten verändert), "
                    <a href="https://www.govdata.de/dl-de/by-2-0">"dl-de/by-2-0"</a>"."</p>
            </figcaption>
        </figure>
    }
}

#[component]
fn AreaTable(rows: Vec<AreaFigures>, caption: &'static str, t: i64, query: String) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" aria-labelledby="lb-areas-caption" tabindex="0">
            <table>
                <caption id="lb-areas-caption">{caption}</caption>
                <thead><tr>
                    <th scope="col">"Gebiet"</th><th scope="col">"Kommunen"</th><th scope="col">"Online-Quote"</th>
                    <th scope="col">"flächendeckend"</th><th scope="col">"in mind. einer Kommune"</th>
                    <th scope="col">"Bevölkerungsabdeckung"</th><th scope="col">"Reifegrad ≥ 3"</th><th scope="col">"Meldelücken"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|f| {
                        let href = format!("/lagebild?gebiet={}{}", crate::lagebild::model::base_key(&f.area), if query.is_empty() { String::new() } else { format!("&{query}") });
                        view! {
                            <tr>
                                <th scope="row"><a href=href>{f.name.clone()}</a></th>
                                <td>{format_number(f.kommunen)}</td>
                                <td>{share(&f, f.online, f.responsible, t)}</td>
                                <td>{count(f.flaechendeckend, f.suppressed, t)}</td>
                                <td>{count(f.mindestens_eine, f.suppressed, t)}</td>
                                <td>{share(&f, f.population_online, f.population_responsible, t)}</td>
                                <td>{share(&f, f.reifegrad_3, f.responsible, t)}</td>
                                <td>{count(f.stale_kommunen, f.suppressed, t)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ThemenfeldTable(rows: Vec<(String, AreaFigures)>, t: i64) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" aria-labelledby="lb-tf-caption" tabindex="0">
            <table>
                <caption id="lb-tf-caption">"Kennzahlen je Themenfeld"</caption>
                <thead><tr>
                    <th scope="col">"Themenfeld"</th><th scope="col">"Leistungen"</th><th scope="col">"Online-Quote"</th>
                    <th scope="col">"flächendeckend"</th><th scope="col">"in mind. einer Kommune"</th><th scope="col">"Reifegrad ≥ 3"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(name, f)| view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td>{format_number(f.services)}</td>
                            <td>{share(&f, f.online, f.responsible, t)}</td>
                            <td>{count(f.flaechendeckend, f.suppressed, t)}</td>
                            <td>{count(f.mindestens_eine, f.suppressed, t)}</td>
                            <td>{share(&f, f.reifegrad_3, f.responsible, t)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn month_label(m: &str) -> String {
    match m.split_once('-') {
        Some((y, mo)) => format!("{mo}/{y}"),
        None => m.to_string(),
    }
}

fn hours(v: Option<f64>, hidden: bool, t: i64) -> String {
    match v {
        _ if hidden => format!("< {t}"),
        Some(h) => format!("{h:.1} h").replace('.', ","),
        None => "–".to_string(),
    }
}

/// One table of case figures (months, categories or Kreise).
#[component]
fn CaseTable(rows: Vec<CaseRow>, caption: String, first: &'static str, id: &'static str, t: i64) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" aria-labelledby=id tabindex="0">
            <table class="compact">
                <caption id=id>{caption}</caption>
                <thead><tr>
                    <th scope="col">{first}</th><th scope="col">"Fälle"</th><th scope="col">"Median bis zur ersten Antwort"</th>
                    <th scope="col">"erste Antwort in Frist"</th><th scope="col">"Median bis zur Lösung"</th><th scope="col">"Lösung in Frist"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.label.clone()}</th>
                            <td>{count(r.cases, r.hidden, t)}</td>
                            <td>{hours(r.median_response_hours, r.hidden, t)}</td>
                            <td>{if r.hidden { format!("< {t}") } else { pct(AreaFigures::share(r.responded_in_time, r.responded)) }}</td>
                            <td>{hours(r.median_solution_hours, r.hidden, t)}</td>
                            <td>{if r.hidden { format!("< {t}") } else { pct(AreaFigures::share(r.solved_in_time, r.solved)) }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Statistics of the Beratungsfälle: counts and durations only.
#[component]
fn CaseSection(c: CaseStatsView, t: i64) -> impl IntoView {
    let months: Vec<CaseRow> = c.months.iter().map(|r| CaseRow { label: month_label(&r.label), ..r.clone() }).collect();
    let mut total = c.total.clone();
    total.label = "alle Fälle".into();
    view! {
        <section aria-labelledby="lb-beratung">
            <h2 id="lb-beratung">"Beratung"</h2>
            <p class="hint">{format!(
                "Beratungsfälle der letzten 12 Monate – nur Anzahlen und Dauern. Dauern in Arbeitsstunden nach dem Arbeitszeitkalender der Beratung (Zeit, in der auf die Kommune gewartet wurde, zählt bei der Lösung nicht); »in Frist«: Anteil der beantworteten bzw. gelösten Fälle, die ihr Serviceziel einhielten. Stand: {}.",
                data_date(&c.stand)
            )}</p>
            <CaseTable rows=vec![total] caption="Beratungsfälle insgesamt".to_string() first="Zeitraum" id="lb-cases-total" t/>
            <CaseTable rows=months caption="Beratungsfälle je Monat".to_string() first="Monat" id="lb-cases-months" t/>
            <CaseTable rows=c.categories.clone() caption="Beratungsfälle je Kategorie".to_string() first="Kategorie" id="lb-cases-categories" t/>
            {(!c.parts.is_empty()).then(|| view! { <CaseTable rows=c.parts.clone() caption="Beratungsfälle je Kreis".to_string() first="Kreis" id="lb-cases-kreise" t/> })}
            {(!c.top_ozg.is_empty()).then(|| view! {
                <h3>"OZG-Leistungen mit den meisten Beratungsfällen"</h3>
                <ol>{c.top_ozg.iter().map(|(id, name, n)| view! { <li>{format!("{name} ({id}): {} Fälle", format_number(*n))}</li> }).collect_view()}</ol>
            })}
        </section>
    }
}

/// Online-Quote and OZG-konform-Quote at each month's end as lines (different dash and marker),
/// with every figure of each month as tables (the distributions behind a disclosure).
#[component]
fn TrendChart(stand: String, points: Vec<TrendPoint>, services: i64, t: i64) -> impl IntoView {
    let online: Vec<Option<f64>> = points.iter().map(|p| AreaFigures::share(p.online, p.responsible)).collect();
    let r3: Vec<Option<f64>> = points.iter().map(|p| AreaFigures::share(p.reifegrad_3, p.responsible)).collect();
    let withheld = points.iter().filter(|p| p.suppressed).count();
    let desc = match points.last() {
        Some(p) => format!(
            "Liniendiagramm über {} Monate{}. Ende {}: Online-Quote {}, OZG-konform {}. Die Werte stehen in der Tabelle unter dem Diagramm.",
            points.len(),
            if withheld > 0 { format!(", {withheld} davon ohne Angabe (< {t} Kommunen)") } else { String::new() },
            month_label(&p.month),
            if p.suppressed { format!("< {t}") } else { pct(AreaFigures::share(p.online, p.responsible)) },
            if p.suppressed { format!("< {t}") } else { pct(AreaFigures::share(p.reifegrad_3, p.responsible)) },
        ),
        None => "Keine Daten.".into(),
    };
    let share = move |p: &TrendPoint, part: Option<i64>, whole: Option<i64>| if p.suppressed { format!("< {t}") } else { pct(AreaFigures::share(part, whole)) };
    let of = move |p: &TrendPoint, v: Option<i64>| if p.suppressed { format!("< {t}") } else { format!("{} von {services}", count(v, false, t)) };
    let dist = |caption: &'static str, id: &'static str, labels: Vec<String>, pick: fn(&TrendPoint) -> Option<&Vec<i64>>| {
        let labels_head = labels.clone();
        view! {
            <div class="table-wrap" role="region" aria-labelledby=id tabindex="0">
                <table class="compact">
                    <caption id=id>{caption}</caption>
                    <thead><tr>
                        <th scope="col">"Monat"</th>
                        {labels_head.into_iter().map(|l| view! { <th scope="col">{l}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {points.iter().map(|p| {
                            let cells: Vec<String> = (0..labels.len()).map(|i| match pick(p) { Some(v) => format_number(v.get(i).copied().unwrap_or(0)), None => format!("< {t}") }).collect();
                            view! { <tr><th scope="row">{month_label(&p.month)}</th>{cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };
    let stages = dist("Umsetzungsstand je Monat (Kommune-Leistung-Paare)", "lb-verlauf-stufen", STAGE_LABELS.iter().map(|l| l.to_string()).collect(), |p| p.stages.as_ref());
    let m11 = dist("Reifegradmodell 1.1 je Monat (Kommune-Leistung-Paare)", "lb-verlauf-m11", (0..5).map(|l| format!("Stufe {l}")).collect(), |p| p.model_11.as_ref());
    let m20 = dist("Reifegradmodell 2.0 je Monat (Kommune-Leistung-Paare)", "lb-verlauf-m20", (0..8).map(|l| format!("Stufe {l}")).collect(), |p| p.model_20.as_ref());
    view! {
        <section aria-labelledby="lb-verlauf">
            <h2 id="lb-verlauf">"Verlauf"</h2>
            <p class="hint">{format!(
                "Dieselben Kennzahlen zum Ende jedes Monats, aus dem Verlauf der Registereinträge berechnet (Stand: {}). Der laufende Monat zeigt den Stand dieser Berechnung. Zellen mit weniger als {t} zuständigen Kommunen bleiben in jedem Monat außen vor.",
                data_date(&stand)
            )}</p>
            <MonthLines
                id="lb-verlauf"
                title="Online-Quote und OZG-konforme Quote je Monat"
                desc=desc
                months=points.iter().map(|p| p.month.clone()).collect()
                first=online
                second=r3
                first_label="Online-Quote"
                second_label="Reifegrad ≥ 3 (Modell 1.1)"
            />
            <div class="table-wrap" role="region" aria-labelledby="lb-verlauf-tabelle" tabindex="0">
                <table class="compact">
                    <caption id="lb-verlauf-tabelle">"Verlauf je Monat als Tabelle"</caption>
                    <thead><tr>
                        <th scope="col">"Monat"</th><th scope="col">"Online-Quote"</th><th scope="col">"flächendeckend online"</th>
                        <th scope="col">"in mindestens einer Kommune online"</th><th scope="col">"Bevölkerungsabdeckung"</th>
                        <th scope="col">"Reifegrad ≥ 2"</th><th scope="col">"Reifegrad ≥ 3"</th><th scope="col">"EfA-Nachnutzungen"</th>
                    </tr></thead>
                    <tbody>
                        {points.iter().map(|p| view! {
                            <tr>
                                <th scope="row">{month_label(&p.month)}</th>
                                <td>{share(p, p.online, p.responsible)}</td>
                                <td>{of(p, p.flaechendeckend)}</td>
                                <td>{of(p, p.mindestens_eine)}</td>
                                <td>{share(p, p.population_online, p.population_responsible)}</td>
                                <td>{share(p, p.reifegrad_2, p.responsible)}</td>
                                <td>{share(p, p.reifegrad_3, p.responsible)}</td>
                                <td>{count(p.efa, p.suppressed, t)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <details class="trend-more">
                <summary>"Umsetzungsstand und Reifegrade je Monat"</summary>
                {stages}
                {m11}
                {m20}
            </details>
        </section>
    }
}

/// Each OZG-Leistung of a narrower slice in the area.
#[component]
fn ServiceTable(rows: Vec<ServiceFigures>, t: i64) -> impl IntoView {
    view! {
        <section aria-labelledby="lb-leistungen">
            <h2 id="lb-leistungen">"Verfügbarkeit je OZG-Leistung"</h2>
            <div class="table-wrap" role="region" aria-labelledby="lb-leistungen-caption" tabindex="0">
                <table>
                    <caption id="lb-leistungen-caption">"OZG-Leistungen der Auswahl"</caption>
                    <thead><tr>
                        <th scope="col">"OZG-ID"</th><th scope="col">"Leistung"</th><th scope="col">"zuständige Kommunen"</th>
                        <th scope="col">"davon online"</th><th scope="col">"Anteil"</th><th scope="col">"flächendeckend"</th>
                        <th scope="col">"Reifegrad ≥ 3"</th><th scope="col">"Bevölkerungsabdeckung"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let withheld = format!("< {t}");
                            view! {
                                <tr>
                                    <td class="mono">{r.ozg_id.clone()}</td>
                                    <th scope="row">{r.name.clone()}</th>
                                    <td>{count(r.responsible, r.suppressed, t)}</td>
                                    <td>{count(r.online, r.suppressed, t)}</td>
                                    <td>{if r.suppressed { withheld.clone() } else { pct(AreaFigures::share(r.online, r.responsible)) }}</td>
                                    <td>{match r.flaechendeckend { Some(true) => "ja".to_string(), Some(false) => "nein".to_string(), None => withheld.clone() }}</td>
                                    <td>{count(r.reifegrad_3, r.suppressed, t)}</td>
                                    <td>{if r.suppressed { withheld } else { pct(AreaFigures::share(r.population_online, r.population_responsible)) }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// A select of one filter: "all" or one of the options.
#[component]
fn ChoiceField(id: &'static str, name: &'static str, label: &'static str, all: &'static str, options: Vec<String>, chosen: Option<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                <option value="" selected=chosen.is_none()>{all}</option>
                {options.into_iter().map(|o| {
                    let selected = chosen.as_deref() == Some(o.as_str());
                    let text = o.clone();
                    view! { <option value=o selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
