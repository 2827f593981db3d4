//! The order people expect names in: letters compared without case or accents first
//! (`Élodie` beside `Elodie`, before `Olu`), as the Unicode collation algorithm does at its
//! primary strength for Latin-script names, then accents, case and the text itself to break
//! ties, so the order is total and stable. The key is plain text, so the database sorts by a
//! stored copy of it exactly as the program sorts in memory.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Letters that are not a base letter plus an accent, spelled as the letters they sort with.
fn expand(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ł' | 'Ł' => "l",
        'ı' => "i",
        'þ' | 'Þ' => "th",
        _ => return None,
    })
}

/// The letters of `text` without accents, in lower case, ignoring punctuation between words
/// the way a directory does (`O'Brien` sorts as `obrien`).
fn primary(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if let Some(letters) = expand(c) {
            out.push_str(letters);
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() && !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_owned()
}

/// The sort key of a name: its primary letters; then (after a separator below any letter) the
/// name folded for case, so accents decide next; then the name with its case swapped, so lower
/// case goes before upper as in the Unicode root collation.
pub fn sort_key(name: &str) -> String {
    let folded: String = name.nfc().flat_map(char::to_lowercase).collect();
    let swapped: String = name
        .nfc()
        .flat_map(|c| if c.is_lowercase() { c.to_uppercase().collect::<Vec<_>>() } else { c.to_lowercase().collect() })
        .collect();
    format!("{}\u{1}{}\u{1}{}", primary(name), folded, swapped)
}

/// Sorts by name in that order; `id` breaks ties between equal names.
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str, id: impl Fn(&T) -> i64) {
    items.sort_by_cached_key(|item| (sort_key(name(item)), id(item)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<(String, i64)> = names.iter().enumerate().map(|(i, n)| ((*n).to_owned(), i as i64)).collect();
        sort_by_name(&mut v, |(n, _)| n, |(_, i)| *i);
        v.into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn accents_and_case_do_not_move_a_name_out_of_its_letter() {
        assert_eq!(
            sorted(&["Olu Adeyemi", "Élodie Martin", "zoe Park", "Ayesha Khan", "Ömer Çelik", "elodie Marsh"]),
            ["Ayesha Khan", "elodie Marsh", "Élodie Martin", "Olu Adeyemi", "Ömer Çelik", "zoe Park"]
        );
    }

    #[test]
    fn special_letters_sort_with_the_letters_they_stand_for() {
        assert_eq!(sorted(&["Strauß", "Stein", "Sorensen", "Søren"]), ["Søren", "Sorensen", "Stein", "Strauß"]);
        assert_eq!(sorted(&["Łukasz", "Lukas", "Ludwig"]), ["Ludwig", "Lukas", "Łukasz"]);
        assert_eq!(sorted(&["Strauss", "Strauß"]), ["Strauss", "Strauß"]);
    }

    #[test]
    fn ties_break_by_accent_then_case_then_id() {
        assert_eq!(sorted(&["Elodie", "Élodie", "elodie"]), ["elodie", "Elodie", "Élodie"]);
        assert_eq!(sorted(&["Sam Lee", "Sam Lee"]), ["Sam Lee", "Sam Lee"]);
        assert!(sort_key("Sam Lee") == sort_key("Sam Lee"));
    }

    #[test]
    fn punctuation_between_words_is_ignored() {
        assert_eq!(sorted(&["Oberon", "O'Brien", "Obi"]), ["Oberon", "Obi", "O'Brien"]);
    }

    #[test]
    fn composed_and_decomposed_spellings_sort_as_one() {
        assert_eq!(sort_key("Élodie"), sort_key("E\u{301}lodie"));
    }
}
