//! A solved case becomes an article draft in one step (`/wissen/neu?fall=…`): the question and
//! the Land's public answers as the starting text. The Kommune's name and the names and addresses of everyone in
//! the case are left out (replaced by "[…]"); the advisor adds what they want to keep.

use super::store::ArticleInput;
use crate::core::entities::{app_user, case_message, case_ozg, organisation, support_case};
use crate::error::AppError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// What stands for a left-out name.
pub const LEFT_OUT: &str = "[…]";

/// `text` without any of `names` (longest first, ignoring case).
pub fn without_names(text: &str, names: &[String]) -> String {
    let mut names: Vec<&String> = names.iter().filter(|n| n.chars().count() >= 3).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let mut out = text.to_string();
    for n in names {
        let lower = out.to_lowercase();
        let needle = n.to_lowercase();
        if lower.len() != out.len() {
            // Lower-casing changed byte lengths (rare letters): replace the exact spelling only.
            out = out.replace(n.as_str(), LEFT_OUT);
            continue;
        }
        let mut result = String::with_capacity(out.len());
        let mut last = 0;
        for (at, _) in lower.match_indices(&needle) {
            if at >= last {
                result.push_str(&out[last..at]);
                result.push_str(LEFT_OUT);
                last = at + needle.len();
            }
        }
        result.push_str(&out[last..]);
        out = result;
    }
    out
}

/// The forms of an organisation's or person's name to leave out: the whole, the part before a
/// comma ("Magdeburg, Landeshauptstadt"), and a person's last name.
fn forms(name: &str, person: bool) -> Vec<String> {
    let mut v = vec![name.trim().to_string()];
    if let Some((head, _)) = name.split_once(',') {
        v.push(head.trim().to_string());
    }
    if person && let Some(last) = name.split_whitespace().last() {
        v.push(last.to_string());
    }
    v
}

/// The starting text of an article from a solved (or closed) case.
#[tracing::instrument(skip_all)]
pub async fn starting_text(db: &impl ConnectionTrait, case_id: i64) -> Result<ArticleInput, AppError> {
    let c = support_case::Entity::find_by_id(case_id).one(db).await?.ok_or(AppError::NotFound)?;
    if !["solved", "closed"].contains(&c.status.as_str()) {
        return Err(AppError::Conflict("Nur aus einem gelösten oder geschlossenen Fall wird ein Artikelentwurf.".into()));
    }
    let messages = case_message::Entity::find()
        .filter(case_message::Column::CaseId.eq(case_id))
        .filter(case_message::Column::Internal.eq(false))
        .order_by_asc(case_message::Column::CreatedAt)
        .all(db)
        .await?;
    let mut names = Vec::new();
    for org in [Some(c.organisation_id.clone()), c.acting_org_id.clone()].into_iter().flatten() {
        if let Some(o) = organisation::Entity::find_by_id(org).one(db).await? {
            names.extend(forms(&o.name, false));
        }
    }
    let mut people: Vec<String> = messages.iter().filter_map(|m| m.author_user_id.clone()).collect();
    people.extend([Some(c.created_by.clone()), c.owner_id.clone()].into_iter().flatten());
    people.sort();
    people.dedup();
    for u in app_user::Entity::find().filter(app_user::Column::Id.is_in(people)).all(db).await? {
        names.extend(forms(&u.name, true));
        names.push(u.email);
    }
    let mut body = format!("## Frage\n\n{}\n\n## Antwort\n\n", c.description.trim());
    let answers: Vec<&str> = messages.iter().filter(|m| m.author_side == "land").map(|m| m.body.trim()).collect();
    body.push_str(&if answers.is_empty() { "(Bitte die Antwort ergänzen.)".to_string() } else { answers.join("\n\n") });
    let ozg_ids = case_ozg::Entity::find().filter(case_ozg::Column::CaseId.eq(case_id)).all(db).await?.into_iter().map(|o| o.ozg_id).collect();
    let title: String = without_names(&c.subject, &names).chars().take(200).collect();
    Ok(ArticleInput {
        summary: format!("Antwort der Landesberatung auf die Frage »{}«.", title).chars().take(500).collect(),
        title: if title.chars().count() < 3 { "Frage aus der Beratung".into() } else { title },
        body: without_names(&body, &names),
        category: "Aus der Beratung".into(),
        tags: String::new(),
        audience: Some(crate::knowledge::model::Audience::Kommunen),
        ozg_ids,
        themenfelder: Vec::new(),
        version: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_left_out_whatever_their_case() {
        let names: Vec<String> = [forms("Magdeburg, Landeshauptstadt", false), forms("Erika Mustermann", true), vec!["erika@magdeburg.example".into()]].concat();
        let t = without_names("Die Stadt MAGDEBURG fragt (Frau Mustermann, erika@magdeburg.example): Erika Mustermann schreibt.", &names);
        assert_eq!(t, "Die Stadt […] fragt (Frau […], […]): […] schreibt.");
    }
}
