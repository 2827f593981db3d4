//! The database's own description of its tables, on SQLite and PostgreSQL alike.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

/// Every table with its columns in order, each with its type in lower case.
pub async fn columns(conn: &DatabaseConnection) -> BTreeMap<String, Vec<(String, String)>> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        }
        _ => {
            "SELECT m.name AS t, p.name AS c, p.type AS ty FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid"
        }
    };
    let mut tables: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for row in conn.query_all_raw(Statement::from_string(backend, sql)).await.unwrap() {
        let table: String = row.try_get("", "t").unwrap();
        let column: String = row.try_get("", "c").unwrap();
        let kind: String = row.try_get("", "ty").unwrap();
        if table != "seaql_migrations" && !table.starts_with("sqlite_") {
            tables.entry(table).or_default().push((column, kind.to_lowercase()));
        }
    }
    tables
}

/// How many rows `table` holds (a plain table name).
pub async fn count(conn: &DatabaseConnection, table: &str) -> i64 {
    assert!(table.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{table}");
    let backend = conn.get_database_backend();
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    let row = conn.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
    row.try_get("", "n").unwrap()
}

/// The text column `v` of every row `sql` selects.
pub async fn strings(conn: &DatabaseConnection, sql: &str) -> Vec<String> {
    let backend = conn.get_database_backend();
    let rows = conn.query_all_raw(Statement::from_string(backend, sql.to_owned())).await.unwrap();
    rows.iter().map(|row| row.try_get("", "v").unwrap()).collect()
}
