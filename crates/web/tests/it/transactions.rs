//! Transactions that read and then write: on SQLite a plain (deferred) transaction fails with
//! "database is locked" when another connection writes between its read and its write, and no
//! waiting helps; the store's transactions take the write lock first, so both writers finish.

use qobe_store::logs::{self, NewAuditEvent};

use crate::support::TestApp;

fn event(action: &str) -> NewAuditEvent<'_> {
    NewAuditEvent {
        institution_id: None,
        actor_id: None,
        actor_email: "system",
        action,
        target: "",
        details: "{}",
        ip: None,
        now: chrono::Utc::now(),
    }
}

#[tokio::test]
async fn a_transaction_that_reads_then_writes_survives_a_write_in_between() {
    let t = TestApp::new().await;
    let store = t.app.store.clone();
    let tx = store.begin().await.unwrap();
    let seen = logs::audit(&tx, None, Some("test."), 1, 10).await.unwrap().total;
    assert_eq!(seen, 0);
    // Another connection writes while the transaction is open.
    let other = tokio::spawn({
        let store = store.clone();
        async move { logs::insert_audit(store.conn(), event("test.other")).await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    logs::insert_audit(&tx, event("test.mine")).await.expect("the transaction's own write");
    qobe_store::commit(tx).await.expect("the commit");
    other.await.unwrap().expect("the other connection's write, after the commit");
    let written = logs::audit(store.conn(), None, Some("test."), 1, 10).await.unwrap();
    let mut actions: Vec<String> = written.items.into_iter().map(|e| e.action).collect();
    actions.sort();
    assert_eq!(actions, ["test.mine", "test.other"]);
}
