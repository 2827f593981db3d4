//! Institutions: created by the platform operator, or by public trial sign-up; their settings.

use qobe_domain::FieldErrors;
use qobe_domain::accounts::{AccountStatus, CommunicationPreferences, Email, check_new_password};
use qobe_domain::ids::{InstitutionId, UserId};
use qobe_domain::roles::{Permission, Role, Scope};
use qobe_domain::tenancy::{Plan, Slug, parse_seat_limit};
use qobe_domain::validation::required_text;
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::Institution;
use qobe_store::{accounts, roles as grant_rows, tenancy};

use crate::accounts::{consent, invitations, start_session};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit, crypto};

/// A new institution and its first admin, as the operator's form sends them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewInstitutionInput {
    pub name: String,
    pub slug: String,
    pub plan: String,
    /// Empty: the plan's default.
    pub seat_limit: String,
    pub admin_name: String,
    pub admin_email: String,
}

fn duplicate_slug(e: qobe_store::StoreError) -> AppError {
    match e {
        qobe_store::StoreError::Duplicate(_) => AppError::conflict("slug", "That short name is taken; choose another."),
        other => other.into(),
    }
}

/// The operator creates an institution and invites its first admin.
pub async fn create(
    app: &App,
    actor: &Actor,
    input: NewInstitutionInput,
    client: &ClientInfo,
) -> AppResult<Institution> {
    actor.require_operator()?;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", required_text(&input.name, 200));
    let slug = errors.check("slug", Slug::parse(&input.slug));
    let plan = errors.check("plan", Plan::parse(&input.plan));
    let seats = if input.seat_limit.trim().is_empty() {
        plan.map(Plan::default_seat_limit)
    } else {
        errors.check("seat_limit", parse_seat_limit(&input.seat_limit))
    };
    let admin_name = errors.check("admin_name", required_text(&input.admin_name, 200));
    let admin_email = errors.check("admin_email", Email::parse(&input.admin_email));
    errors.into_result()?;
    let (Some(name), Some(slug), Some(plan), Some(seats), Some(admin_name), Some(admin_email)) =
        (name, slug, plan, seats, admin_name, admin_email)
    else {
        return Err(AppError::Internal("validated input missing".into()));
    };
    let tx = app.store.begin().await?;
    let institution = tenancy::insert(
        &tx,
        tenancy::NewInstitution {
            name: &name,
            slug: slug.as_str(),
            plan: plan.as_str(),
            seat_limit: seats,
            now: app.now(),
        },
    )
    .await
    .map_err(duplicate_slug)?;
    let invite = invitations::ValidInvite {
        email: admin_email,
        name: admin_name,
        role: Role::InstitutionAdmin,
        scope: Scope::Institution,
    };
    let (admin, token) = invitations::insert_invited(&tx, app, InstitutionId(institution.id), &invite, None).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "institution.created")
            .target(slug.as_str())
            .details(serde_json::json!({ "plan": plan.as_str(), "seat_limit": seats, "admin": admin.email })),
    )
    .await?;
    let email = invitations::invitation_email(app, &institution.name, &admin.email, &admin.name, &token);
    crate::mail::queue(&tx, app, Some(InstitutionId(institution.id)), email).await?;
    qobe_store::commit(tx).await?;
    Ok(institution)
}

/// What the public sign-up form sends.
#[derive(serde::Deserialize)]
pub struct SignupInput {
    pub institution_name: String,
    pub slug: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub accept_terms: bool,
}

