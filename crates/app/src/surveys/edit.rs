//! The designer page's form. The whole design is posted as named fields whatever button was
//! pressed, so nothing typed is lost; it is read back into a [`DesignInput`] and the one
//! structural edit the button asks for (add, move, delete a question or a section) is applied
//! to it before it is saved. The order of questions is the order of their fields in the post,
//! so moving a question's fields on the page (drag and drop) moves the question.
//!
//! Field names: `title`, `description`, `anonymous`; a `section` marker (its number as the page
//! showed it, from 1) followed by `section{n}.title`, `.description`, `.if_question`, `.if_test`,
//! `.if_value`; a `question` marker (its key) followed by `{key}.text`, `.help`, `.required`,
//! `.kind`, `.points`, `.labels`, `.options`, `.other`, `.rows`, `.min`, `.max`, `.whole`,
//! `.if_question`, `.if_test`, `.if_value`, and `.map` (a rating scale's outcomes, `clo:12`) or
//! `.map.{row}` (a grid row's, from 0). The names of errors match [`check_form`]'s.
//!
//! [`check_form`]: qobe_domain::surveys::check_form

use std::collections::HashMap;

use qobe_domain::FieldErrors;
use qobe_domain::surveys::{Condition, Question, QuestionKind, Section, SurveyForm, Test};

use super::design::{DesignInput, LinkInput};
use super::templates::AGREEMENT;

/// The kinds a question may be, as the designer's select names them.
pub const KINDS: [(&str, &str); 10] = [
    ("scale", "Rating scale"),
    ("single_choice", "One choice"),
    ("multiple_choice", "Several choices"),
    ("matrix", "Grid of ratings"),
    ("ranking", "Ranking"),
    ("numeric", "Number"),
    ("date", "Date"),
    ("short_text", "Short text"),
    ("long_text", "Long text"),
    ("yes_no", "Yes or no"),
];

/// The select's name of a question's kind.
pub fn kind_name(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Scale { .. } => "scale",
        QuestionKind::SingleChoice { .. } => "single_choice",
        QuestionKind::MultipleChoice { .. } => "multiple_choice",
        QuestionKind::Matrix { .. } => "matrix",
        QuestionKind::Ranking { .. } => "ranking",
        QuestionKind::Numeric { .. } => "numeric",
        QuestionKind::Date => "date",
        QuestionKind::ShortText => "short_text",
        QuestionKind::LongText => "long_text",
        QuestionKind::YesNo => "yes_no",
    }
}

/// What the pressed button asks for, besides saving what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Save,
    /// A new question of a kind at the end of a section (from 0).
    AddQuestion {
        section: usize,
        kind: String,
    },
    AddSection,
    /// One place up or down; past a section's edge, into the section before or after.
    Move {
        question: String,
        up: bool,
    },
    Delete {
        question: String,
    },
    MoveSection {
        section: usize,
        up: bool,
    },
    /// Its questions join the section before it (or after it, for the first).
    DeleteSection {
        section: usize,
    },
}

impl Edit {
    /// The `edit` button's value (`add:1`, `up:q3`, `delete_section:2`…; sections from 1 as the
    /// page numbers them) with the kind chosen beside an "add" button (`add_kind{n}`).
    pub fn parse(value: &str, fields: &[(String, String)]) -> Edit {
        let section = |n: &str| n.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
        match value.split_once(':') {
            Some(("add", n)) => match section(n) {
                Some(at) => {
                    let kind = last(fields, &format!("add_kind{n}")).unwrap_or("scale").to_owned();
                    Edit::AddQuestion { section: at, kind }
                }
                None => Edit::Save,
            },
            Some(("up", key)) => Edit::Move { question: key.to_owned(), up: true },
            Some(("down", key)) => Edit::Move { question: key.to_owned(), up: false },
            Some(("delete", key)) => Edit::Delete { question: key.to_owned() },
            Some(("section_up", n)) => section(n).map_or(Edit::Save, |s| Edit::MoveSection { section: s, up: true }),
            Some(("section_down", n)) => section(n).map_or(Edit::Save, |s| Edit::MoveSection { section: s, up: false }),
            Some(("delete_section", n)) => section(n).map_or(Edit::Save, |s| Edit::DeleteSection { section: s }),
            _ if value == "add_section" => Edit::AddSection,
            _ => Edit::Save,
        }
    }

