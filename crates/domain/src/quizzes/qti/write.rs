//! Writing QTI 3.0: an item per question, and the package's manifest.

use super::Resource;
use crate::quizzes::questions::Body;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn number(value: f64) -> String {
    let text = format!("{value}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

const NAMESPACE: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
const SCHEMA: &str = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0p1_v1p0.xsd";
const TEMPLATES: &str = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates";

fn declaration_xml(cardinality: &str, base_type: &str, values: &[String], extra: &str) -> String {
    let mut out = format!(
        "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"{cardinality}\" base-type=\"{base_type}\">\n"
    );
    if !values.is_empty() {
        out.push_str("    <qti-correct-response>\n");
        for value in values {
            out.push_str(&format!("      <qti-value>{}</qti-value>\n", escape(value)));
        }
        out.push_str("    </qti-correct-response>\n");
    }
    out.push_str(extra);
    out.push_str("  </qti-response-declaration>\n");
    out
}

fn simple_choices(kind: &str, prefix: &str, texts: &[String]) -> String {
    texts
        .iter()
        .enumerate()
        .map(|(n, text)| format!("      <qti-{kind} identifier=\"{prefix}{}\">{}</qti-{kind}>\n", n + 1, escape(text)))
        .collect()
}

/// A question as a QTI 3.0 item: `identifier` names it in the package, `label` carries the bank
/// category.
pub fn write_item(identifier: &str, label: &str, prompt: &str, points: f64, body: &Body) -> String {
    let title: String = prompt.lines().next().unwrap_or_default().chars().take(80).collect();
    let ids = |prefix: &str, picks: &[usize]| picks.iter().map(|p| format!("{prefix}{}", p + 1)).collect::<Vec<_>>();
    let prompt_block = format!("      <qti-prompt>{}</qti-prompt>\n", escape(prompt));
    let match_correct = format!("  <qti-response-processing template=\"{TEMPLATES}/match_correct.xml\"/>\n");
    let (declaration, interaction, processing) = match body {
        Body::SingleChoice { options, correct } => (
            declaration_xml("single", "identifier", &ids("C", &[*correct]), ""),
            format!(
                "    <qti-choice-interaction response-identifier=\"RESPONSE\" shuffle=\"true\" max-choices=\"1\">\n{prompt_block}{}    </qti-choice-interaction>\n",
                simple_choices("simple-choice", "C", options)
            ),
            match_correct,
        ),
        Body::MultipleChoice { options, correct } => (
            declaration_xml("multiple", "identifier", &ids("C", correct), ""),
            format!(
                "    <qti-choice-interaction response-identifier=\"RESPONSE\" shuffle=\"true\" max-choices=\"0\">\n{prompt_block}{}    </qti-choice-interaction>\n",
                simple_choices("simple-choice", "C", options)
            ),
            match_correct,
        ),
        Body::TrueFalse { correct } => (
            declaration_xml("single", "identifier", &ids("C", &[usize::from(!*correct)]), ""),
            format!(
                "    <qti-choice-interaction response-identifier=\"RESPONSE\" shuffle=\"false\" max-choices=\"1\">\n{prompt_block}{}    </qti-choice-interaction>\n",
                simple_choices("simple-choice", "C", &["True".into(), "False".into()])
            ),
            match_correct,
        ),
        Body::Numeric { answer, tolerance } => (
            declaration_xml("single", "float", &[number(*answer)], ""),
            format!(
                "    <div>{}</div>\n    <p><qti-text-entry-interaction response-identifier=\"RESPONSE\"/></p>\n",
                escape(prompt)
            ),
            format!(
                "  <qti-response-processing>\n    <qti-response-condition>\n      <qti-response-if>\n        <qti-equal tolerance-mode=\"absolute\" tolerance=\"{t} {t}\">\n          <qti-variable identifier=\"RESPONSE\"/>\n          <qti-correct identifier=\"RESPONSE\"/>\n        </qti-equal>\n        <qti-set-outcome-value identifier=\"SCORE\">\n          <qti-base-value base-type=\"float\">{p}</qti-base-value>\n        </qti-set-outcome-value>\n      </qti-response-if>\n    </qti-response-condition>\n  </qti-response-processing>\n",
                t = number(*tolerance),
                p = number(points)
            ),
        ),
        Body::ShortAnswer { patterns, case_sensitive } => {
            let entries: String = patterns
                .iter()
                .map(|p| format!("      <qti-map-entry map-key=\"{}\" mapped-value=\"{}\" case-sensitive=\"{case_sensitive}\"/>\n", escape(p), number(points)))
                .collect();
            (
                declaration_xml(
                    "single",
                    "string",
                    &patterns[..patterns.len().min(1)],
                    &format!(
                        "    <qti-mapping default-value=\"0\" upper-bound=\"{}\">\n{entries}    </qti-mapping>\n",
                        number(points)
                    ),
                ),
                format!(
                    "    <div>{}</div>\n    <p><qti-text-entry-interaction response-identifier=\"RESPONSE\"/></p>\n",
                    escape(prompt)
                ),
                format!("  <qti-response-processing template=\"{TEMPLATES}/map_response.xml\"/>\n"),
            )
        }
        Body::Matching { pairs } => {
            let lefts: Vec<String> = pairs.iter().map(|p| p.left.clone()).collect();
            let rights: Vec<String> = pairs.iter().map(|p| p.right.clone()).collect();
            let values: Vec<String> = (1..=pairs.len()).map(|n| format!("L{n} R{n}")).collect();
            let set = |prefix: &str, texts: &[String]| {
                texts
                    .iter()
                    .enumerate()
                    .map(|(n, t)| format!("        <qti-simple-associable-choice identifier=\"{prefix}{}\" match-max=\"1\">{}</qti-simple-associable-choice>\n", n + 1, escape(t)))
                    .collect::<String>()
            };
            (
                declaration_xml("multiple", "directedPair", &values, ""),
                format!(
                    "    <qti-match-interaction response-identifier=\"RESPONSE\" shuffle=\"true\" max-associations=\"{n}\">\n{prompt_block}      <qti-simple-match-set>\n{}      </qti-simple-match-set>\n      <qti-simple-match-set>\n{}      </qti-simple-match-set>\n    </qti-match-interaction>\n",
                    set("L", &lefts),
                    set("R", &rights),
                    n = pairs.len()
                ),
                match_correct,
            )
        }
        Body::Ordering { items } => (
            declaration_xml("ordered", "identifier", &ids("C", &(0..items.len()).collect::<Vec<_>>()), ""),
            format!(
                "    <qti-order-interaction response-identifier=\"RESPONSE\" shuffle=\"true\">\n{prompt_block}{}    </qti-order-interaction>\n",
                simple_choices("simple-choice", "C", items)
            ),
            match_correct,
        ),
        Body::Essay { guidance } => {
            let rubric = if guidance.is_empty() {
                String::new()
            } else {
                format!(
                    "    <qti-rubric-block use=\"scoring\" view=\"scorer\">\n      <qti-content-body><p>{}</p></qti-content-body>\n    </qti-rubric-block>\n",
                    escape(guidance)
                )
            };
            (
                declaration_xml("single", "string", &[], ""),
                format!(
                    "{rubric}    <qti-extended-text-interaction response-identifier=\"RESPONSE\">\n{prompt_block}    </qti-extended-text-interaction>\n"
                ),
                String::new(),
            )
        }
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<qti-assessment-item xmlns=\"{NAMESPACE}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{NAMESPACE} {SCHEMA}\" identifier=\"{}\" title=\"{}\" label=\"{}\" adaptive=\"false\" time-dependent=\"false\">\n{declaration}  <qti-outcome-declaration identifier=\"SCORE\" cardinality=\"single\" base-type=\"float\" normal-maximum=\"{p}\"/>\n  <qti-outcome-declaration identifier=\"MAXSCORE\" cardinality=\"single\" base-type=\"float\">\n    <qti-default-value><qti-value>{p}</qti-value></qti-default-value>\n  </qti-outcome-declaration>\n  <qti-item-body>\n{interaction}  </qti-item-body>\n{processing}</qti-assessment-item>\n",
        escape(identifier),
        escape(&title),
        escape(label),
        p = number(points),
    )
}

/// A QTI 3.0 content package's manifest listing the items.
pub fn write_manifest(identifier: &str, items: &[Resource]) -> String {
    let resources: String = items
        .iter()
        .map(|r| {
            format!(
                "    <resource identifier=\"{id}\" type=\"imsqti_item_xmlv3p0\" href=\"{href}\">\n      <file href=\"{href}\"/>\n    </resource>\n",
                id = escape(&r.identifier),
                href = escape(&r.href)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest xmlns=\"http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1\" identifier=\"{}\">\n  <metadata>\n    <schema>QTI Package</schema>\n    <schemaversion>3.0.0</schemaversion>\n  </metadata>\n  <organizations/>\n  <resources>\n{resources}  </resources>\n</manifest>\n",
        escape(identifier)
    )
}
