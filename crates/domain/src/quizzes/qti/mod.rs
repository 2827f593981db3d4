//! 1EdTech QTI items, versions 2.1 (2.2 reads the same) and 3.0: read into a bank question, and a
//! question written as a QTI 3.0 item, with the content package's manifest both ways.
//!
//! The versions spell the same model differently (`choiceInteraction`, `baseType` against
//! `qti-choice-interaction`, `base-type`), so every element and attribute name is read in one
//! spelling — kebab case without the `qti-` prefix — and one reader serves both. Five
//! interactions are read: choice (single or multiple; true/false when the two choices are True
//! and False), text entry (numeric with its tolerance when the response is a number, else
//! accepted answers), extended text (an essay, its scorer's rubric block the guidance), match
//! and order. Whatever QOBE cannot hold faithfully is refused, naming the element and its line.

use std::collections::HashMap;

use super::questions::{Body, Pair};

#[cfg(test)]
mod tests;
mod write;

pub use write::{write_item, write_manifest};

/// A question read from an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub identifier: String,
    /// The item's label: QOBE's export puts the bank category there (empty when absent).
    pub label: String,
    pub prompt: String,
    pub points: f64,
    pub body: Body,
}

/// What is wrong and where: the element as the file spells it, and its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub element: String,
    pub line: u32,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, <{}>: {}", self.line, self.element, self.message)
    }
}

type Node<'a, 'i> = roxmltree::Node<'a, 'i>;

const READ: [&str; 5] = [
    "choice-interaction",
    "text-entry-interaction",
    "extended-text-interaction",
    "match-interaction",
    "order-interaction",
];

/// The version-free name: `choiceInteraction` and `qti-choice-interaction` are both
/// `choice-interaction`.
fn canonical(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("qti-") {
        return rest.to_owned();
    }
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn name(node: Node) -> String {
    canonical(node.tag_name().name())
}

fn attr<'a>(node: Node<'a, '_>, wanted: &str) -> Option<&'a str> {
    node.attributes().find(|a| canonical(a.name()) == wanted).map(|a| a.value())
}

fn children<'a, 'i>(node: Node<'a, 'i>, wanted: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |c| c.is_element() && name(*c) == wanted)
}

fn child<'a, 'i>(node: Node<'a, 'i>, wanted: &'static str) -> Option<Node<'a, 'i>> {
    children(node, wanted).next()
}

fn problem(node: Node, message: impl Into<String>) -> Problem {
    let line = node.document().text_pos_at(node.range().start).row;
    Problem { element: node.tag_name().name().to_owned(), line, message: message.into() }
}