    /// The anchor of the page to come back to after the edit.
    pub fn anchor(&self, form: &SurveyForm) -> String {
        match self {
            Edit::Move { question, .. } => format!("q-{question}"),
            Edit::AddQuestion { section, .. } => form
                .sections
                .get(*section)
                .and_then(|s| s.questions.last())
                .map_or_else(|| format!("section{}", section + 1), |q| format!("q-{}", q.key)),
            Edit::AddSection => format!("section{}", form.sections.len()),
            Edit::MoveSection { section, up } => {
                let to = if *up { section.saturating_sub(1) } else { section + 1 };
                format!("section{}", to.min(form.sections.len().saturating_sub(1)) + 1)
            }
            Edit::Save | Edit::Delete { .. } | Edit::DeleteSection { .. } => String::new(),
        }
    }
}

fn last<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// A posted design: what it reads as, the text of the fields that did not read (to show them
/// again as typed), and what is wrong with them.
#[derive(Debug, Clone)]
pub struct Posted {
    pub input: DesignInput,
    pub typed: HashMap<String, String>,
    pub errors: FieldErrors,
}

/// Reads the designer's fields.
pub fn read(fields: &[(String, String)]) -> Posted {
    let mut typed = HashMap::new();
    let mut errors = FieldErrors::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut links = Vec::new();
    for (name, value) in fields {
        match name.as_str() {
            "section" => {
                let field = format!("section{}", value.trim());
                sections.push(read_section(fields, &field, &mut typed, &mut errors));
            }
            "question" => {
                let key = value.trim();
                let field = |part: &str| format!("{key}.{part}");
                let question = read_question(fields, key, &mut typed, &mut errors);
                links.extend(read_links(fields, &question, &field));
                if sections.is_empty() {
                    sections.push(Section { title: "Questions".into(), ..Section::default() });
                }
                if let Some(section) = sections.last_mut() {
                    section.questions.push(question);
                }
            }
            _ => {}
        }
    }
    let text = |name: &str| last(fields, name).unwrap_or_default().to_owned();
    let input = DesignInput {
        title: text("title").trim().to_owned(),
        description: text("description").trim().to_owned(),
        anonymous: matches!(last(fields, "anonymous"), Some("on" | "true" | "1")),
        form: SurveyForm { sections },
        links,
    };
    Posted { input, typed, errors }
}

fn read_section(
    fields: &[(String, String)],
    field: &str,
    typed: &mut HashMap<String, String>,
    errors: &mut FieldErrors,
) -> Section {
    let text = |part: &str| last(fields, &format!("{field}.{part}")).unwrap_or_default().to_owned();
    Section {
        title: text("title").trim().to_owned(),
        description: text("description").trim().to_owned(),
        show_if: read_condition(fields, field, typed, errors),
        questions: Vec::new(),
    }
}

fn read_question(
    fields: &[(String, String)],
    key: &str,
    typed: &mut HashMap<String, String>,
    errors: &mut FieldErrors,
) -> Question {
    let name = |part: &str| format!("{key}.{part}");
    let text = |part: &str| last(fields, &name(part)).unwrap_or_default().to_owned();
    let checked = |part: &str| matches!(last(fields, &name(part)), Some("on" | "true" | "1"));
    let kind_name = text("kind");
    let rated = matches!(kind_name.as_str(), "scale" | "matrix");
    let points = {
        let raw = text("points");
        match raw.trim().parse::<u8>() {
            Ok(points) => points,
            Err(_) if !rated => 5,
            Err(_) => {
                typed.insert(name("points"), raw.trim().to_owned());
                errors.add(&name("points"), "give the number of points, 3 to 10");
                5
            }
        }
    };
    let mut number = |part: &str, error_at: &str| -> Option<f64> {
        let raw = text(part);
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<f64>() {
            Ok(value) if value.is_finite() => Some(value),
            _ => {
                typed.insert(name(part), raw.to_owned());
                errors.add(&name(error_at), format!("{raw:?} is not a number"));
                None
            }
        }
    };
    let labels = lines(&text("labels"));
    let options = lines(&text("options"));
    let kind = match kind_name.as_str() {
        "scale" => QuestionKind::Scale { points, labels },
        "single_choice" => QuestionKind::SingleChoice { options, other: checked("other") },
        "multiple_choice" => QuestionKind::MultipleChoice { options, other: checked("other") },
        "matrix" => QuestionKind::Matrix { rows: lines(&text("rows")), points, labels },
        "ranking" => QuestionKind::Ranking { options },
        "numeric" => {
            QuestionKind::Numeric { min: number("min", "range"), max: number("max", "range"), whole: checked("whole") }
        }
        "date" => QuestionKind::Date,
        "long_text" => QuestionKind::LongText,
        "yes_no" => QuestionKind::YesNo,
        "short_text" => QuestionKind::ShortText,
        other => {
            errors.add(&name("kind"), format!("{other:?} is not a kind of question"));
            QuestionKind::ShortText
        }
    };
    let prefix = key.to_owned();
    Question {
        key: key.to_owned(),
        text: text("text").trim().to_owned(),
        help: text("help").trim().to_owned(),
        required: checked("required"),
        kind,
        show_if: read_condition(fields, &prefix, typed, errors),
    }
}

