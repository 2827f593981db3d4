//! Consent records for the terms of use, the privacy policy and marketing email.

use qobe_domain::ids::{InstitutionId, UserId};
use qobe_store::{Conn, consents, rows::Consent};

use crate::legal::{PRIVACY_VERSION, TERMS_VERSION};
use crate::{Actor, App, AppError, AppResult, ClientInfo};

/// Records agreement to the terms and privacy policy versions in force now.
pub(crate) async fn record_current(
    conn: &impl Conn,
    app: &App,
    institution: Option<InstitutionId>,
    user: UserId,
    client: &ClientInfo,
) -> AppResult<()> {
    for (kind, version) in [("terms", TERMS_VERSION), ("privacy", PRIVACY_VERSION)] {
        consents::insert(
            conn,
            consents::NewConsent {
                institution_id: institution,
                user_id: user,
                kind,
                version,
                granted: true,
                ip: client.ip(),
                now: app.now(),
            },
        )
        .await?;
    }
    Ok(())
}

/// The signed-in person agrees to the current versions (asked again after a change).
/// The consent form: the box that accepts the current terms and privacy policy.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ConsentInput {
    pub accept_terms: bool,
}

pub async fn accept_current(app: &App, actor: &Actor, input: &ConsentInput, client: &ClientInfo) -> AppResult<()> {
    if !input.accept_terms {
        return Err(AppError::field(
            "accept_terms",
            "You need to accept the terms of use and the privacy policy to continue.",
        ));
    }
    record_current(app.store.conn(), app, actor.institution_id, actor.user_id, client).await
}

/// Gives or withdraws consent to marketing email; the history keeps every change.
pub async fn set_marketing(app: &App, actor: &Actor, granted: bool, client: &ClientInfo) -> AppResult<()> {
    consents::insert(
        app.store.conn(),
        consents::NewConsent {
            institution_id: actor.institution_id,
            user_id: actor.user_id,
            kind: "marketing",
            version: "1",
            granted,
            ip: client.ip(),
            now: app.now(),
        },
    )
    .await?;
    Ok(())
}

pub async fn history(app: &App, actor: &Actor) -> AppResult<Vec<Consent>> {
    Ok(consents::for_user(app.store.conn(), actor.institution_id, actor.user_id).await?)
}