/// Public sign-up of a new institution on the trial plan; the person becomes its admin and is
/// signed in at once, with a link to verify their email. Returns the session cookie value.
pub async fn sign_up(app: &App, input: SignupInput, client: &ClientInfo) -> AppResult<String> {
    if !app.config.public_signup {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let institution_name = errors.check("institution_name", required_text(&input.institution_name, 200));
    let slug = errors.check("slug", Slug::parse(&input.slug));
    let name = errors.check("name", required_text(&input.name, 200));
    let email = errors.check("email", Email::parse(&input.email));
    errors.check("password", check_new_password(&input.password, email.as_ref()));
    if !input.accept_terms {
        errors.add("accept_terms", "You need to accept the terms of use and the privacy policy to continue.");
    }
    errors.into_result()?;
    let (Some(institution_name), Some(slug), Some(name), Some(email)) = (institution_name, slug, name, email) else {
        return Err(AppError::Internal("validated input missing".into()));
    };
    let wait = |minutes| format!("Too many sign-ups. Try again {}.", crate::throttle::in_minutes(minutes));
    crate::throttle::SIGNUP_PER_NETWORK.take(app, client.ip().unwrap_or("-"), wait).await?;
    crate::throttle::SIGNUP_PER_ADDRESS.take(app, email.as_str(), wait).await?;
    let hash = crypto::hash_password(&input.password, app.config.argon2_memory_kib)?;
    let prefs =
        serde_json::to_string(&CommunicationPreferences::default()).map_err(|e| AppError::Internal(e.to_string()))?;
    let now = app.now();
    let tx = app.store.begin().await?;
    let institution = tenancy::insert(
        &tx,
        tenancy::NewInstitution {
            name: &institution_name,
            slug: slug.as_str(),
            plan: Plan::Trial.as_str(),
            seat_limit: Plan::Trial.default_seat_limit(),
            now,
        },
    )
    .await
    .map_err(duplicate_slug)?;
    let institution_id = InstitutionId(institution.id);
    let user = accounts::insert(
        &tx,
        accounts::NewUser {
            institution_id: Some(institution_id),
            email: email.as_str(),
            name: &name,
            password_hash: Some(hash),
            status: AccountStatus::Active.as_str(),
            is_operator: false,
            email_verified_at: None,
            time_zone: "UTC",
            communication: &prefs,
            now,
        },
    )
    .await?;
    grant_rows::insert(
        &tx,
        grant_rows::NewGrant {
            institution_id,
            user_id: UserId(user.id),
            role: Role::InstitutionAdmin.as_str(),
            scope_kind: Scope::Institution.kind(),
            scope_id: 0,
            granted_by: None,
            now,
        },
    )
    .await?;
    consent::record_current(&tx, app, Some(institution_id), UserId(user.id), client).await?;
    let session = start_session(&tx, app, &user, false, client).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::anonymous(Some(institution_id), "institution.signed_up", slug.as_str())
            .details(serde_json::json!({ "admin": user.email })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    let actor = crate::accounts::sessions::load_actor(app, &user, None)
        .await?
        .ok_or_else(|| AppError::Internal("the new institution is not active".into()))?;
    crate::accounts::email::send_verification(app, &actor).await?;
    Ok(session)
}

/// The operator's list: institutions with plan and seat usage, and nothing of their content.
pub async fn list_for_operator(app: &App, actor: &Actor) -> AppResult<Vec<(Institution, u64)>> {
    actor.require_operator()?;
    Ok(tenancy::list_with_usage(app.store.conn()).await?)
}

/// An institution's plan and its seat limit (empty: the plan's own).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlanInput {
    pub plan: String,
    pub seat_limit: String,
}

pub async fn change_plan(
    app: &App,
    actor: &Actor,
    id: InstitutionId,
    input: &PlanInput,
    client: &ClientInfo,
) -> AppResult<()> {
    actor.require_operator()?;
    let mut errors = FieldErrors::new();
    let plan = errors.check("plan", Plan::parse(&input.plan));
    let seats = errors.check("seat_limit", parse_seat_limit(&input.seat_limit));
    errors.into_result()?;
    let (Some(plan), Some(seats)) = (plan, seats) else {
        return Err(AppError::Internal("validated input missing".into()));
    };
    let tx = app.store.begin().await?;
    if !tenancy::update_plan(&tx, id, plan.as_str(), seats).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "institution.plan_changed")
            .target(&id.to_string())
            .details(serde_json::json!({ "plan": plan.as_str(), "seat_limit": seats })),
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// Suspends an institution (unpaid, closed, abused): nobody of it can sign in, and its
/// sessions and API tokens end at once. Tokens stay revoked when it is reactivated.
pub async fn suspend(app: &App, actor: &Actor, id: InstitutionId, client: &ClientInfo) -> AppResult<()> {
    actor.require_operator()?;
    let tx = app.store.begin().await?;
    if !tenancy::set_active(&tx, id, false).await? {
        return Err(AppError::NotFound);
    }
    let sessions = qobe_store::sessions::delete_for_institution(&tx, id).await?;
    let tokens = qobe_store::api_tokens::revoke_all(&tx, id, None, app.now()).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "institution.suspended")
            .target(&id.to_string())
            .details(serde_json::json!({ "sessions_ended": sessions, "tokens_revoked": tokens })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// Lets a suspended institution's people sign in again (with new sessions and new tokens).
pub async fn reactivate(app: &App, actor: &Actor, id: InstitutionId, client: &ClientInfo) -> AppResult<()> {
    actor.require_operator()?;
    let tx = app.store.begin().await?;
    if !tenancy::set_active(&tx, id, true).await? {
        return Err(AppError::NotFound);
    }
    audit::record(&tx, app, client, audit::Entry::by(actor, "institution.reactivated").target(&id.to_string())).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// The actor's own institution with its seat usage.
pub async fn current(app: &App, actor: &Actor) -> AppResult<(Institution, u64)> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let row = tenancy::get(conn, institution).await?.ok_or(AppError::NotFound)?;
    let used = accounts::count_seats(conn, institution).await?;
    Ok((row, used))
}

/// An institution's own settings: its name, whether staff must sign in with two factors, and
/// how many responses an anonymous survey needs before its results show.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct SettingsInput {
    pub name: String,
    pub require_staff_2fa: bool,
    /// A whole number from 1 to 100; blank keeps the current one.
    #[serde(default)]
    pub survey_min_responses: String,
}

pub async fn update_settings(app: &App, actor: &Actor, input: &SettingsInput, client: &ClientInfo) -> AppResult<()> {
    let institution = actor.require(Permission::ManageSettings)?;
    let require_staff_2fa = input.require_staff_2fa;
    let name = required_text(&input.name, 200).map_err(|m| AppError::field("name", m))?;
    let survey_min_responses = match input.survey_min_responses.trim() {
        "" => None,
        typed => Some(
            typed
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=100).contains(n))
                .ok_or_else(|| AppError::field("survey_min_responses", "must be a whole number from 1 to 100"))?,
        ),
    };
    let tx = app.store.begin().await?;
    tenancy::update_settings(
        &tx,
        institution,
        tenancy::InstitutionSettings { name: &name, require_staff_2fa, survey_min_responses },
    )
    .await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "institution.settings_changed").target(&name).details(serde_json::json!({
            "require_staff_2fa": require_staff_2fa,
            "survey_min_responses": survey_min_responses,
        })),
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// Largest logo side kept, in pixels (width, height).
const LOGO_BOX: (u32, u32) = (600, 200);

