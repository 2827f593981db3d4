//! Every student's latest hand-in as one download for the offering's staff: a folder per
//! student (named, or "Student 7" while names are hidden) holding their files and, when they
//! wrote one, their text as `text.md`. The web layer streams it as a ZIP, file by file, so a
//! class of large hand-ins never sits in memory.

use qobe_domain::ids::AssignmentId;
use qobe_store::assignments as rows;

use super::grading::class_order;
use super::reach;
use super::submit::with_files;
use crate::files::Packed;
use crate::{Actor, App, AppError, AppResult};

/// The bundle: its file name and its entries, by path inside it.
pub struct Bundle {
    pub name: String,
    pub entries: Vec<(String, Packed)>,
}

/// A name that is one safe path segment inside an archive.
fn segment(text: &str) -> String {
    let cleaned: String =
        text.chars().map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c }).collect();
    let trimmed = cleaned.trim().trim_matches('.').trim();
    if trimmed.is_empty() { "file".into() } else { trimmed.chars().take(120).collect() }
}

pub async fn hand_ins(app: &App, actor: &Actor, id: AssignmentId) -> AppResult<Bundle> {
    let (assignment, offering, viewer) = reach(app, actor, id).await?;
    if viewer.is_student() {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let all = rows::submissions(app.store.conn(), institution, id, None).await?;
    // Each student's latest version, with its files read in one go.
    let class = class_order(app, actor, &assignment).await?;
    let latest: Vec<_> = class
        .iter()
        .filter_map(|student| all.iter().filter(|s| s.user_id == student.user).max_by_key(|s| s.version).cloned())
        .collect();
    let versions = with_files(app, actor, latest).await?;
    let mut entries = Vec::new();
    for student in &class {
        let Some(version) = versions.iter().find(|v| v.submission.user_id == student.user) else { continue };
        let folder = segment(&student.label);
        if !version.submission.body.trim().is_empty() {
            entries.push((format!("{folder}/text.md"), Packed::Text(version.submission.body.clone())));
        }
        let mut taken: Vec<String> = Vec::new();
        for file in &version.files {
            let mut name = segment(&file.name);
            if taken.contains(&name) {
                name = format!("{} {name}", file.id);
            }
            taken.push(name.clone());
            entries.push((format!("{folder}/{name}"), Packed::Stored(file.clone())));
        }
    }
    let name = format!("{} {} hand-ins.zip", segment(&offering.course.code), segment(&assignment.title));
    Ok(Bundle { name, entries })
}
