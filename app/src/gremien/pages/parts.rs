//! Parts of the Gremien's pages used on more than one: the fields of a body and a decision in a
//! list.

use crate::error::AppError;
use crate::gremien::model::{BodyVisibility, DecisionView, GremiumKind};
use crate::ui::forms::FieldBox;
use leptos::prelude::*;

/// The fields of a body, shared by the forms that set one up and change it.
#[component]
pub fn BodyFields(error: Signal<Option<AppError>>, name: String, purpose: String, kind: String, visibility: String) -> impl IntoView {
    view! {
        <FieldBox name="name" id="gremium-name" label="Name" required=true error><input id="gremium-name" name="name" maxlength="200" required value=name/></FieldBox>
        <FieldBox name="purpose" id="gremium-zweck" label="Zweck und Auftrag" required=true error><textarea id="gremium-zweck" name="purpose" rows="4" required>{purpose}</textarea></FieldBox>
        <FieldBox name="kind" id="gremium-art" label="Art" error>
            <select id="gremium-art" name="kind">
                {GremiumKind::ALL.iter().map(|k| view! { <option value=k.code() selected=k.code() == kind>{k.label()}</option> }).collect_view()}
            </select>
        </FieldBox>
        <FieldBox name="visibility" id="gremium-sichtbar" label="Wer sieht das Gremium?" hint="Öffentlich: Name, Zweck, beteiligte Organisationen und öffentliche Beschlüsse für alle; Angemeldete aus Land, Kommunen und Verbänden: dazu die Mitglieder (Partnerorganisationen sehen nur Gremien, denen sie angehören); nur Mitglieder: niemand sonst." error>
            <select id="gremium-sichtbar" name="visibility" aria-describedby="gremium-sichtbar-hinweis">
                {BodyVisibility::ALL.iter().map(|v| view! { <option value=v.code() selected=v.code() == visibility>{v.label()}</option> }).collect_view()}
            </select>
        </FieldBox>
    }
}

/// A decision in a list: reference, title, date and vote.
pub fn decision_item(d: DecisionView) -> impl IntoView {
    view! {
        <li class="article-item">
            <a href=format!("/beschluesse/{}", d.id)>{format!("{}: {}", d.reference, d.title)}</a>
            <p class="hint">{format!("{} · {} · {} · sichtbar für {}", d.gremium, d.day(), d.vote(), d.visibility.label())}</p>
        </li>
    }
}
