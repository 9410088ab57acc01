//! Nothing acknowledged is lost: 20 times `serve` is killed with SIGKILL while clients write
//! (new cases, replies, register saves) and started again; every write answered with success is
//! then in the database. The check itself is shown to notice a missing write.

use crate::common::fresh_db;
use server::bench::durability::{self, Ack};

#[tokio::test]
async fn twenty_sigkills_while_writing_lose_no_acknowledged_write() {
    let t = fresh_db().await;
    let plan = durability::prepare(&t.url).await.expect("prepare");
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_server"));
    let report = durability::cycles(exe, &t.url, &plan, 20, 2, |_, _| {}).await.expect("cycles");
    assert_eq!(report.cycles, 20);
    // Each cycle waited for at least one acknowledged write per writer before the kill.
    assert!(report.acknowledged >= 20 * 6, "writes acknowledged: {}", report.acknowledged);
    assert!(report.server_errors.is_empty(), "{:?}", report.server_errors);
    assert!(report.lost.is_empty(), "lost: {:?}", report.lost);

    // The check notices a write that is not there.
    let db = app::core::db::connect(&t.url).await.expect("connect");
    let invented = [
        Ack::Case { id: 987_654, subject: format!("dauer{}-0-1", plan.tag) },
        Ack::Reply { case_id: 1, body: format!("dauer{}-0-2", plan.tag) },
        Ack::Register { ozg_id: plan.ozg_ids[7].clone(), writer: 7, n: 3 },
    ];
    let lost = durability::missing(&plan, &db, &invented).await.expect("check");
    assert_eq!(lost.len(), 3, "{lost:?}");
}