/// `{prefix}.if_question`, `.if_test` and `.if_value` as a condition; none when no question is
/// chosen. An error goes on `{prefix}.show_if`.
fn read_condition(
    fields: &[(String, String)],
    prefix: &str,
    typed: &mut HashMap<String, String>,
    errors: &mut FieldErrors,
) -> Option<Condition> {
    let text = |part: &str| last(fields, &format!("{prefix}.{part}")).unwrap_or_default().trim().to_owned();
    let question = text("if_question");
    if question.is_empty() {
        return None;
    }
    let value = text("if_value");
    let mut threshold = || match value.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            typed.insert(format!("{prefix}.if_value"), value.clone());
            errors.add(&format!("{prefix}.show_if"), "give the number the answer is compared with");
            None
        }
    };
    let test = match text("if_test").as_str() {
        "any_of" => Test::AnyOf { options: lines(&value.replace('|', "\n")) },
        "at_least" => Test::AtLeast { value: threshold()? },
        "at_most" => Test::AtMost { value: threshold()? },
        _ => Test::Answered,
    };
    Some(Condition { question, test })
}

fn read_links(fields: &[(String, String)], question: &Question, name: &dyn Fn(&str) -> String) -> Vec<LinkInput> {
    let parse = |value: &str, row: Option<usize>| {
        let (kind, id) = value.split_once(':')?;
        Some(LinkInput {
            question: question.key.clone(),
            row,
            outcome_kind: kind.to_owned(),
            outcome: id.parse().ok()?,
        })
    };
    let values = |field: String| -> Vec<String> {
        fields.iter().filter(|(k, v)| *k == field && !v.is_empty()).map(|(_, v)| v.clone()).collect()
    };
    match &question.kind {
        QuestionKind::Scale { .. } => values(name("map")).iter().filter_map(|v| parse(v, None)).collect(),
        QuestionKind::Matrix { rows, .. } => (0..rows.len())
            .flat_map(|row| values(name(&format!("map.{row}"))).into_iter().filter_map(move |v| parse(&v, Some(row))))
            .collect(),
        _ => Vec::new(),
    }
}

/// A new question of `kind`, filled in enough to be valid, so adding one never blocks a save.
pub fn new_question(key: String, kind: &str) -> Question {
    let options = || vec!["Option 1".to_owned(), "Option 2".to_owned()];
    let agreement = || AGREEMENT.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    let kind = match kind {
        "single_choice" => QuestionKind::SingleChoice { options: options(), other: false },
        "multiple_choice" => QuestionKind::MultipleChoice { options: options(), other: false },
        "matrix" => QuestionKind::Matrix { rows: vec!["Row 1".into()], points: 5, labels: agreement() },
        "ranking" => QuestionKind::Ranking { options: options() },
        "numeric" => QuestionKind::Numeric { min: None, max: None, whole: false },
        "date" => QuestionKind::Date,
        "short_text" => QuestionKind::ShortText,
        "long_text" => QuestionKind::LongText,
        "yes_no" => QuestionKind::YesNo,
        _ => QuestionKind::Scale { points: 5, labels: agreement() },
    };
    Question { key, text: "New question".into(), help: String::new(), required: false, kind, show_if: None }
}

/// The first `q{n}` no question is called.
fn free_key(form: &SurveyForm) -> String {
    (1..).map(|n| format!("q{n}")).find(|key| form.question(key).is_none()).unwrap_or_default()
}

