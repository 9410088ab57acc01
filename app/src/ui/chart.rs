//! Server-rendered SVG charts: a title and description for assistive technology, series told
//! apart by line style and marker shape (not colour alone), each followed by its data table.

use leptos::prelude::*;

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

pub fn pct(n: usize, of: usize) -> f64 {
    if of == 0 { 0.0 } else { 100.0 * n as f64 / of as f64 }
}

pub fn pct_text(v: f64) -> String {
    crate::ui::format::percent(v)
}

pub use crate::ui::format::month as month_long;

/// The top of an axis from zero: the smallest of 1, 2, 2.5 and 5 times a power of ten at or above
/// `max`, so its quarters are round numbers.
fn nice_top(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|m| m * power).find(|t| *t >= max).unwrap_or(10.0 * power)
}

/// Two shares per month end as lines told apart by dash and marker (circle, square), scaled to
/// the data; `months` as `JJJJ-MM`; a month without a value (withheld) leaves a gap in its line.
/// Callers put the same figures in a table beside it.
#[component]
pub fn MonthLines(
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    #[prop(into)] desc: String,
    months: Vec<String>,
    first: Vec<Option<f64>>,
    second: Vec<Option<f64>>,
    #[prop(into)] first_label: String,
    #[prop(into)] second_label: String,
    #[prop(into, optional)] hint: Option<String>,
    /// The unit of the values when they are not percentages ("je 1.000 Einwohner"): the axis is
    /// then scaled to the data from zero.
    #[prop(optional)]
    unit: Option<&'static str>,
) -> impl IntoView {
    let n = months.len().max(1);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x = move |i: usize| if n == 1 { LEFT + plot_w / 2.0 } else { LEFT + plot_w * i as f64 / (n - 1) as f64 };
    let (title_id, desc_id) = (format!("{id}-titel"), format!("{id}-beschreibung"));
    // Scale the y axis to the data (at least 10 %), so early progress stays visible.
    let max = first.iter().chain(second.iter()).flatten().copied().fold(0.0_f64, f64::max);
    let top = match unit {
        None => [10.0, 20.0, 25.0, 50.0, 75.0, 100.0].into_iter().find(|t| *t >= max).unwrap_or(100.0),
        Some(_) => nice_top(max),
    };
    let y = move |v: f64| TOP + plot_h * (1.0 - v / top);
    let path = move |vals: &[Option<f64>]| {
        vals.iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{}{:.1},{:.1}", if i == 0 || vals[i - 1].is_none() { "M" } else { "L" }, x(i), y(v))))
            .collect::<String>()
    };
    let ticks: Vec<f64> = (0..=4).map(|i| top * i as f64 / 4.0).collect();
    let label_every = n.div_ceil(12).max(1);
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=format!("{title_id} {desc_id}") class="chart-svg" focusable="false">
                <title id=title_id.clone()>{title}</title>
                <desc id=desc_id.clone()>{desc}</desc>
                {unit.map(|u| view! { <text x=LEFT y=TOP - 4.0 class="chart-unit">{u}</text> })}
                <g class="chart-grid">
                    {ticks.iter().map(|t| view! {
                        <line x1=LEFT x2=W - RIGHT y1=y(*t) y2=y(*t)/>
                        <text x=LEFT - 6.0 y=y(*t) + 4.0 text-anchor="end">{match unit { None => format!("{t:.0}\u{a0}%"), Some(_) => crate::ui::format::decimal((t * 100.0).round() / 100.0) }}</text>
                    }).collect_view()}
                </g>
                <g class="chart-axis">
                    // The month abbreviated, with its year below the first month and each January.
                    {months.iter().enumerate().filter(|(i, _)| i % label_every == 0 || *i == n - 1).map(|(i, m)| {
                        let year = (i == 0 || m.ends_with("-01")).then(|| m.get(..4).unwrap_or_default().to_string());
                        view! {
                            <text x=x(i) y=H - BOTTOM + 16.0 text-anchor="middle">{crate::ui::format::month_abbr(m)}</text>
                            {year.map(|y| view! { <text x=x(i) y=H - BOTTOM + 31.0 text-anchor="middle">{y}</text> })}
                        }
                    }).collect_view()}
                </g>
                <path d=path(&first) class="series series-online"/>
                <path d=path(&second) class="series series-compliant"/>
                {first.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).map(|(i, v)| view! { <circle cx=x(i) cy=y(v) r="4" class="marker marker-online"/> }).collect_view()}
                {second.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).map(|(i, v)| view! { <rect x=x(i) - 4.0 y=y(v) - 4.0 width="8" height="8" class="marker marker-compliant"/> }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend">
                    <li><svg width="36" height="12" aria-hidden="true"><line x1="0" x2="36" y1="6" y2="6" class="series series-online"/><circle cx="18" cy="6" r="4" class="marker marker-online"/></svg>" " {first_label}</li>
                    <li><svg width="36" height="12" aria-hidden="true"><line x1="0" x2="36" y1="6" y2="6" class="series series-compliant"/><rect x="14" y="2" width="8" height="8" class="marker marker-compliant"/></svg>" " {second_label}</li>
                </ul>
                {hint.map(|h| view! { <p class="hint">{h}</p> })}
            </figcaption>
        </figure>
    }
}