/// Text with each line trimmed and blank runs closed up, so an indented file reads as its words.
fn tidy(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// An element's text; a text entry inside it reads as a blank to fill.
fn text_of(node: Node) -> String {
    let mut out = String::new();
    for piece in node.descendants() {
        if piece.is_text() && !piece.ancestors().any(|a| a.is_element() && name(a) == "rubric-block") {
            out.push_str(piece.text().unwrap_or_default());
        } else if piece.is_element() && name(piece) == "text-entry-interaction" {
            out.push_str("____");
        } else if piece.is_element() && name(piece) == "br" {
            out.push('\n');
        }
    }
    let text = tidy(&out);
    // A blank alone in its paragraph is the answer box, not part of the question.
    if text == "____" { String::new() } else { text }
}

fn holds_block_interaction(node: Node) -> bool {
    node.descendants()
        .any(|d| d.is_element() && READ.contains(&name(d).as_str()) && name(d) != "text-entry-interaction")
}

/// The question's words: the item body's text and the interaction's prompt, paragraph by
/// paragraph, without the choices and the scorer's rubric.
fn prompt_of(body: Node, paragraphs: &mut Vec<String>) {
    for node in body.children() {
        if node.is_text() {
            let text = tidy(node.text().unwrap_or_default());
            if !text.is_empty() {
                paragraphs.push(text);
            }
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let kind = name(node);
        if kind == "rubric-block" {
            continue;
        }
        if READ.contains(&kind.as_str()) {
            if let Some(prompt) = child(node, "prompt") {
                paragraphs.push(text_of(prompt));
            }
        } else if holds_block_interaction(node) {
            prompt_of(node, paragraphs);
        } else {
            let text = text_of(node);
            if !text.is_empty() {
                paragraphs.push(text);
            }
        }
    }
}

/// A response declaration as read.
struct Declaration<'a, 'i> {
    node: Node<'a, 'i>,
    cardinality: String,
    base_type: String,
    correct: Vec<String>,
    /// (key, value, case sensitive)
    mapping: Vec<(String, f64, bool)>,
}

fn declaration<'a, 'i>(node: Node<'a, 'i>) -> Declaration<'a, 'i> {
    let values = |parent: Option<Node>| -> Vec<String> {
        parent.map(|p| children(p, "value").map(|v| tidy(v.text().unwrap_or_default())).collect()).unwrap_or_default()
    };
    let mapping = child(node, "mapping")
        .map(|m| {
            children(m, "map-entry")
                .map(|e| {
                    let value = attr(e, "mapped-value").and_then(|v| v.trim().parse().ok()).unwrap_or(0.0);
                    (
                        attr(e, "map-key").unwrap_or_default().to_owned(),
                        value,
                        attr(e, "case-sensitive") == Some("true"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Declaration {
        node,
        cardinality: attr(node, "cardinality").unwrap_or("single").to_owned(),
        base_type: attr(node, "base-type").unwrap_or_default().to_owned(),
        correct: values(child(node, "correct-response")),
        mapping,
    }
}

/// (identifier, text) of an interaction's choices of one kind.
fn choices(node: Node, kind: &'static str) -> Result<Vec<(String, String)>, Problem> {
    children(node, kind)
        .map(|c| match attr(c, "identifier") {
            Some(id) => Ok((id.to_owned(), text_of(c))),
            None => Err(problem(c, "has no identifier")),
        })
        .collect()
}

fn place(list: &[(String, String)], id: &str, declared: Node) -> Result<usize, Problem> {
    list.iter()
        .position(|(c, _)| c == id)
        .ok_or_else(|| problem(declared, format!("names {id} as right, which is not a choice of the interaction")))
}

fn needs_correct(declared: &Declaration) -> Result<(), Problem> {
    if declared.correct.is_empty() {
        return Err(problem(declared.node, "gives no correct response"));
    }
    Ok(())
}

fn choice(interaction: Node, declared: &Declaration) -> Result<Body, Problem> {
    let list = choices(interaction, "simple-choice")?;
    needs_correct(declared)?;
    let options: Vec<String> = list.iter().map(|(_, t)| t.clone()).collect();
    match declared.cardinality.as_str() {
        "single" => {
            if declared.correct.len() > 1 {
                return Err(problem(declared.node, "names more than one right choice for a single-choice item"));
            }
            let correct = place(&list, &declared.correct[0], declared.node)?;
            let words: Vec<String> = options.iter().map(|o| o.to_lowercase()).collect();
            if words == ["true", "false"] || words == ["false", "true"] {
                Ok(Body::TrueFalse { correct: words[correct] == "true" })
            } else {
                Ok(Body::SingleChoice { options, correct })
            }
        }
        "multiple" => {
            let correct = declared.correct.iter().map(|c| place(&list, c, declared.node)).collect::<Result<_, _>>()?;
            Ok(Body::MultipleChoice { options, correct })
        }
        other => Err(problem(declared.node, format!("has cardinality {other}; a choice is single or multiple"))),
    }
}

/// The tolerance a numeric answer is compared with: an `equal` of the response processing, in
/// absolute terms (a relative one is a percentage of the answer).
fn tolerance(root: Node, answer: f64) -> f64 {
    let Some(equal) = root.descendants().find(|n| n.is_element() && name(*n) == "equal") else { return 0.0 };
    let amount = attr(equal, "tolerance").and_then(|t| t.split_whitespace().next()).and_then(|t| t.parse::<f64>().ok());
    match (attr(equal, "tolerance-mode"), amount) {
        (Some("absolute"), Some(t)) => t,
        (Some("relative"), Some(t)) => answer.abs() * t / 100.0,
        _ => 0.0,
    }
}

fn text_entry(root: Node, declared: &Declaration) -> Result<Body, Problem> {
    match declared.base_type.as_str() {
        "float" | "integer" => {
            needs_correct(declared)?;
            let answer = super::questions::parse_number(&declared.correct[0]).ok_or_else(|| {
                problem(declared.node, format!("gives {} as the answer, which is not a number", declared.correct[0]))
            })?;
            Ok(Body::Numeric { answer, tolerance: tolerance(root, answer) })
        }
        "string" | "" => {
            let mut patterns: Vec<String> = Vec::new();
            let mapped = declared.mapping.iter().filter(|(_, value, _)| *value > 0.0).map(|(key, _, _)| key.clone());
            for answer in declared.correct.iter().cloned().chain(mapped) {
                if !answer.is_empty() && !patterns.contains(&answer) {
                    patterns.push(answer);
                }
            }
            if patterns.is_empty() {
                return Err(problem(declared.node, "gives no correct response and maps no answer to points"));
            }
            Ok(Body::ShortAnswer { patterns, case_sensitive: declared.mapping.iter().any(|m| m.2) })
        }
        other => Err(problem(
            declared.node,
            format!("has base type {other}; a text entry QOBE reads is a string or a number"),
        )),
    }
}

fn matching(interaction: Node, declared: &Declaration) -> Result<Body, Problem> {
    let sets: Vec<Node> = children(interaction, "simple-match-set").collect();
    if sets.len() != 2 {
        return Err(problem(interaction, "needs two simple match sets, the lefts and the rights"));
    }
    let (lefts, rights) =
        (choices(sets[0], "simple-associable-choice")?, choices(sets[1], "simple-associable-choice")?);
    needs_correct(declared)?;
    let pairs: Vec<(String, String)> = declared
        .correct
        .iter()
        .map(|value| {
            let mut ids = value.split_whitespace();
            match (ids.next(), ids.next(), ids.next()) {
                (Some(l), Some(r), None) => Ok((l.to_owned(), r.to_owned())),
                _ => Err(problem(declared.node, format!("gives '{value}' as a pair; a pair is two identifiers"))),
            }
        })
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (id, left) in &lefts {
        let mine: Vec<&(String, String)> = pairs.iter().filter(|(l, _)| l == id).collect();
        let [(_, right)] = mine.as_slice() else {
            return Err(problem(
                declared.node,
                format!("matches {id} to {} rights; QOBE matches each left to one", mine.len()),
            ));
        };
        let at = place(&rights, right, declared.node)?;
        out.push(Pair { left: left.clone(), right: rights[at].1.clone() });
    }
    if let Some((id, _)) = rights.iter().find(|(r, _)| !pairs.iter().any(|(_, pr)| pr == r)) {
        return Err(problem(sets[1], format!("has {id}, which matches no left: QOBE's matching holds no distractors")));
    }
    Ok(Body::Matching { pairs: out })
}

fn ordering(interaction: Node, declared: &Declaration) -> Result<Body, Problem> {
    let list = choices(interaction, "simple-choice")?;
    needs_correct(declared)?;
    if declared.correct.len() != list.len() {
        return Err(problem(
            declared.node,
            format!("orders {} of the {} choices; QOBE orders them all", declared.correct.len(), list.len()),
        ));
    }
    let items = declared
        .correct
        .iter()
        .map(|c| place(&list, c, declared.node).map(|at| list[at].1.clone()))
        .collect::<Result<_, _>>()?;
    Ok(Body::Ordering { items })
}

/// The points an item is worth: its MAXSCORE, else its SCORE's normal maximum, else 1.
fn points(root: Node) -> f64 {
    let outcome = |id: &str| children(root, "outcome-declaration").find(|o| attr(*o, "identifier") == Some(id));
    let default = outcome("MAXSCORE")
        .and_then(|o| child(o, "default-value"))
        .and_then(|d| child(d, "value"))
        .and_then(|v| v.text()?.trim().parse::<f64>().ok());
    let normal = outcome("SCORE").and_then(|o| attr(o, "normal-maximum")).and_then(|v| v.trim().parse::<f64>().ok());
    default.or(normal).filter(|p| p.is_finite() && *p >= 0.0).unwrap_or(1.0)
}

/// How deep an item's elements may nest; real items stay within a dozen or so, and the reading
/// below walks the tree recursively.
const DEEPEST: usize = 100;

/// The first element nested deeper than [`DEEPEST`], found without recursion.
fn too_deep<'a, 'i>(root: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    let mut stack = vec![(root, 1usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > DEEPEST {
            return Some(node);
        }
        stack.extend(node.children().filter(|c| c.is_element()).map(|c| (c, depth + 1)));
    }
    None
}

/// Reads one item (QTI 2.1, 2.2 or 3.0).
pub fn read_item(xml: &str) -> Result<Item, Problem> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| Problem {
        element: "?xml".into(),
        line: e.pos().row,
        message: format!("is not well-formed XML: {e}"),
    })?;
    let root = doc.root_element();
    if let Some(deep) = too_deep(root) {
        return Err(problem(deep, format!("is nested more than {DEEPEST} elements deep")));
    }
    if name(root) != "assessment-item" {
        return Err(problem(root, "is not an assessment item (assessmentItem, qti-assessment-item)"));
    }
    if attr(root, "adaptive").is_some_and(|a| a.trim() == "true") {
        return Err(problem(root, "is adaptive (its response changes across tries); a QOBE question is scored once"));
    }
    if let Some(template) = children(root, "template-declaration").next() {
        return Err(problem(
            template,
            "declares template variables; QOBE's questions are not generated from templates",
        ));
    }
    let declarations: HashMap<&str, Declaration> =
        children(root, "response-declaration").filter_map(|d| Some((attr(d, "identifier")?, declaration(d)))).collect();
    let body = child(root, "item-body").ok_or_else(|| problem(root, "has no item body"))?;
    if let Some(other) = body
        .descendants()
        .find(|n| n.is_element() && name(*n).ends_with("-interaction") && !READ.contains(&name(*n).as_str()))
    {
        return Err(problem(
            other,
            "is not an interaction QOBE reads (choice, text entry, extended text, match, order)",
        ));
    }
    let interactions: Vec<Node> =
        body.descendants().filter(|n| n.is_element() && READ.contains(&name(*n).as_str())).collect();
    let interaction = match interactions.as_slice() {
        [] => return Err(problem(body, "holds no interaction")),
        [one] => *one,
        [_, second, ..] => return Err(problem(*second, "is a second interaction; a QOBE question has one")),
    };
    let kind = name(interaction);
    let declared = attr(interaction, "response-identifier").and_then(|id| declarations.get(id));
    let body_of = match (kind.as_str(), declared) {
        ("extended-text-interaction", _) => {
            let guidance = body
                .descendants()
                .find(|n| {
                    n.is_element()
                        && name(*n) == "rubric-block"
                        && attr(*n, "view").is_some_and(|v| v.contains("scorer"))
                })
                .map(|rubric| {
                    let mut text = String::new();
                    for t in rubric.descendants().filter(|d| d.is_text()) {
                        text.push_str(t.text().unwrap_or_default());
                    }
                    tidy(&text)
                })
                .unwrap_or_default();
            Body::Essay { guidance }
        }
        (_, None) => return Err(problem(interaction, "names no response declaration of the item")),
        ("choice-interaction", Some(d)) => choice(interaction, d)?,
        ("text-entry-interaction", Some(d)) => text_entry(root, d)?,
        ("match-interaction", Some(d)) => matching(interaction, d)?,
        (_, Some(d)) => ordering(interaction, d)?,
    };
    body_of.check().map_err(|message| problem(interaction, message))?;
    let mut paragraphs = Vec::new();
    prompt_of(body, &mut paragraphs);
    let prompt = paragraphs.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n");
    if prompt.is_empty() {
        return Err(problem(body, "has no question text"));
    }
    Ok(Item {
        identifier: attr(root, "identifier").unwrap_or_default().to_owned(),
        label: attr(root, "label").unwrap_or_default().to_owned(),
        prompt,
        points: points(root),
        body: body_of,
    })
}

/// An item resource of a content package's manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub identifier: String,
    pub href: String,
}

/// The item resources a manifest lists (tests, stylesheets and media are passed over).
pub fn read_manifest(xml: &str) -> Result<Vec<Resource>, Problem> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| Problem {
        element: "?xml".into(),
        line: e.pos().row,
        message: format!("is not well-formed XML: {e}"),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "manifest" {
        return Err(problem(root, "is not a content package manifest"));
    }
    let resources = root.children().find(|c| c.is_element() && c.tag_name().name() == "resources");
    let mut out = Vec::new();
    for resource in
        resources.iter().flat_map(|r| r.children().filter(|c| c.is_element() && c.tag_name().name() == "resource"))
    {
        if !resource.attribute("type").is_some_and(|t| t.starts_with("imsqti_item_xml")) {
            continue;
        }
        let href = resource.attribute("href").ok_or_else(|| problem(resource, "lists an item without its href"))?;
        out.push(Resource {
            identifier: resource.attribute("identifier").unwrap_or_default().to_owned(),
            href: href.to_owned(),
        });
    }
    if out.is_empty() {
        return Err(problem(
            resources.unwrap_or(root),
            "lists no QTI item (type imsqti_item_xmlv2p1 or imsqti_item_xmlv3p0)",
        ));
    }
    Ok(out)
}