/// Applies `edit` to the design (a question's mappings and the conditions that named it go with
/// it when it is deleted).
pub fn apply(input: &mut DesignInput, edit: &Edit) {
    let form = &mut input.form;
    match edit {
        Edit::Save => {}
        Edit::AddQuestion { section, kind } => {
            let key = free_key(form);
            if form.sections.is_empty() {
                form.sections.push(Section { title: "Questions".into(), ..Section::default() });
            }
            let at = (*section).min(form.sections.len() - 1);
            form.sections[at].questions.push(new_question(key, kind));
        }
        Edit::AddSection => {
            let title = format!("Section {}", form.sections.len() + 1);
            form.sections.push(Section { title, ..Section::default() });
        }
        Edit::Move { question, up } => move_question(form, question, *up),
        Edit::Delete { question } => {
            for section in &mut form.sections {
                section.questions.retain(|q| &q.key != question);
            }
            let names_it = |c: &Option<Condition>| c.as_ref().is_some_and(|c| &c.question == question);
            for section in &mut form.sections {
                if names_it(&section.show_if) {
                    section.show_if = None;
                }
                for q in &mut section.questions {
                    if names_it(&q.show_if) {
                        q.show_if = None;
                    }
                }
            }
            input.links.retain(|l| &l.question != question);
        }
        Edit::MoveSection { section, up } => {
            let to = if *up { section.checked_sub(1) } else { Some(section + 1) };
            if let Some(to) = to.filter(|to| *to < form.sections.len() && *section < form.sections.len()) {
                form.sections.swap(*section, to);
            }
        }
        Edit::DeleteSection { section } => {
            if form.sections.len() > 1 && *section < form.sections.len() {
                let removed = form.sections.remove(*section);
                let into = section.saturating_sub(1);
                let target = &mut form.sections[into].questions;
                if *section == 0 {
                    let mut moved = removed.questions;
                    moved.append(target);
                    *target = moved;
                } else {
                    target.extend(removed.questions);
                }
            }
        }
    }
}

fn move_question(form: &mut SurveyForm, key: &str, up: bool) {
    let Some((s, at)) = form
        .sections
        .iter()
        .enumerate()
        .find_map(|(s, section)| section.questions.iter().position(|q| q.key == key).map(|at| (s, at)))
    else {
        return;
    };
    let count = form.sections[s].questions.len();
    match (up, at) {
        (true, 0) if s > 0 => {
            let question = form.sections[s].questions.remove(0);
            form.sections[s - 1].questions.push(question);
        }
        (true, 0) => {}
        (true, _) => form.sections[s].questions.swap(at, at - 1),
        (false, _) if at + 1 < count => form.sections[s].questions.swap(at, at + 1),
        (false, _) if s + 1 < form.sections.len() => {
            let question = form.sections[s].questions.remove(at);
            form.sections[s + 1].questions.insert(0, question);
        }
        (false, _) => {}
    }
}

/// The text a condition's value field shows: the options one per line, or the number.
pub fn condition_value(condition: &Option<Condition>) -> String {
    match condition.as_ref().map(|c| &c.test) {
        Some(Test::AnyOf { options }) => options.join("\n"),
        Some(Test::AtLeast { value } | Test::AtMost { value }) => value.to_string(),
        _ => String::new(),
    }
}

