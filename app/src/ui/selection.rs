//! The choice of a selection of Kommunen (all, Kreise, kinds, an association's members, those
//! where an OZG-Leistung is not yet online): one set of fields for every form that addresses
//! Kommunen. It sends `target`, one `wahl[…]` per chosen Kreis or kind, and `wert`.

use crate::error::AppError;
use crate::identity::OrgKind;
use crate::ui::forms::{FieldBox, FieldSet, kept, kept_checked};
use crate::vocabulary::announcements::Target;
use leptos::prelude::*;

#[component]
pub fn TargetChoice(
    #[prop(into)] legend: String,
    /// (key, name) of the Landkreise.
    kreise: Vec<(String, String)>,
    error: Signal<Option<AppError>>,
    /// The answer whose submitted values the fields keep, where it is not `error` (a preview
    /// keeps the values without being an error to show).
    #[prop(optional)]
    submitted: Option<Signal<Option<AppError>>>,
) -> impl IntoView {
    let error_shown = error;
    let error = submitted.unwrap_or(error);
    view! {
        <FieldSet legend names=&["target", "value"] error=error_shown>
            {Target::ALL.iter().map(|t| {
                let id = format!("ziel-{}", t.code());
                view! {
                    <div class="checkbox-field">
                        <input type="radio" id=id.clone() name="target" value=t.code() checked=kept_checked(error, "target", t.code(), *t == Target::All)/>
                        <label for=id>{t.label()}</label>
                    </div>
                }
            }).collect_view()}
            <details>
                <summary>"Kreise auswählen (bei »Kommunen in bestimmten Kreisen«)"</summary>
                <div class="checkbox-columns">
                    {kreise.iter().enumerate().map(|(i, (key, name))| {
                        let id = format!("kreis-{key}");
                        view! { <div class="checkbox-field"><input type="checkbox" id=id.clone() name=format!("wahl[k{i}]") value=key.clone() checked=kept_checked(error, &format!("wahl[k{i}]"), key, false)/><label for=id>{name.clone()}</label></div> }
                    }).collect_view()}
                </div>
            </details>
            <details>
                <summary>"Arten auswählen (bei »bestimmte Arten von Kommunen«)"</summary>
                {OrgKind::KOMMUNEN.iter().enumerate().map(|(i, k)| {
                    let id = format!("art-{}", k.code());
                    view! { <div class="checkbox-field"><input type="checkbox" id=id.clone() name=format!("wahl[a{i}]") value=k.code() checked=kept_checked(error, &format!("wahl[a{i}]"), k.code(), false)/><label for=id>{k.plural()}</label></div> }
                }).collect_view()}
            </details>
            <FieldBox name="wert" label="Spitzenverband (SGSA oder LKT) oder OZG-ID (bei den letzten beiden Auswahlen)"><input id="feld-wert" name="wert" maxlength="20" value=kept(error, "wert", "")/></FieldBox>
        </FieldSet>
    }
}
