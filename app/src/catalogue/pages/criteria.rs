//! Administration: the criteria of the maturity models (Reifegradkriterien).

use crate::catalogue::api::{SaveCriterion, list_criteria};
use crate::ui::auth::RequireRole;
use crate::ui::forms::{ErrorSummary, FieldBox};
use crate::catalogue::model::MaturityCriterion;
use crate::vocabulary::register::MaturityModel;
use crate::error::AppError;
use crate::identity::Role;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminCriteriaPage() -> impl IntoView {
    let save = ServerAction::<SaveCriterion>::new();
    let items = Resource::new(move || save.version().get(), |_| list_criteria());
    view! {
        <Title text="Reifegradkriterien"/>
        <RequireRole roles=vec![Role::Admin]>
            <Criteria items save/>
        </RequireRole>
    }
}

#[component]
fn Criteria(items: Resource<Result<Vec<MaturityCriterion>, AppError>>, save: ServerAction<SaveCriterion>) -> impl IntoView {
    let error = Signal::derive(move || save.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())));
    view! {
        <h1>"Reifegradkriterien"</h1>
        <p>"Eine Leistung kann je Kriterium ihres Reifegradmodells bewertet werden; das niedrigste bewertete Kriterium bestimmt den Reifegrad. \
            Nicht mehr verwendete Kriterien werden bei neuen Bewertungen nicht mehr angeboten, bleiben aber in bestehenden Bewertungen lesbar. \
            Der Kurzname eines Kriteriums ist in Bewertungen, CSV-Dateien und der Schnittstelle gespeichert und kann daher nicht geändert werden."</p>
        <ErrorSummary error/>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match items.await {
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Ok(list) => view! {
                        {[MaturityModel::V1_1, MaturityModel::V2_0].into_iter().map(|m| {
                            let rows: Vec<_> = list.iter().filter(|c| c.model == m).cloned().collect();
                            let caption_id = format!("kriterien-{}", m.code().replace('.', ""));
                            let caption_ref = caption_id.clone();
                            view! {
                                <section aria-labelledby=caption_ref>
                                    <h2 id=caption_id>{format!("Reifegradmodell {}: {} Kriterien, davon {} in Verwendung", m.code(), rows.len(), rows.iter().filter(|c| c.active).count())}</h2>
                                    <ol class="criteria-list">
                                        {rows.into_iter().map(|c| {
                                            let base = format!("k-{}", c.id);
                                            view! {
                                                <li>
                                                    <ActionForm action=save attr:class="criterion-form">
                                                        <input type="hidden" name="id" value=c.id.clone()/>
                                                        <input type="hidden" name="model" value=m.code()/>
                                                        <p class="mono">{format!("Kurzname: {}", c.code)}</p>
                                                        <div class="inline-field">
                                                            <label for=format!("{base}-pos")>"Nr."</label>
                                                            <input id=format!("{base}-pos") name="position" inputmode="numeric" size="3" value=c.position.to_string()/>
                                                        </div>
                                                        <div class="inline-field">
                                                            <label for=format!("{base}-label")>"Bezeichnung"</label>
                                                            <input id=format!("{base}-label") name="label" size="40" value=c.label.clone()/>
                                                        </div>
                                                        <div class="inline-field">
                                                            <label for=format!("{base}-desc")>"Beschreibung"</label>
                                                            <input id=format!("{base}-desc") name="description" size="30" value=c.description.clone().unwrap_or_default()/>
                                                        </div>
                                                        <div class="inline-field checkbox">
                                                            <input id=format!("{base}-active") type="checkbox" name="active" value="ja" checked=c.active/>
                                                            <label for=format!("{base}-active")>"in Verwendung"</label>
                                                        </div>
                                                        <button type="submit" class="button button-small">"Speichern"<span class="visually-hidden">{format!(": {}", c.label)}</span></button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                </section>
                            }
                        }).collect_view()}
                    }.into_any(),
                }
            })}
        </Suspense>
        <section aria-labelledby="neu-title" class="narrow">
            <h2 id="neu-title">"Neues Kriterium"</h2>
            <ActionForm action=save attr:class="form">
                <FieldBox name="model" id="neu-model" label="Reifegradmodell">
                    <select id="neu-model" name="model">
                        <option value="2.0">"2.0"</option>
                        <option value="1.1">"1.1"</option>
                    </select>
                </FieldBox>
                <FieldBox name="code" id="neu-code" label="Kurzname (Kleinbuchstaben, Ziffern, _)"><input id="neu-code" name="code" required/></FieldBox>
                <FieldBox name="label" id="neu-label" label="Bezeichnung"><input id="neu-label" name="label" required/></FieldBox>
                <FieldBox name="description" id="neu-desc" label="Beschreibung (optional)"><textarea id="neu-desc" name="description" rows="2"></textarea></FieldBox>
                <FieldBox name="position" id="neu-pos" label="Nr. (Reihenfolge, 1–999)"><input id="neu-pos" name="position" inputmode="numeric" required/></FieldBox>
                <input type="hidden" name="active" value="ja"/>
                <button type="submit" class="button">"Kriterium anlegen"</button>
            </ActionForm>
        </section>
    }
}
