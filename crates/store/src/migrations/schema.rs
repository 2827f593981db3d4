//! Small builders that keep migrations short and identical on both databases.

use sea_orm_migration::prelude::*;

pub fn name(value: &str) -> Alias {
    Alias::new(value)
}

/// `CREATE TABLE IF NOT EXISTS name (id BIGINT PRIMARY KEY auto-increment, …)`.
pub fn table(table: &str) -> TableCreateStatement {
    Table::create()
        .table(name(table))
        .if_not_exists()
        .col(ColumnDef::new(name("id")).big_integer().not_null().auto_increment().primary_key())
        .to_owned()
}

pub fn text(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).text().not_null().to_owned()
}

pub fn text_null(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).text().null().to_owned()
}

pub fn int(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).big_integer().not_null().to_owned()
}

pub fn int_null(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).big_integer().null().to_owned()
}

pub fn real(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).double().not_null().to_owned()
}

pub fn real_null(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).double().null().to_owned()
}

pub fn boolean(column: &str, default: bool) -> ColumnDef {
    ColumnDef::new(name(column)).boolean().not_null().default(default).to_owned()
}

pub fn time(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).timestamp_with_time_zone().not_null().to_owned()
}

pub fn time_null(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).timestamp_with_time_zone().null().to_owned()
}

pub fn bytes_null(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).blob().null().to_owned()
}

/// A foreign key from `from_table.column` to `to_table.id`, deleting with its parent.
pub fn references(from_table: &str, column: &str, to_table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{column}"))
        .from(name(from_table), name(column))
        .to(name(to_table), name("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

pub fn index(table: &str, columns: &[&str], unique: bool) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(format!("ix_{table}_{}", columns.join("_"))).table(name(table)).if_not_exists();
    for column in columns {
        statement.col(name(column));
    }
    if unique {
        statement.unique();
    }
    statement.to_owned()
}
