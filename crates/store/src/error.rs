//! Store errors, with constraint violations told apart from failures.

use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write; the message names the constraint.
    #[error("duplicate value: {0}")]
    Duplicate(String),
    /// A foreign key refused the write: the row it points at does not exist.
    #[error("missing reference: {0}")]
    MissingReference(String),
    #[error("database error: {0}")]
    Database(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(message)) => StoreError::Duplicate(message),
            Some(SqlErr::ForeignKeyConstraintViolation(message)) => StoreError::MissingReference(message),
            _ => StoreError::Database(err),
        }
    }
}
