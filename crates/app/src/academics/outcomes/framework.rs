//! A built-in framework (ABET, Washington Accord, PEC, …) adopted as a program's PLOs.

use qobe_domain::frameworks::{self};
use qobe_domain::ids::ProgramId;
use qobe_store::Conn;
use qobe_store::academics::outcomes::{self, OutcomeOwner, OutcomeText, VersionOf};

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

use super::{Outcome, program_owner};

/// Adopts a built-in framework: its items become the program's PLOs, each aligned to its item.
/// The outcome framework a program adopts its PLOs from (`abet-eac-2019`…).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FrameworkChoice {
    pub framework: String,
}

pub async fn adopt_framework(
    app: &App,
    actor: &Actor,
    program: ProgramId,
    choice: &FrameworkChoice,
    client: &ClientInfo,
) -> AppResult<Vec<Outcome>> {
    let key = choice.framework.as_str();
    program_owner(app, actor, program, true).await?;
    let institution = actor.institution()?;
    let framework = frameworks::find(key).ok_or_else(|| AppError::field("framework", "is not a built-in framework"))?;
    let tx = app.store.begin().await?;
    if outcomes::all_versions(&tx, institution, OutcomeOwner::ProgramPlos(program.0)).await?.iter().any(|o| !o.retired)
    {
        return Err(AppError::conflict(
            "framework",
            "This program already has PLOs; adopt a framework only into an empty list.",
        ));
    }
    let created = insert_framework_plos(&tx, app, institution, program, framework).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "outcomes.framework_adopted")
            .target(framework.key)
            .details(serde_json::json!({ "program": program.0, "plos": created.len() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(created)
}

/// Writes a framework's items as the PLOs `PLO1…PLOn` of a program, each aligned to its item.
pub(crate) async fn insert_framework_plos(
    conn: &impl Conn,
    app: &App,
    institution: qobe_domain::ids::InstitutionId,
    program: ProgramId,
    framework: &frameworks::Framework,
) -> AppResult<Vec<Outcome>> {
    let mut created = Vec::new();
    for (index, item) in framework.items.iter().enumerate() {
        let code = format!("PLO{}", index + 1);
        let text = OutcomeText {
            code: &code,
            title: &item.title,
            text: &item.text,
            taxonomy_level: None,
            framework: Some((framework.key, &item.code)),
        };
        let owner = OutcomeOwner::ProgramPlos(program.0);
        created.push(outcomes::insert_version(conn, institution, owner, VersionOf::first(), &text, app.now()).await?);
    }
    Ok(created)
}
