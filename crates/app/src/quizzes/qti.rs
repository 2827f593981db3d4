//! A course's question bank as 1EdTech QTI content packages: imported from a package of QTI 2.1
//! or 3.0 items (listed in its `imsmanifest.xml`) — checked whole first, then written in one
//! transaction or not at all — and exported as a QTI 3.0 package that imports back the same.

use std::collections::HashMap;

use qobe_domain::ids::{CourseId, OfferingId};
use qobe_domain::quizzes::qti::{self, Resource};
use qobe_store::quizzes as rows;

use super::bank::{QuestionInput, check, staff_of};
use crate::archive::{self, Limits};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// A package: its manifest and up to a couple of thousand items and media files.
pub const PACKAGE: Limits =
    Limits { max_entries: 2000, max_entry_bytes: 5 * 1024 * 1024, max_total_bytes: 50 * 1024 * 1024 };

/// A question read from a package, with the file it came from.
#[derive(Debug, Clone)]
pub struct Planned {
    pub file: String,
    pub input: QuestionInput,
}

/// The problems of a package, each naming its file and element, as one error on `file`.
fn refused(problems: Vec<String>) -> AppError {
    let shown = problems.len().min(20);
    let mut message = problems[..shown].join("; ");
    if problems.len() > shown {
        message.push_str(&format!("; and {} more", problems.len() - shown));
    }
    AppError::field("file", message)
}

/// Reads a package into questions: a typed category wins, else each item's label (where QOBE's
/// export keeps the category), else "General".
pub fn read_package(bytes: &[u8], category: &str) -> AppResult<Vec<Planned>> {
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
    archive::read(bytes, PACKAGE, "file", |name, contents| {
        files.insert(name.trim_start_matches("./").to_owned(), contents);
    })?;
    let text = |name: &str, bytes: &[u8]| -> Result<String, String> {
        String::from_utf8(bytes.to_vec()).map_err(|_| format!("{name}: is not UTF-8 text"))
    };
    let manifest = files.get("imsmanifest.xml").ok_or_else(|| {
        AppError::field("file", "holds no imsmanifest.xml at its top: a QTI content package lists its items there")
    })?;
    let resources = text("imsmanifest.xml", manifest)
        .and_then(|xml| qti::read_manifest(&xml).map_err(|p| format!("imsmanifest.xml: {p}")))
        .map_err(|problem| refused(vec![problem]))?;
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for Resource { href, .. } in resources {
        let href = href.trim_start_matches("./").to_owned();
        let Some(bytes) = files.get(&href) else {
            problems.push(format!("{href}: listed in imsmanifest.xml but not in the package"));
            continue;
        };
        match text(&href, bytes).and_then(|xml| qti::read_item(&xml).map_err(|p| format!("{href}: {p}"))) {
            Ok(item) => {
                let category = match (category.trim(), item.label.trim()) {
                    ("", "") => String::new(),
                    ("", label) => label.to_owned(),
                    (typed, _) => typed.to_owned(),
                };
                let input = QuestionInput {
                    category,
                    tags: String::new(),
                    clo: None,
                    prompt: item.prompt,
                    points: Some(item.points),
                    body: item.body,
                };
                out.push(Planned { file: href, input });
            }
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    Ok(out)
}

/// Checks a package against the bank's rules and, when `commit`, adds all its questions in one
/// transaction. Returns the questions read.
pub async fn import(
    app: &App,
    actor: &Actor,
    offering: OfferingId,
    bytes: &[u8],
    category: &str,
    commit: bool,
    client: &ClientInfo,
) -> AppResult<Vec<Planned>> {
    let (view, edits) = staff_of(app, actor, offering).await?;
    if !edits {
        return Err(AppError::Forbidden);
    }
    let planned = read_package(bytes, category)?;
    let mut fields = Vec::new();
    let mut problems = Vec::new();
    for question in &planned {
        match check(app, actor, &view, &question.input).await {
            Ok(checked) => fields.push(checked),
            Err(AppError::Invalid(errors)) => {
                problems.extend(errors.0.iter().map(|e| format!("{}: {} {}", question.file, e.field, e.message)))
            }
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    if commit {
        let institution = actor.institution()?;
        let tx = app.store.begin().await?;
        for checked in &fields {
            rows::insert_question(&tx, institution, CourseId(view.course.id), checked, actor.user_id, app.now())
                .await?;
        }
        let target = format!("{} question bank", view.course.code);
        let details = serde_json::json!({"questions": fields.len()});
        audit::record(&tx, app, client, audit::Entry::by(actor, "question.imported").target(&target).details(details))
            .await?;
        qobe_store::commit(tx).await?;
    }
    Ok(planned)
}

/// The offering's course bank as a QTI 3.0 content package: (file name, ZIP bytes).
pub async fn export(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<(String, Vec<u8>)> {
    let found = super::bank::bank(app, actor, offering).await?;
    let mut files = Vec::new();
    let mut resources = Vec::new();
    for question in &found.questions {
        let body = super::scoring::body_of(question)?;
        let identifier = format!("q{}", question.id);
        let href = format!("items/{identifier}.xml");
        let xml = qti::write_item(&identifier, &question.category, &question.prompt, question.points, &body);
        files.push((href.clone(), xml.into_bytes()));
        resources.push(Resource { identifier, href });
    }
    let code = found.offering.course.code.clone();
    let manifest = qti::write_manifest(&format!("qobe-bank-{code}"), &resources);
    files.insert(0, ("imsmanifest.xml".to_owned(), manifest.into_bytes()));
    let name =
        format!("{}-question-bank-qti3.zip", code.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_"));
    Ok((name, qobe_domain::zip::write(&files)))
}
