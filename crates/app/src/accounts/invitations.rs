//! Inviting people by email and accepting an invitation.

use chrono::Duration;
use qobe_domain::FieldErrors;
use qobe_domain::accounts::{AccountStatus, CommunicationPreferences, Email, check_new_password};
use qobe_domain::ids::{InstitutionId, UserId};
use qobe_domain::roles::{Permission, Role, Scope};
use qobe_domain::validation::required_text;
use qobe_store::{Conn, accounts, roles as grant_rows, rows::User, tenancy};

use super::{consent, consume_token, issue_token, live_token, purpose, start_session, token_user};
use crate::mail::Email as Mail;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit, crypto};

/// How long an invitation link works.
pub const INVITE_VALID_DAYS: i64 = 14;

/// An invitation, as the invite form and `POST /api/v1/invitations` send it: the person, the
/// role and where it holds.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = InvitationIn)]
pub struct InvitationInput {
    #[schema(max_length = 254, pattern = "email")]
    pub email: String,
    #[schema(max_length = 200)]
    pub name: String,
    #[schema(pattern = "enum:role")]
    pub role: String,
    /// Where the role holds: the whole institution (default), or one department or program
    /// named by `scope_id`. Admins and QA officers hold theirs institution-wide; another scope,
    /// or a department or program that is not there, is refused (409).
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "enum:scope")]
    pub scope: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub scope_id: Option<qobe_domain::entered::Entered<i64>>,
}

impl InvitationInput {
    /// The invitation with its scope read.
    pub fn resolved(&self) -> AppResult<InviteInput> {
        Ok(InviteInput {
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role.clone(),
            scope: crate::roles::scope_as_sent(self.scope.as_deref(), self.scope_id.as_ref())?,
        })
    }
}

/// An invitation with its scope read (also what each row of an invitation file becomes).
pub struct InviteInput {
    pub email: String,
    pub name: String,
    pub role: String,
    pub scope: Scope,
}

/// A checked invitation, ready to write.
pub(crate) struct ValidInvite {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub scope: Scope,
}

pub(crate) fn validate(input: &InviteInput) -> Result<ValidInvite, FieldErrors> {
    let mut errors = FieldErrors::new();
    let email = errors.check("email", Email::parse(&input.email));
    let name = errors.check("name", required_text(&input.name, 200));
    let role = errors.check("role", Role::parse(&input.role));
    if let Some(role) = role
        && !role.allows_scope(&input.scope)
    {
        errors.refuse("scope", format!("{} can only be granted institution-wide", role.label()));
    }
    match (email, name, role, errors.is_empty()) {
        (Some(email), Some(name), Some(role), true) => Ok(ValidInvite { email, name, role, scope: input.scope }),
        _ => Err(errors),
    }
}

/// Fails with a clear message when the plan has no free seat for `extra` more accounts.
/// Call inside the transaction after [`tenancy::lock`].
pub(crate) async fn ensure_seats(conn: &impl Conn, institution: InstitutionId, extra: u64) -> AppResult<()> {
    let inst = tenancy::get(conn, institution).await?.ok_or(AppError::NotFound)?;
    let used = accounts::count_seats(conn, institution).await?;
    let limit = u64::try_from(inst.seat_limit).unwrap_or(0);
    if used + extra > limit {
        return Err(AppError::PlanLimit(format!(
            "Your {} plan allows {} user accounts and {} are in use, so {} more cannot be added. Deactivate unused accounts or ask for a larger plan.",
            inst.plan, limit, used, extra
        )));
    }
    Ok(())
}

/// Writes one invited account with its role and returns it with the link token.
pub(crate) async fn insert_invited(
    conn: &impl Conn,
    app: &App,
    institution: InstitutionId,
    invite: &ValidInvite,
    invited_by: Option<UserId>,
) -> AppResult<(User, String)> {
    if accounts::by_email(conn, Some(institution), invite.email.as_str()).await?.is_some() {
        return Err(AppError::conflict("email", format!("{} already has an account here", invite.email)));
    }
    let prefs =
        serde_json::to_string(&CommunicationPreferences::default()).map_err(|e| AppError::Internal(e.to_string()))?;
    let user = accounts::insert(
        conn,
        accounts::NewUser {
            institution_id: Some(institution),
            email: invite.email.as_str(),
            name: &invite.name,
            password_hash: None,
            status: AccountStatus::Invited.as_str(),
            is_operator: false,
            email_verified_at: None,
            time_zone: "UTC",
            communication: &prefs,
            now: app.now(),
        },
    )
    .await?;
    grant_rows::insert(
        conn,
        grant_rows::NewGrant {
            institution_id: institution,
            user_id: UserId(user.id),
            role: invite.role.as_str(),
            scope_kind: invite.scope.kind(),
            scope_id: invite.scope.id().unwrap_or(0),
            granted_by: invited_by,
            now: app.now(),
        },
    )
    .await?;
    let token = issue_token(conn, app, &user, purpose::INVITE, None, Duration::days(INVITE_VALID_DAYS)).await?;
    Ok((user, token))
}

