//! Viewing and editing one's own profile.

use qobe_domain::FieldErrors;
use qobe_domain::accounts::{CommunicationPreferences, parse_language, parse_time_zone};
use qobe_domain::ids::{InstitutionId, UserId};
use qobe_domain::validation::{optional_text, required_text};
use qobe_store::{Conn, accounts};

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// The editable part of a profile, as the form shows it and sends it: the kinds of email the
/// person takes are its checkboxes.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct Profile {
    pub name: String,
    pub organisation: String,
    pub address: String,
    pub language: String,
    pub time_zone: String,
    pub course_announcements: bool,
    pub reminders: bool,
    pub surveys: bool,
    pub newsletters: bool,
    pub messages: bool,
}

impl Profile {
    pub fn communication(&self) -> CommunicationPreferences {
        CommunicationPreferences {
            course_announcements: self.course_announcements,
            reminders: self.reminders,
            surveys: self.surveys,
            newsletters: self.newsletters,
            messages: self.messages,
        }
    }
}

/// The profile as stored.
pub fn current(user: &super::Account) -> Profile {
    let takes: CommunicationPreferences = serde_json::from_str(&user.communication).unwrap_or_default();
    Profile {
        name: user.name.clone(),
        organisation: user.organisation.clone().unwrap_or_default(),
        address: user.address.clone().unwrap_or_default(),
        language: user.language.clone(),
        time_zone: user.time_zone.clone(),
        course_announcements: takes.course_announcements,
        reminders: takes.reminders,
        surveys: takes.surveys,
        newsletters: takes.newsletters,
        messages: takes.messages,
    }
}

pub async fn own_account(app: &App, actor: &Actor) -> AppResult<super::Account> {
    Ok(accounts::get(app.store.conn(), actor.institution_id, actor.user_id).await?.ok_or(AppError::NotFound)?.into())
}

/// The roles the actor holds, whoever they are (a student sees their own grants too).
pub async fn own_grants(app: &App, actor: &Actor) -> AppResult<Vec<qobe_store::rows::RoleGrant>> {
    match actor.institution_id {
        Some(institution) => Ok(qobe_store::roles::for_user(app.store.conn(), institution, actor.user_id).await?),
        None => Ok(Vec::new()),
    }
}

/// Validates a submitted profile; every bad field is reported at once.
pub fn validate(input: &Profile) -> Result<Profile, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", required_text(&input.name, 200));
    let organisation = errors.check("organisation", optional_text(&input.organisation, 200));
    let address = errors.check("address", optional_text(&input.address, 500));
    let language = errors.check("language", parse_language(&input.language));
    let time_zone = errors.check("time_zone", parse_time_zone(&input.time_zone));
    errors.into_result()?;
    Ok(Profile {
        name: name.unwrap_or_default(),
        organisation: organisation.flatten().unwrap_or_default(),
        address: address.flatten().unwrap_or_default(),
        language: language.unwrap_or_default(),
        time_zone: time_zone.unwrap_or_default(),
        ..input.clone()
    })
}

pub(crate) async fn write(
    conn: &impl Conn,
    app: &App,
    institution: Option<InstitutionId>,
    user: UserId,
    profile: &Profile,
) -> AppResult<()> {
    let communication =
        serde_json::to_string(&profile.communication()).map_err(|e| AppError::Internal(e.to_string()))?;
    accounts::update_profile(
        conn,
        institution,
        user,
        accounts::ProfileUpdate {
            name: &profile.name,
            organisation: Some(profile.organisation.as_str()).filter(|s| !s.is_empty()),
            address: Some(profile.address.as_str()).filter(|s| !s.is_empty()),
            language: &profile.language,
            time_zone: &profile.time_zone,
            communication: &communication,
            now: app.now(),
        },
    )
    .await?;
    Ok(())
}

/// Saves the actor's own profile after validation.
pub async fn update(app: &App, actor: &Actor, input: &Profile, client: &ClientInfo) -> AppResult<()> {
    let profile = validate(input)?;
    let tx = app.store.begin().await?;
    write(&tx, app, actor.institution_id, actor.user_id, &profile).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "account.profile_updated")).await?;
    Ok(qobe_store::commit(tx).await?)
}
