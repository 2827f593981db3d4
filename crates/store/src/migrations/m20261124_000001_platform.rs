//! Platform foundation: institutions, accounts, sessions, one-time tokens, roles, minimal
//! departments and programs, consents, API tokens, login history and the audit log.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(name("platform_settings"))
                    .if_not_exists()
                    .col(ColumnDef::new(name("key")).text().not_null().primary_key())
                    .col(text("value"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                table("institutions")
                    .col(text("name"))
                    .col(text("slug"))
                    .col(text("plan"))
                    .col(int("seat_limit"))
                    .col(boolean("require_staff_2fa", false))
                    .col(boolean("active", true))
                    .col(time("created_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("institutions", &["slug"], true)).await?;

        // institution_id is NULL only for platform operator accounts.
        manager
            .create_table(
                table("users")
                    .col(int_null("institution_id"))
                    .col(text("email"))
                    .col(text("name"))
                    .col(text_null("password_hash"))
                    .col(text("status"))
                    .col(boolean("is_operator", false))
                    .col(time_null("email_verified_at"))
                    .col(text_null("pending_email"))
                    .col(text_null("organisation"))
                    .col(text_null("address"))
                    .col(text("language"))
                    .col(text("time_zone"))
                    .col(text("communication"))
                    .col(bytes_null("avatar_png"))
                    .col(text_null("totp_secret"))
                    .col(time_null("totp_enabled_at"))
                    .col(int("failed_logins"))
                    .col(time_null("locked_until"))
                    .col(time("created_at"))
                    .col(time("updated_at"))
                    .foreign_key(&mut references("users", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("users", &["institution_id", "email"], true)).await?;
        manager.create_index(index("users", &["email"], false)).await?;

        manager
            .create_table(
                table("sessions")
                    .col(int_null("institution_id"))
                    .col(int("user_id"))
                    .col(text("token_hash"))
                    .col(text("csrf_token"))
                    .col(boolean("mfa_pending", false))
                    .col(text_null("ip"))
                    .col(text_null("user_agent"))
                    .col(time("created_at"))
                    .col(time("last_seen_at"))
                    .col(time("expires_at"))
                    .foreign_key(&mut references("sessions", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("sessions", &["token_hash"], true)).await?;
        manager.create_index(index("sessions", &["institution_id", "user_id"], false)).await?;

        manager
            .create_table(
                table("one_time_tokens")
                    .col(int_null("institution_id"))
                    .col(int_null("user_id"))
                    .col(text("purpose"))
                    .col(text("token_hash"))
                    .col(text_null("payload"))
                    .col(time("created_at"))
                    .col(time("expires_at"))
                    .col(time_null("used_at"))
                    .foreign_key(&mut references("one_time_tokens", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("one_time_tokens", &["token_hash"], true)).await?;

        manager
            .create_table(
                table("departments")
                    .col(int("institution_id"))
                    .col(text("code"))
                    .col(text("name"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("departments", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("departments", &["institution_id", "code"], true)).await?;

        manager
            .create_table(
                table("programs")
                    .col(int("institution_id"))
                    .col(int("department_id"))
                    .col(text("code"))
                    .col(text("name"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("programs", "institution_id", "institutions"))
                    .foreign_key(&mut references("programs", "department_id", "departments"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("programs", &["institution_id", "code"], true)).await?;

        // scope_id is 0 for institution-wide grants so the unique index holds on both databases.
        manager
            .create_table(
                table("role_grants")
                    .col(int("institution_id"))
                    .col(int("user_id"))
                    .col(text("role"))
                    .col(text("scope_kind"))
                    .col(int("scope_id"))
                    .col(int_null("granted_by"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("role_grants", "institution_id", "institutions"))
                    .foreign_key(&mut references("role_grants", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("role_grants", &["institution_id", "user_id", "role", "scope_kind", "scope_id"], true))
            .await?;

        manager
            .create_table(
                table("consents")
                    .col(int_null("institution_id"))
                    .col(int("user_id"))
                    .col(text("kind"))
                    .col(text("version"))
                    .col(boolean("granted", true))
                    .col(text_null("ip"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("consents", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("consents", &["institution_id", "user_id"], false)).await?;

        manager
            .create_table(
                table("api_tokens")
                    .col(int("institution_id"))
                    .col(int("user_id"))
                    .col(text("name"))
                    .col(text("prefix"))
                    .col(text("token_hash"))
                    .col(time("created_at"))
                    .col(time_null("last_used_at"))
                    .col(time_null("expires_at"))
                    .col(time_null("revoked_at"))
                    .foreign_key(&mut references("api_tokens", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("api_tokens", &["token_hash"], true)).await?;
        manager.create_index(index("api_tokens", &["institution_id", "user_id"], false)).await?;

        manager
            .create_table(
                table("login_events")
                    .col(int_null("institution_id"))
                    .col(int_null("user_id"))
                    .col(text("email"))
                    .col(boolean("success", false))
                    .col(text("outcome"))
                    .col(text_null("ip"))
                    .col(text_null("user_agent"))
                    .col(text("browser"))
                    .col(text("os"))
                    .col(text("device"))
                    .col(time("created_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("login_events", &["institution_id", "user_id", "created_at"], false)).await?;
        manager.create_index(index("login_events", &["email", "created_at"], false)).await?;
        manager.create_index(index("login_events", &["ip", "created_at"], false)).await?;

        manager
            .create_table(
                table("audit_events")
                    .col(int_null("institution_id"))
                    .col(int_null("actor_id"))
                    .col(text("actor_email"))
                    .col(text("action"))
                    .col(text("target"))
                    .col(text("details"))
                    .col(text_null("ip"))
                    .col(time("created_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("audit_events", &["institution_id", "created_at"], false)).await?;
        Ok(())
    }
}
