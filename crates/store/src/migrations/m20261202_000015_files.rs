//! One file store: every stored file is a `files` record (what it is, whose, how big, its
//! checksum) and its bytes sit in the file store (a folder or an S3 bucket), not in the tables
//! that use it. Pictures, logos, CQI evidence and documents move over: their bytes are copied
//! into `files.pending`, the using tables point at the record, and a `files.settle` job, queued
//! here, moves the pending bytes into the file store (a migration does not know where the store
//! is) — until it has, downloads read them from `pending`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Where bytes were kept and what the file record makes of them.
struct Moved {
    table: &'static str,
    column: &'static str,
    kind: &'static str,
    /// SQL for the file's name, its content type (until settled) and its owner.
    name: &'static str,
    content_type: &'static str,
    owner: &'static str,
}

const MOVED: [Moved; 4] = [
    Moved {
        table: "users",
        column: "avatar_png",
        kind: "picture",
        name: "'picture.png'",
        content_type: "'image/png'",
        owner: "id",
    },
    Moved {
        table: "institution_logos",
        column: "bytes",
        kind: "logo",
        name: "'logo.png'",
        content_type: "content_type",
        owner: "updated_by",
    },
    Moved {
        table: "cqi_evidence",
        column: "bytes",
        kind: "evidence",
        name: "file_name",
        content_type: "content_type",
        owner: "uploaded_by",
    },
    Moved {
        table: "document_jobs",
        column: "bytes",
        kind: "document",
        name: "COALESCE(file_name, 'document.pdf')",
        content_type: "'application/pdf'",
        owner: "requested_by",
    },
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("files")
                    .col(int_null("institution_id"))
                    // The person the file is of or by: a picture's person, an uploader, a requester.
                    .col(int_null("owner_id"))
                    .col(text("kind"))
                    .col(text("name"))
                    .col(text("content_type"))
                    .col(int("size"))
                    // SHA-256 of the bytes, hex; empty until pending bytes are settled.
                    .col(text("sha256"))
                    .col(text("storage_key"))
                    .col(bytes_null("pending"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("files", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("files", &["storage_key"], true)).await?;
        manager.create_index(index("files", &["institution_id", "kind"], false)).await?;
        let db = manager.get_connection();
        let length = match manager.get_database_backend() {
            DbBackend::Postgres => "octet_length",
            _ => "length",
        };
        for Moved { table: source, column, kind, name: file_name, content_type, owner } in MOVED {
            let reference = if source == "users" { "picture_file_id" } else { "file_id" };
            manager.alter_table(Table::alter().table(name(source)).add_column(int_null(reference)).to_owned()).await?;
            // The storage key names the row it came from, so the rows can be linked back.
            db.execute_unprepared(&format!(
                "INSERT INTO files (institution_id, owner_id, kind, name, content_type, size, sha256, storage_key, \
                 pending, created_at) \
                 SELECT institution_id, {owner}, '{kind}', {file_name}, {content_type}, {length}({column}), \
                 '', '{kind}/moved-' || CAST(id AS TEXT), {column}, CURRENT_TIMESTAMP \
                 FROM {source} WHERE {column} IS NOT NULL"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "UPDATE {source} SET {reference} = (SELECT files.id FROM files \
                 WHERE files.storage_key = '{kind}/moved-' || CAST({source}.id AS TEXT)) \
                 WHERE {column} IS NOT NULL"
            ))
            .await?;
            db.execute_unprepared(&format!("ALTER TABLE {source} DROP COLUMN {column}")).await?;
        }
        for (source, column) in [("institution_logos", "content_type"), ("cqi_evidence", "content_type")] {
            db.execute_unprepared(&format!("ALTER TABLE {source} DROP COLUMN {column}")).await?;
        }
        // created_at as the app writes it (CURRENT_TIMESTAMP's text is not SQLite's format for it).
        let now = chrono::Utc::now();
        let stamp = Query::update()
            .table(name("files"))
            .value(name("created_at"), now)
            .and_where(Expr::col(name("pending")).is_not_null())
            .to_owned();
        manager.exec_stmt(stamp).await?;
        let pending = db
            .query_one_raw(Statement::from_string(
                manager.get_database_backend(),
                "SELECT COUNT(*) AS n FROM files WHERE pending IS NOT NULL",
            ))
            .await?
            .map(|row| row.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        if pending > 0 {
            let job = Query::insert()
                .into_table(name("jobs"))
                .columns(
                    [
                        "kind",
                        "payload",
                        "unique_key",
                        "status",
                        "attempts",
                        "max_attempts",
                        "run_at",
                        "progress",
                        "stage",
                        "created_at",
                    ]
                    .map(name),
                )
                .values_panic([
                    "files.settle".into(),
                    "null".into(),
                    "files.settle:migration-15".into(),
                    "queued".into(),
                    0i64.into(),
                    10i64.into(),
                    now.into(),
                    0i64.into(),
                    "Waiting to start".into(),
                    now.into(),
                ])
                .to_owned();
            manager.exec_stmt(job).await?;
        }
        Ok(())
    }
}