/// The institution's logo as stored: a PNG at most 600×200 pixels.
pub async fn logo(
    app: &App,
    institution: qobe_domain::ids::InstitutionId,
) -> AppResult<Option<crate::files::StoredFile>> {
    match qobe_store::documents::logo(app.store.conn(), institution).await? {
        Some(file) => Ok(Some(crate::files::find(app, Some(institution), file).await?)),
        None => Ok(None),
    }
}

/// Sets the logo printed on the institution's documents: an uploaded PNG or JPEG, decoded,
/// shrunk to fit 600×200 and stored as PNG (never the uploaded bytes).
pub async fn set_logo(app: &App, actor: &Actor, bytes: &[u8], client: &ClientInfo) -> AppResult<()> {
    let institution = actor.require(Permission::ManageSettings)?;
    let png = crate::images::process(bytes, crate::images::LOGO, |picture| {
        let fitted = if picture.width() > LOGO_BOX.0 || picture.height() > LOGO_BOX.1 {
            picture.resize(LOGO_BOX.0, LOGO_BOX.1, image::imageops::FilterType::Triangle)
        } else {
            picture
        };
        crate::images::png(&fitted)
    })
    .await?;
    let tx = app.store.begin().await?;
    let upload = crate::files::NewUpload {
        institution: Some(institution),
        owner: Some(actor.user_id),
        kind: crate::files::FileKind::Logo,
        name: "logo.png",
        bytes: png,
    };
    let file = crate::files::keep(&tx, app, upload).await?;
    if let Some(old) = qobe_store::documents::put_logo(&tx, institution, file, actor.user_id, app.now()).await? {
        crate::files::discard(&tx, app, Some(institution), old).await?;
    }
    audit::record(&tx, app, client, audit::Entry::by(actor, "institution.logo_changed")).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

pub async fn remove_logo(app: &App, actor: &Actor, client: &ClientInfo) -> AppResult<()> {
    let institution = actor.require(Permission::ManageSettings)?;
    let tx = app.store.begin().await?;
    if let Some(old) = qobe_store::documents::remove_logo(&tx, institution).await? {
        crate::files::discard(&tx, app, Some(institution), old).await?;
    }
    audit::record(&tx, app, client, audit::Entry::by(actor, "institution.logo_removed")).await?;
    Ok(qobe_store::commit(tx).await?)
}