pub(crate) fn invitation_email(app: &App, institution_name: &str, to: &str, name: &str, token: &str) -> Mail {
    Mail {
        to: to.to_owned(),
        subject: format!("You are invited to {institution_name} on QOBE"),
        body: format!(
            "Hello {name},\n\nYou have been invited to join {institution_name} on QOBE.\n\nSet your password and sign in here:\n{}\n\nThe link works once and expires in {INVITE_VALID_DAYS} days.\n",
            app.link(&format!("/invitations/accept?token={token}"))
        ),
    }
}

/// Invites one person to the actor's institution with a role.
pub async fn invite(app: &App, actor: &Actor, input: InviteInput, client: &ClientInfo) -> AppResult<super::Account> {
    let institution = actor.require(Permission::ManageUsers)?;
    let invite = validate(&input)?;
    crate::roles::check_scope_exists(app.store.conn(), institution, &invite.scope).await?;
    let tx = app.store.begin().await?;
    tenancy::lock(&tx, institution).await?;
    ensure_seats(&tx, institution, 1).await?;
    let (user, token) = insert_invited(&tx, app, institution, &invite, Some(actor.user_id)).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "user.invited")
            .target(&user.email)
            .details(serde_json::json!({ "role": invite.role.as_str(), "scope": invite.scope })),
    )
    .await?;
    let inst = tenancy::get(&tx, institution).await?.ok_or(AppError::NotFound)?;
    crate::mail::queue(&tx, app, Some(institution), invitation_email(app, &inst.name, &user.email, &user.name, &token))
        .await?;
    qobe_store::commit(tx).await?;
    Ok(user.into())
}

/// Sends a fresh invitation link to someone who has not accepted yet; older links stop working.
pub async fn resend(app: &App, actor: &Actor, user_id: UserId, client: &ClientInfo) -> AppResult<()> {
    let institution = actor.require(Permission::ManageUsers)?;
    let tx = app.store.begin().await?;
    let user = accounts::get(&tx, Some(institution), user_id).await?.ok_or(AppError::NotFound)?;
    if user.status != AccountStatus::Invited.as_str() {
        return Err(AppError::conflict("status", "This person has already accepted the invitation."));
    }
    let token = issue_token(&tx, app, &user, purpose::INVITE, None, Duration::days(INVITE_VALID_DAYS)).await?;
    let inst = tenancy::get(&tx, institution).await?.ok_or(AppError::NotFound)?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "user.invitation_resent").target(&user.email)).await?;
    crate::mail::queue(&tx, app, Some(institution), invitation_email(app, &inst.name, &user.email, &user.name, &token))
        .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// What the accept page shows before the person sets a password.
pub struct InvitationInfo {
    pub email: String,
    pub name: String,
    pub institution_name: String,
}

pub async fn info(app: &App, token: &str) -> AppResult<InvitationInfo> {
    let conn = app.store.conn();
    let row = live_token(conn, app, purpose::INVITE, token).await?;
    let user = token_user(conn, &row).await?;
    let institution_name = match user.institution_id {
        Some(id) => tenancy::get(conn, InstitutionId(id)).await?.map(|i| i.name).unwrap_or_default(),
        None => String::new(),
    };
    Ok(InvitationInfo { email: user.email, name: user.name, institution_name })
}

/// What the invitation's acceptance form sends.
#[derive(serde::Deserialize)]
pub struct AcceptInput {
    pub token: String,
    pub name: String,
    pub password: String,
    pub password_confirm: String,
    pub accept_terms: bool,
}

/// Sets the password, activates the account, records consent and signs the person in.
/// Returns the new session cookie value.
pub async fn accept(app: &App, input: AcceptInput, client: &ClientInfo) -> AppResult<String> {
    let tx = app.store.begin().await?;
    let row = live_token(&tx, app, purpose::INVITE, &input.token).await?;
    let user = token_user(&tx, &row).await?;
    let email = Email::parse(&user.email).ok();
    let mut errors = FieldErrors::new();
    let name = errors.check("name", required_text(&input.name, 200));
    errors.check("password", check_new_password(&input.password, email.as_ref()));
    if input.password != input.password_confirm {
        errors.add("password_confirm", "does not match the password");
    }
    if !input.accept_terms {
        errors.add("accept_terms", "You need to accept the terms of use and the privacy policy to continue.");
    }
    errors.into_result()?;
    let institution = user.institution_id.map(InstitutionId);
    let hash = crypto::hash_password(&input.password, app.config.argon2_memory_kib)?;
    let now = app.now();
    consume_token(&tx, app, &row).await?;
    accounts::set_password(&tx, institution, UserId(user.id), &hash, now).await?;
    accounts::set_status(&tx, institution, UserId(user.id), AccountStatus::Active.as_str(), now).await?;
    accounts::mark_email_verified(&tx, institution, UserId(user.id), now).await?;
    if let Some(name) = name.filter(|n| *n != user.name) {
        let mut profile = super::profile::current(&user.clone().into());
        profile.name = name;
        super::profile::write(&tx, app, institution, UserId(user.id), &profile).await?;
    }
    consent::record_current(&tx, app, institution, UserId(user.id), client).await?;
    let session = start_session(&tx, app, &user, false, client).await?;
    audit::record(&tx, app, client, audit::Entry::anonymous(institution, "user.invitation_accepted", &user.email))
        .await?;
    qobe_store::commit(tx).await?;
    Ok(session)
}
