//! The registry of personal data (`qobe_store::personal_data`) matches the schema: every column
//! that names or identifies a person is listed, and nothing listed is gone.

use crate::support::TestApp;

#[tokio::test]
async fn every_person_column_of_the_schema_is_in_the_registry() {
    let t = TestApp::new().await;
    let tables = crate::support::schema::columns(t.app.store.conn()).await;
    let mut unlisted = Vec::new();
    for (table, columns) in &tables {
        for (column, _) in columns {
            if qobe_store::personal_data::is_person_column(table, column)
                && qobe_store::personal_data::entry(table, column).is_none()
            {
                unlisted.push(format!("{table}.{column}"));
            }
        }
    }
    assert!(unlisted.is_empty(), "person columns missing from the registry of personal data: {unlisted:?}");
    let gone: Vec<String> = qobe_store::personal_data::REGISTRY
        .iter()
        .filter(|e| !tables.get(e.table).is_some_and(|cols| cols.iter().any(|(c, _)| c == e.column)))
        .map(|e| format!("{}.{}", e.table, e.column))
        .collect();
    assert!(gone.is_empty(), "listed but not in the schema: {gone:?}");
    // The rule sees what a person column looks like, so a new one cannot slip in unnoticed.
    let person_columns = tables
        .iter()
        .flat_map(|(t, cols)| cols.iter().map(move |(c, _)| (t, c)))
        .filter(|(t, c)| qobe_store::personal_data::is_person_column(t, c))
        .count();
    assert_eq!(person_columns, qobe_store::personal_data::REGISTRY.len());
}
