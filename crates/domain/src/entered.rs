//! A value as a person or a program entered it. A form sends every field as text, so a number
//! typed wrong must come back as an error beside its field; a JSON body sends a number as a
//! number, so a string there is the wrong type and is refused while the body is read.
//!
//! Form readers hand a field's text to `deserialize_any` as bytes (`visit_bytes`); JSON hands
//! over its own values (`visit_f64`, `visit_bool`, `visit_str`…). That is how one input type
//! serves both: [`Entered`] keeps a form's text for the use-case to parse, and takes only its
//! own type from JSON.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Unexpected, Visitor};

/// A number or a yes/no that a form sends as text and JSON as itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Entered<T> {
    /// The value, from JSON (or set by code).
    Value(T),
    /// What was typed into a form, not yet read.
    Text(String),
}

impl<T> Default for Entered<T> {
    fn default() -> Self {
        Entered::Text(String::new())
    }
}

impl<T: JsonScalar> Entered<T> {
    /// The value as text, to be parsed with the same rules whichever way it came.
    pub fn text(&self) -> String {
        match self {
            Entered::Value(value) => value.to_text(),
            Entered::Text(text) => text.clone(),
        }
    }
}

/// As its text: what a form shows.
impl<T: JsonScalar> serde::Serialize for Entered<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

impl Entered<i64> {
    /// The record this choice names: what does not read as an id names nothing (-1 matches no
    /// row), so a lookup scoped to the institution reports it as not found beside its field.
    pub fn named_id(&self) -> i64 {
        named_id(&self.text())
    }
}

/// The record a chosen id names, read from a select's or a hidden field's text: what does not
/// read as an id names nothing (-1 matches no row).
pub fn named_id(text: &str) -> i64 {
    text.trim().parse().unwrap_or(-1)
}

impl<T> From<T> for Entered<T> {
    fn from(value: T) -> Self {
        Entered::Value(value)
    }
}

/// The JSON types an [`Entered`] accepts.
pub trait JsonScalar: Sized {
    const EXPECTING: &'static str;
    /// The value written as a form would send it.
    fn to_text(&self) -> String;
    /// A value JSON sends as a string (a moment); other types refuse strings.
    fn from_json_str(_: &str) -> Option<Self> {
        None
    }
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
}

impl JsonScalar for f64 {
    const EXPECTING: &'static str = "a number";
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_i64(v: i64) -> Option<f64> {
        Some(v as f64)
    }
    fn from_u64(v: u64) -> Option<f64> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<f64> {
        Some(v)
    }
}

impl JsonScalar for i64 {
    const EXPECTING: &'static str = "a whole number";
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_i64(v: i64) -> Option<i64> {
        Some(v)
    }
    fn from_u64(v: u64) -> Option<i64> {
        i64::try_from(v).ok()
    }
    /// JSON Schema counts `3.0` as the integer 3.
    fn from_f64(v: f64) -> Option<i64> {
        (v.fract() == 0.0 && v.abs() < 9.2e18).then_some(v as i64)
    }
}

impl JsonScalar for bool {
    const EXPECTING: &'static str = "true or false";
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_bool(v: bool) -> Option<bool> {
        Some(v)
    }
}

/// A moment: JSON sends an RFC 3339 date-time (`2026-09-01T00:00:00Z`); a form sends the
/// institution's local time, which the use-case reads in the institution's zone.
impl JsonScalar for chrono::DateTime<chrono::Utc> {
    const EXPECTING: &'static str = "an RFC 3339 date-time";
    fn to_text(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
    fn from_json_str(text: &str) -> Option<Self> {
        chrono::DateTime::parse_from_rfc3339(text).ok().map(|moment| moment.to_utc())
    }
}

struct EnteredVisitor<T>(PhantomData<T>);

impl<T: JsonScalar> EnteredVisitor<T> {
    fn take<E: de::Error>(value: Option<T>, unexpected: Unexpected<'_>) -> Result<Entered<T>, E> {
        value.map(Entered::Value).ok_or_else(|| E::invalid_value(unexpected, &T::EXPECTING))
    }
}

impl<T: JsonScalar> Visitor<'_> for EnteredVisitor<T> {
    type Value = Entered<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Entered<T>, E> {
        String::from_utf8(v.to_vec()).map(Entered::Text).map_err(|_| E::invalid_value(Unexpected::Bytes(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Entered<T>, E> {
        Self::take(T::from_i64(v), Unexpected::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Entered<T>, E> {
        Self::take(T::from_u64(v), Unexpected::Unsigned(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Entered<T>, E> {
        Self::take(T::from_f64(v), Unexpected::Float(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Entered<T>, E> {
        Self::take(T::from_bool(v), Unexpected::Bool(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Entered<T>, E> {
        Self::take(T::from_json_str(v), Unexpected::Str(v))
    }
}

impl<'de, T: JsonScalar> serde::Deserialize<'de> for Entered<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EnteredVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_gives_its_own_type_and_refuses_text() {
        let n: Entered<f64> = serde_json::from_str("3.5").unwrap();
        assert_eq!(n, Entered::Value(3.5));
        assert_eq!(n.text(), "3.5");
        let whole: Entered<i64> = serde_json::from_str("4.0").unwrap();
        assert_eq!(whole.text(), "4");
        assert!(serde_json::from_str::<Entered<i64>>("4.5").is_err());
        assert!(serde_json::from_str::<Entered<f64>>("\"3\"").is_err(), "a string where a number belongs");
        assert!(serde_json::from_str::<Entered<bool>>("1").is_err());
        assert_eq!(serde_json::from_str::<Entered<bool>>("true").unwrap(), Entered::Value(true));
        type Moment = Entered<chrono::DateTime<chrono::Utc>>;
        let moment: Moment = serde_json::from_str("\"2026-09-01T09:00:00+05:00\"").unwrap();
        assert_eq!(moment.text(), "2026-09-01T04:00:00Z");
        assert!(serde_json::from_str::<Moment>("\"2026-09-01\"").is_err(), "a date is not a date-time");
    }

    #[test]
    fn a_chosen_id_that_does_not_read_names_nothing() {
        assert_eq!(Entered::<i64>::Text(" 42 ".into()).named_id(), 42);
        assert_eq!(Entered::Value(7_i64).named_id(), 7);
        assert_eq!(Entered::<i64>::Text("4 2".into()).named_id(), -1);
        assert_eq!(named_id(""), -1);
        assert_eq!(named_id("CS-101"), -1);
    }

    #[test]
    fn form_text_is_kept_for_the_use_case_to_read() {
        let typed: Entered<f64> = <Entered<f64> as serde::Deserialize>::deserialize(de::value::BytesDeserializer::<
            de::value::Error,
        >::new(b"three"))
        .unwrap();
        assert_eq!(typed, Entered::Text("three".into()));
        assert_eq!(Entered::<i64>::default().text(), "");
    }
}
