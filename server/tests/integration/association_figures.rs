//! The associations' roll-out and funding figures count their members only, as their register
//! figures do: the Städte- und Gemeindebund never reads a Landkreis's connection or money, the
//! Landkreistag never a Gemeinde's, each under the suppression of public figures, and a member's
//! grant reaches its association only in a release among at least the threshold of members.

use crate::common::cases::{HALLE, MAGDEBURG};
use crate::common::funding::{apply, programme};
use crate::common::rollout::seed_rollout;
use crate::common::{TestApp, spawn_with, test_config};
use app::identity::Role;
use serde_json::Value;

const DESSAU: &str = "15001000";
const HARZ: &str = "15085";
const BOERDE: &str = "15083";

async fn figures(app: &TestApp, c: &reqwest::Client, endpoint: &str) -> Value {
    let res = app.server_fn(c, endpoint, &[]).await;
    assert_eq!(res.status(), 200, "{endpoint}");
    res.json().await.expect("json")
}

fn funnel_total(f: &Value) -> i64 {
    f["services"][0]["counts"].as_array().expect("counts").iter().filter_map(Value::as_i64).sum()
}

async fn declare(app: &TestApp, kommune: &str, service: &str) {
    let (clerk, _) = app.signed_in(Role::Clerk, kommune).await;
    let res = app.server_fn(&clerk, "declare_interest", &[("kommune", kommune), ("dienst", service)]).await;
    assert_eq!(res.status(), 200, "{kommune}: {}", res.text().await.unwrap_or_default());
}

async fn grant(app: &TestApp, advisor: &reqwest::Client, kommune: &str, p: i64, euros: &str) {
    let (clerk, _) = app.signed_in(Role::Clerk, kommune).await;
    let (_, id) = apply(app, &clerk, p, kommune, "Vorhaben; 40.000,00", euros).await;
    let id = id.expect("application").to_string();
    for (action, amount) in [("pruefen", ""), ("bewilligen", euros)] {
        let res = app.server_fn(advisor, "funding_step", &[("id", &id), ("aktion", action), ("amount", amount), ("note", "")]).await;
        assert_eq!(res.status(), 200, "{kommune} {action}");
    }
}

#[tokio::test]
async fn each_association_reads_the_rollout_and_funding_of_its_members_only() {
    let app = spawn_with(test_config(), true).await;
    let (sgsa, _) = app.signed_in(Role::Association, "SGSA").await;
    let (lkt, _) = app.signed_in(Role::Association, "LKT").await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;

    // Roll-out: Magdeburg (seed) and Halle are members of the Städte- und Gemeindebund, Harz of
    // the Landkreistag.
    let seed = seed_rollout(&app).await;
    declare(&app, HALLE, &seed.service).await;
    declare(&app, HARZ, &seed.service).await;
    let land = figures(&app, &advisor, "rollout_figures").await;
    assert_eq!(funnel_total(&land), 3);
    let gem = figures(&app, &sgsa, "rollout_figures").await;
    assert_eq!(funnel_total(&gem), 2, "Magdeburg and Halle: {gem}");
    assert!(gem["counted"].as_str().is_some_and(|c| c.contains("Städte- und Gemeindebunds")));
    let lk = figures(&app, &lkt, "rollout_figures").await;
    assert_eq!(funnel_total(&lk), 1, "Harz");
    assert_eq!(lk["services"][0]["kommunen"], 11, "the eleven Landkreise");
    assert!(lk["kreise"].as_array().expect("kreise").iter().all(|k| k["counts"].is_null()), "one Landkreis per Kreis: every Kreis withheld: {}", lk["kreise"]);
    assert_eq!(lk["without"], Value::Null);
    // A Landkreis's step changes nothing the Städte- und Gemeindebund reads.
    declare(&app, BOERDE, &seed.service).await;
    let again = figures(&app, &sgsa, "rollout_figures").await;
    for part in ["services", "kreise", "trend"] {
        assert_eq!(again[part], gem[part], "{part}");
    }
    assert_eq!(funnel_total(&figures(&app, &lkt, "rollout_figures").await), 2);

    // Funding: three members of the Städte- und Gemeindebund are granted money: released among
    // them once the third is; the Landkreis's grant stays with the Land.
    let p = programme(&app, "Digitale Kommune", "1.000.000,00").await;
    grant(&app, &advisor, MAGDEBURG, p, "10.000,00").await;
    grant(&app, &advisor, HALLE, p, "20.000,00").await;
    let before = figures(&app, &sgsa, "funding_figures").await;
    assert!(before["programmes"][0]["committed_cents"].is_null(), "two members: nothing released: {before}");
    grant(&app, &advisor, DESSAU, p, "30.000,00").await;
    grant(&app, &advisor, HARZ, p, "25.000,00").await;
    let gem = figures(&app, &sgsa, "funding_figures").await;
    assert_eq!(gem["programmes"][0]["committed_cents"], 6_000_000, "the three members' grants, not the Landkreis's: {gem}");
    assert_eq!((gem["programmes"][0]["applications"].as_i64(), gem["programmes"][0]["approved"].as_i64()), (Some(3), Some(3)));
    let harz = gem["kreise"].as_array().expect("kreise").iter().find(|k| k["kreis"] == HARZ).expect("Harz");
    assert!(harz["applications"] == 0 || harz["applications"].is_null(), "no Landkreis application counts: {harz}");
    let lk = figures(&app, &lkt, "funding_figures").await;
    assert!(lk["programmes"][0]["committed_cents"].is_null(), "one Landkreis: nothing released among the Landkreise: {lk}");
    assert_eq!(lk["programmes"][0]["applications"], 1);
    assert!(lk["kreise"].as_array().expect("kreise").iter().all(|k| k["approved_cents"].is_null()));
    let land = figures(&app, &advisor, "funding_figures").await;
    assert_eq!(land["programmes"][0]["committed_cents"], 8_500_000);
    assert_eq!(land["counted"], Value::Null);
}
