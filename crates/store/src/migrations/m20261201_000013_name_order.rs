//! People listed in the order readers expect (`Élodie` before `Olu`): each account keeps the
//! sort key of its name (`qobe_domain::collation`), compared byte by byte on both databases.

use qobe_domain::collation::sort_key;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        // PostgreSQL compares text by the server's locale unless told otherwise; the key is made
        // to be compared as bytes, as SQLite does by default.
        let add = match backend {
            DbBackend::Postgres => r#"ALTER TABLE users ADD COLUMN sort_name TEXT COLLATE "C" NOT NULL DEFAULT ''"#,
            _ => "ALTER TABLE users ADD COLUMN sort_name TEXT NOT NULL DEFAULT ''",
        };
        db.execute_raw(Statement::from_string(backend, add)).await?;
        let rows = db.query_all_raw(Statement::from_string(backend, "SELECT id, name FROM users")).await?;
        let update = match backend {
            DbBackend::Postgres => "UPDATE users SET sort_name = $1 WHERE id = $2",
            _ => "UPDATE users SET sort_name = ? WHERE id = ?",
        };
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let name: String = row.try_get("", "name")?;
            db.execute_raw(Statement::from_sql_and_values(backend, update, [sort_key(&name).into(), id.into()]))
                .await?;
        }
        manager.create_index(index("users", &["institution_id", "sort_name"], false)).await
    }
}