/// The name of a condition's test in the designer's select.
pub fn condition_test(condition: &Option<Condition>) -> &'static str {
    match condition.as_ref().map(|c| &c.test) {
        Some(Test::AnyOf { .. }) => "any_of",
        Some(Test::AtLeast { .. }) => "at_least",
        Some(Test::AtMost { .. }) => "at_most",
        _ => "answered",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn posted() -> Vec<(String, String)> {
        pairs(&[
            ("title", " Exit survey "),
            ("anonymous", "on"),
            ("section", "1"),
            ("section1.title", "About the course"),
            ("question", "clo1"),
            ("clo1.text", "I can design circuits"),
            ("clo1.kind", "scale"),
            ("clo1.points", "5"),
            ("clo1.labels", "SD\nD\nN\nA\nSA"),
            ("clo1.required", "on"),
            ("clo1.map", "clo:7"),
            ("clo1.map", "clo:8"),
            ("section", "2"),
            ("section2.title", "More"),
            ("section2.if_question", "clo1"),
            ("section2.if_test", "at_most"),
            ("section2.if_value", "2"),
            ("question", "why"),
            ("why.text", "Why?"),
            ("why.kind", "long_text"),
            ("question", "grid"),
            ("grid.text", "Rate"),
            ("grid.kind", "matrix"),
            ("grid.points", "4"),
            ("grid.rows", "Labs\n\nLectures"),
            ("grid.map.1", "clo:8"),
            ("grid.if_question", "clo1"),
            ("grid.if_test", "at_least"),
            ("grid.if_value", "4"),
            ("question", "yn"),
            ("yn.text", "Again?"),
            ("yn.kind", "yes_no"),
            ("yn.if_question", "grid"),
            ("yn.if_test", "answered"),
            ("question", "more"),
            ("more.text", "Why not?"),
            ("more.kind", "short_text"),
            ("more.if_question", "yn"),
            ("more.if_test", "any_of"),
            ("more.if_value", "no|yes"),
        ])
    }

    #[test]
    fn the_designer_fields_read_as_the_form_with_conditions_and_mappings_in_page_order() {
        let read = read(&posted());
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        let input = read.input;
        assert_eq!(input.title, "Exit survey");
        assert!(input.anonymous);
        assert_eq!(input.form.sections.len(), 2);
        assert_eq!(
            input.form.sections[1].show_if,
            Some(Condition { question: "clo1".into(), test: Test::AtMost { value: 2.0 } })
        );
        let keys: Vec<&str> = input.form.questions().map(|(_, q)| q.key.as_str()).collect();
        assert_eq!(keys, ["clo1", "why", "grid", "yn", "more"]);
        assert_eq!(
            input.form.question("grid").unwrap().kind,
            QuestionKind::Matrix { rows: vec!["Labs".into(), "Lectures".into()], points: 4, labels: vec![] }
        );
        let links: Vec<(String, Option<usize>, i64)> =
            input.links.iter().map(|l| (l.question.clone(), l.row, l.outcome)).collect();
        assert_eq!(links, [("clo1".into(), None, 7), ("clo1".into(), None, 8), ("grid".into(), Some(1), 8)]);
        assert_eq!(input.form.question("grid").unwrap().show_if.as_ref().unwrap().test, Test::AtLeast { value: 4.0 });
        assert_eq!(
            input.form.question("more").unwrap().show_if.as_ref().unwrap().test,
            Test::AnyOf { options: vec!["no".into(), "yes".into()] }
        );
        let checked = qobe_domain::surveys::check_form(&input.form);
        assert!(checked.is_ok(), "{checked:?}");
    }

    #[test]
    fn numbers_that_do_not_read_are_named_and_kept_as_typed() {
        let mut fields = posted();
        for (name, value) in &mut fields {
            if name == "clo1.points" {
                *value = "five".into();
            }
        }
        fields.extend(pairs(&[("question", "n"), ("n.text", "Age"), ("n.kind", "numeric"), ("n.min", "ten")]));
        let read = read(&fields);
        assert!(read.errors.get("clo1.points").is_some());
        assert!(read.errors.get("n.range").unwrap().contains("ten"));
        assert_eq!(read.typed.get("clo1.points").map(String::as_str), Some("five"));
        assert_eq!(read.typed.get("n.min").map(String::as_str), Some("ten"));
    }

    #[test]
    fn edits_add_move_across_sections_and_delete_with_what_named_the_question() {
        let mut input = read(&posted()).input;
        apply(&mut input, &Edit::parse("add:1", &pairs(&[("add_kind1", "yes_no")])));
        assert_eq!(input.form.sections[0].questions[1].key, "q1");
        assert_eq!(input.form.sections[0].questions[1].kind, QuestionKind::YesNo);
        apply(&mut input, &Edit::parse("down:q1", &[]));
        assert_eq!(input.form.sections[1].questions[0].key, "q1", "past the edge into the next section");
        apply(&mut input, &Edit::parse("up:q1", &[]));
        assert_eq!(input.form.sections[0].questions.last().unwrap().key, "q1");
        apply(&mut input, &Edit::parse("delete:clo1", &[]));
        assert!(input.form.question("clo1").is_none());
        assert!(input.form.sections[1].show_if.is_none() && input.form.question("grid").unwrap().show_if.is_none());
        assert!(input.links.iter().all(|l| l.question != "clo1"));
        apply(&mut input, &Edit::parse("delete_section:1", &[]));
        assert_eq!(input.form.sections.len(), 1);
        let keys: Vec<&str> = input.form.questions().map(|(_, q)| q.key.as_str()).collect();
        assert_eq!(
            keys,
            ["q1", "why", "grid", "yn", "more"],
            "the first section's questions join the next one, in front"
        );
        apply(&mut input, &Edit::parse("add_section", &[]));
        apply(&mut input, &Edit::parse("section_up:2", &[]));
        assert_eq!(input.form.sections[0].title, "Section 2");
        assert_eq!(Edit::parse("nonsense", &[]), Edit::Save);
        for (kind, _) in KINDS {
            let question = new_question("a".into(), kind);
            assert_eq!(kind_name(&question.kind), kind);
            let form = SurveyForm {
                sections: vec![Section { title: "S".into(), questions: vec![question], ..Section::default() }],
            };
            assert!(qobe_domain::surveys::check_form(&form).is_ok(), "a new {kind} question is valid");
        }
    }
}
