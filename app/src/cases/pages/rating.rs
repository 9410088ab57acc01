//! The rating on a case page: the Kommune's form once the case is solved, and the rating as the
//! Kommune and the Land read it.

use crate::cases::api::RateCase;
use crate::cases::model::{Rating, STAR_WORDS};
use crate::ui::forms::{ErrorSummary, FieldBox, FieldSet, kept, kept_checked};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub(super) fn RatingSection(id: i64, rating: Option<Rating>, may_rate: bool, advisor_view: bool, rate: ServerAction<RateCase>) -> impl IntoView {
    let error = super::action_error(rate);
    if rating.is_none() && !may_rate {
        return ().into_any();
    }
    let stored = rating.as_ref().map(|r| r.stars).unwrap_or_default();
    let comment = rating.as_ref().map(|r| r.comment.clone()).unwrap_or_default();
    let heading = if advisor_view { "Bewertung der Kommune" } else { "Bewertung der Beratung" };
    view! {
        <section aria-labelledby="bewertung-title">
            <h2 id="bewertung-title">{heading}</h2>
            {rating.clone().map(|r| view! {
                <p>
                    <strong>{if advisor_view { "Bewertung: " } else { "Ihre Bewertung: " }}</strong>
                    {Rating::stars_text(r.stars)}
                    {format!(" – am {}{}", r.rated_at, r.rated_by.map(|n| format!(" von {n}")).unwrap_or_default())}
                </p>
                {(!r.comment.is_empty()).then(|| view! { <p class="case-description">{r.comment.clone()}</p> })}
            })}
            {may_rate.then(|| view! {
                <p class="hint">"Ihre Bewertung sieht nur die Landesberatung; andere Kommunen sehen sie nicht. Sie können sie ändern, bis der Fall geschlossen ist."</p>
                <ErrorSummary error/>
                <ActionForm action=rate attr:class="form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <FieldSet legend="Wie hilfreich war die Beratung?" names=&["sterne"] error>
                        {STAR_WORDS.iter().enumerate().map(|(i, word)| {
                            let n = (i + 1).to_string();
                            let field = format!("sterne-{n}");
                            let checked = kept_checked(error, "sterne", &n, usize::from(stored) == i + 1);
                            view! {
                                <div class="checkbox-field">
                                    <input type="radio" id=field.clone() name="sterne" value=n.clone() checked=checked/>
                                    <label for=field>{format!("{n} – {word}")}</label>
                                </div>
                            }
                        }).collect_view()}
                    </FieldSet>
                    <FieldBox name="kommentar" id="bewertung-kommentar" label="Kommentar (freiwillig)" error>
                        <textarea id="bewertung-kommentar" name="kommentar" rows="3" maxlength="2000">{kept(error, "kommentar", comment.clone())}</textarea>
                    </FieldBox>
                    <button type="submit" class="button button-outline">{if stored == 0 { "Bewertung abgeben" } else { "Bewertung ändern" }}</button>
                </ActionForm>
            })}
        </section>
    }
    .into_any()
}
