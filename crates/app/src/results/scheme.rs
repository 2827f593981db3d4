//! The institution's grading scheme: the newest saved, else the default.

use qobe_domain::grading::GradingScheme;
use qobe_domain::roles::Permission;
use qobe_store::results::{self as rows};

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// The institution's grading scheme (its newest, else the default).
pub async fn scheme_for(
    conn: &impl qobe_store::Conn,
    institution: qobe_domain::ids::InstitutionId,
) -> AppResult<GradingScheme> {
    match rows::latest_scheme(conn, institution).await? {
        Some(row) => serde_json::from_str(&row.bands).map_err(|e| AppError::Internal(format!("stored scheme: {e}"))),
        None => Ok(GradingScheme::default()),
    }
}

/// Saves the institution's grading scheme (a new row; results already submitted keep theirs).
/// A grading scheme: its name and its bands, one per line (`A 85`…).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct SchemeInput {
    pub name: String,
    pub bands: String,
}

pub async fn save_scheme(
    app: &App,
    actor: &Actor,
    input: &SchemeInput,
    client: &ClientInfo,
) -> AppResult<GradingScheme> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let name = qobe_domain::validation::required_text(&input.name, 100).map_err(|m| AppError::field("name", m))?;
    let scheme = GradingScheme::parse(&name, &input.bands).map_err(|p| AppError::field("bands", p.join("; ")))?;
    let json = serde_json::to_string(&scheme).map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = app.store.begin().await?;
    rows::insert_scheme(&tx, institution, &name, &json, actor.user_id, app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "results.scheme_saved").target(&name)).await?;
    qobe_store::commit(tx).await?;
    Ok(scheme)
}

/// The institution's grading scheme now, for the page that edits it.
pub async fn current_scheme(app: &App, actor: &Actor) -> AppResult<GradingScheme> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    scheme_for(app.store.conn(), institution).await
}
