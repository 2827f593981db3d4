//! A question as written in a form: the type, and its options in one box, a line each — a right
//! option starts with `*`, a matching pair is `left = right`, ordering items come in their right
//! order, a short answer's accepted answers one a line — with the numeric answer, tolerance and
//! true/false in fields of their own. Read into a [`Body`], and written back for editing.

use super::questions::{Body, Pair};

/// The form's fields for a question's body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Written {
    pub kind: String,
    pub lines: String,
    pub answer: String,
    pub tolerance: String,
    /// `true` or `false`.
    pub truth: String,
    pub case_sensitive: bool,
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

/// Reads the form into a body; an error names the field that is wrong.
pub fn read(written: &Written) -> Result<Body, (&'static str, String)> {
    let rows = lines(&written.lines);
    let choices = || -> (Vec<String>, Vec<usize>) {
        let mut options = Vec::new();
        let mut right = Vec::new();
        for (n, row) in rows.iter().enumerate() {
            match row.strip_prefix('*') {
                Some(option) => {
                    right.push(n);
                    options.push(option.trim().to_owned());
                }
                None => options.push((*row).to_owned()),
            }
        }
        (options, right)
    };
    let body = match written.kind.as_str() {
        "single_choice" => {
            let (options, right) = choices();
            if right.len() != 1 {
                return Err(("lines", "mark exactly one option right with a * at the start of its line".into()));
            }
            Body::SingleChoice { options, correct: right[0] }
        }
        "multiple_choice" => {
            let (options, correct) = choices();
            Body::MultipleChoice { options, correct }
        }
        "true_false" => match written.truth.trim() {
            "true" => Body::TrueFalse { correct: true },
            "false" => Body::TrueFalse { correct: false },
            _ => return Err(("truth", "choose true or false".into())),
        },
        "numeric" => {
            let answer =
                super::questions::parse_number(&written.answer).ok_or(("answer", "must be a number".into()))?;
            let tolerance = match written.tolerance.trim() {
                "" => 0.0,
                raw => super::questions::parse_number(raw).ok_or(("tolerance", "must be a number".into()))?,
            };
            Body::Numeric { answer, tolerance }
        }
        "short_answer" => Body::ShortAnswer {
            patterns: rows.iter().map(|r| (*r).to_owned()).collect(),
            case_sensitive: written.case_sensitive,
        },
        "matching" => {
            let mut pairs = Vec::new();
            for (n, row) in rows.iter().enumerate() {
                let (left, right) =
                    row.split_once('=').ok_or(("lines", format!("line {} must be 'left = right'", n + 1)))?;
                pairs.push(Pair { left: left.trim().to_owned(), right: right.trim().to_owned() });
            }
            Body::Matching { pairs }
        }
        "ordering" => Body::Ordering { items: rows.iter().map(|r| (*r).to_owned()).collect() },
        "essay" => Body::Essay { guidance: written.lines.trim().to_owned() },
        _ => return Err(("kind", "choose a question type".into())),
    };
    body.check()
        .map_err(|message| if body.kind() == "numeric" { ("tolerance", message) } else { ("lines", message) })?;
    Ok(body)
}

/// The form's fields for a body, to edit it.
pub fn write(body: &Body) -> Written {
    let mut out = Written { kind: body.kind().to_owned(), ..Written::default() };
    match body {
        Body::SingleChoice { options, .. } | Body::MultipleChoice { options, .. } => {
            let right: Vec<usize> = match body {
                Body::SingleChoice { correct, .. } => vec![*correct],
                Body::MultipleChoice { correct, .. } => correct.clone(),
                _ => Vec::new(),
            };
            out.lines = options
                .iter()
                .enumerate()
                .map(|(n, o)| if right.contains(&n) { format!("* {o}") } else { o.clone() })
                .collect::<Vec<_>>()
                .join("\n");
        }
        Body::TrueFalse { correct } => out.truth = correct.to_string(),
        Body::Numeric { answer, tolerance } => {
            out.answer = answer.to_string();
            out.tolerance = tolerance.to_string();
        }
        Body::ShortAnswer { patterns, case_sensitive } => {
            out.lines = patterns.join("\n");
            out.case_sensitive = *case_sensitive;
        }
        Body::Matching { pairs } => {
            out.lines = pairs.iter().map(|p| format!("{} = {}", p.left, p.right)).collect::<Vec<_>>().join("\n")
        }
        Body::Ordering { items } => out.lines = items.join("\n"),
        Body::Essay { guidance } => out.lines = guidance.clone(),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(kind: &str, lines: &str) -> Written {
        Written { kind: kind.into(), lines: lines.into(), ..Written::default() }
    }

    #[test]
    fn every_type_reads_and_writes_back_the_same() {
        let forms = [
            written("single_choice", "Lahore\n* Islamabad\nKarachi"),
            written("multiple_choice", "* 2\n3\n* 5\n9"),
            Written { kind: "true_false".into(), truth: "false".into(), ..Written::default() },
            Written { kind: "numeric".into(), answer: "9.81".into(), tolerance: "0.05".into(), ..Written::default() },
            Written {
                kind: "short_answer".into(),
                lines: "photo*synthesis".into(),
                case_sensitive: true,
                ..Written::default()
            },
            written("matching", "H = Hydrogen\nO = Oxygen"),
            written("ordering", "plan\ndo\ncheck\nact"),
            written("essay", "Mark on structure and evidence."),
        ];
        for form in forms {
            let body = read(&form).unwrap_or_else(|e| panic!("{}: {e:?}", form.kind));
            assert_eq!(read(&write(&body)).unwrap(), body, "{}", form.kind);
        }
        assert_eq!(
            read(&written("single_choice", "a\n* b\nc")).unwrap(),
            Body::SingleChoice { options: vec!["a".into(), "b".into(), "c".into()], correct: 1 }
        );
    }

    #[test]
    fn mistakes_name_their_field() {
        assert_eq!(read(&written("single_choice", "a\nb")).unwrap_err().0, "lines");
        assert_eq!(read(&written("matching", "a = 1\nb 2")).unwrap_err().1, "line 2 must be 'left = right'");
        assert_eq!(
            read(&Written { kind: "numeric".into(), answer: "x".into(), ..Written::default() }).unwrap_err().0,
            "answer"
        );
        assert_eq!(read(&written("nonsense", "")).unwrap_err().0, "kind");
    }
}
