//! Lists: a data table with its caption, the filter form above it and the pager below it.
//! Every list of the portal is built from these, so each has a caption, column headers with
//! `scope`, a scrolling region a keyboard can reach, and a search landmark.

use leptos::prelude::*;

/// A column heading (`th scope="col"`); `hidden` ones are read by screen readers only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Col {
    pub label: String,
    pub hidden: bool,
}

impl Col {
    /// A heading only screen readers read (a column of checkboxes, of actions).
    pub fn hidden(label: &str) -> Col {
        Col { label: label.to_string(), hidden: true }
    }
}

impl From<&str> for Col {
    fn from(label: &str) -> Col {
        Col { label: label.to_string(), hidden: false }
    }
}

impl From<String> for Col {
    fn from(label: String) -> Col {
        Col { label, hidden: false }
    }
}

/// Column headings from labels.
pub fn cols<const N: usize>(labels: [&str; N]) -> Vec<Col> {
    labels.into_iter().map(Col::from).collect()
}

/// A table in a region that scrolls on its own (reachable by keyboard, named by the caption),
/// with its caption and column headings; `children` are the rows.
#[component]
pub fn DataTable(
    /// The caption's id, unique on the page.
    #[prop(into)]
    id: String,
    /// What the table shows.
    #[prop(into)]
    caption: String,
    columns: Vec<Col>,
    /// CSS classes of the table (`compact`, `cases`, …; `stacked`: on small screens each row is a
    /// block with its cells under each other, each named by its `data-label`).
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let region_label = id.clone();
    view! {
        <div class="table-wrap" role="region" aria-labelledby=region_label tabindex="0">
            <table class=(!class.is_empty()).then_some(class)>
                <caption id=id>{caption}</caption>
                <thead>
                    <tr>
                        {columns.into_iter().map(|c| if c.hidden {
                            view! { <th scope="col"><span class="visually-hidden">{c.label}</span></th> }.into_any()
                        } else {
                            view! { <th scope="col">{c.label}</th> }.into_any()
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// A filter form: a GET form that is a search landmark with its own name, so the list it
/// filters can be found from the landmarks; `children` are its fields and buttons.
#[component]
pub fn FilterForm(
    #[prop(into)] action: String,
    /// The landmark's name ("Fälle filtern").
    label: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="get" action=action class="filter-form" role="search" aria-label=label>
            {children()}
        </form>
    }
}

/// The filters beyond the first few, behind "Weitere Filter" (a disclosure, so it opens without
/// JavaScript); open by itself when one of them is set, and saying how many are.
#[component]
pub fn MoreFilters(
    /// How many of the fields inside are set.
    active: usize,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="more-filters" open={active > 0}>
            <summary>
                "Weitere Filter"
                {(active > 0).then(|| format!(" ({active} gesetzt)"))}
            </summary>
            <div class="more-filters-fields">{children()}</div>
        </details>
    }
}

/// A labelled choice of a filter: `""` ("alle") first, then each code with its label.
#[component]
pub fn FilterChoice(
    name: &'static str,
    label: &'static str,
    /// `(code, label)` of each option.
    options: Vec<(String, String)>,
    #[prop(into)] current: String,
    #[prop(default = "alle")] all: &'static str,
    /// An option for "none of them" (value `none`), such as "ohne Team".
    #[prop(optional)]
    none: Option<&'static str>,
) -> impl IntoView {
    let id = format!("filter-{name}");
    let none_chosen = current == "none";
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="" selected=current.is_empty()>{all}</option>
                {none.map(|text| view! { <option value="none" selected=none_chosen>{text}</option> })}
                {options.into_iter().map(|(code, text)| {
                    let selected = code == current;
                    view! { <option value=code selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A labelled text field of a filter (search words, a key, a date).
#[component]
pub fn FilterText(
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: String,
    #[prop(default = "text")] kind: &'static str,
    /// `numeric` for keys and ids (a phone shows digits).
    #[prop(optional)]
    inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
) -> impl IntoView {
    let id = format!("filter-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id name=name type=kind inputmode=inputmode maxlength=maxlength value=value/>
        </div>
    }
}

/// The pages of a list: the previous and the next page as links (`href(page)`), and where the
/// reader is. Nothing when there is one page.
#[component]
pub fn Pager(
    page: u64,
    pages: u64,
    href: impl Fn(u64) -> String + 'static,
    /// The navigation's name, when the page has more than one pager.
    #[prop(default = "Seiten")]
    label: &'static str,
    #[prop(default = "Vorherige Seite")] previous: &'static str,
    #[prop(default = "Nächste Seite")] next: &'static str,
) -> impl IntoView {
    (pages > 1).then(|| {
        view! {
            <nav aria-label=label class="pagination">
                <ul>
                    {(page > 1).then(|| view! { <li><a href=href(page - 1) rel="prev">{previous}</a></li> })}
                    <li aria-current="page">{format!("Seite {page} von {pages}")}</li>
                    {(page < pages).then(|| view! { <li><a href=href(page + 1) rel="next">{next}</a></li> })}
                </ul>
            </nav>
        }
    })
}

/// The options of a choice from a list of codes: `(code, label)` of each.
pub fn options<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|&v| (code(v).to_string(), label(v).to_string())).collect()
}

/// The options of a choice whose values are their own labels.
pub fn plain_options(all: &[String]) -> Vec<(String, String)> {
    all.iter().map(|v| (v.clone(), v.clone())).collect()
}

/// What a list or page shows while its data is on the way (the fallback of every `Suspense`).
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p>"Wird geladen …"</p> }
}

/// OZG-Leistungen as people read them, "Elterngeld (10000)", each linking to its page in the
/// register of the Kommune `kommune` (AGS), separated by commas.
#[component]
pub fn ServiceLinks(services: Vec<(String, String)>, kommune: String) -> impl IntoView {
    let n = services.len();
    services
        .into_iter()
        .enumerate()
        .map(|(i, (ozg, name))| {
            let label = if name.is_empty() { ozg.clone() } else { crate::ui::format::service_label(&ozg, &name) };
            view! { <a href=format!("/kommunen/{kommune}/leistungen/{ozg}")>{label}</a>{(i + 1 < n).then_some(", ")} }
        })
        .collect_view()
}
