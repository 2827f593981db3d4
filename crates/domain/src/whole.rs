//! Whole numbers as JSON Schema counts them: `3`, `3.0` and, in a query string, `"3"` all name
//! the integer 3 (a number with no fractional part is an `integer` to JSON Schema, though serde
//! refuses it for an `i64`). Anything else is refused as not a whole number.

use serde::Deserializer;
use serde::de::{Error, Visitor};

struct Whole;

impl Visitor<'_> for Whole {
    type Value = i64;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("{v} is too large")))
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<i64, E> {
        // The largest whole number an f64 holds exactly is 2^53; i64's range ends near 2^63.
        if v.fract() == 0.0 && v.abs() < 9.2e18 {
            Ok(v as i64)
        } else {
            Err(E::custom(format!("{v} is not a whole number")))
        }
    }

    /// A form's field arrives as bytes.
    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<i64, E> {
        std::str::from_utf8(v).map_err(|_| E::custom("not a whole number")).and_then(|text| self.visit_str(text))
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<i64, E> {
        match v.parse::<i64>() {
            Ok(n) => Ok(n),
            Err(_) => match v.parse::<f64>() {
                Ok(f) if f.is_finite() => self.visit_f64(f),
                _ => Err(E::custom(format!("{v:?} is not a whole number"))),
            },
        }
    }
}

pub fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(Whole)
}

pub fn optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    struct MaybeWhole;
    impl<'de> Visitor<'de> for MaybeWhole {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a whole number or nothing")
        }

        fn visit_none<E: Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }

        fn visit_unit<E: Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<i64>, D::Error> {
            number(deserializer).map(Some)
        }
    }
    deserializer.deserialize_option(MaybeWhole)
}

/// A whole number that fits `T` (a scale's points, a row's index); one that does not is refused.
pub fn fitting<'de, D: Deserializer<'de>, T: TryFrom<i64>>(deserializer: D) -> Result<T, D::Error> {
    let n = number(deserializer)?;
    T::try_from(n).map_err(|_| D::Error::custom(format!("{n} is out of range")))
}

/// [`fitting`], or nothing.
pub fn optional_fitting<'de, D: Deserializer<'de>, T: TryFrom<i64>>(deserializer: D) -> Result<Option<T>, D::Error> {
    optional(deserializer)?
        .map(|n| T::try_from(n).map_err(|_| D::Error::custom(format!("{n} is out of range"))))
        .transpose()
}

/// A place in a list (an option, a right, an item): a whole number from 0. One past any list
/// reads as `usize::MAX`, so that the rules refuse it as naming nothing rather than the
/// request being unreadable — a schema's `integer` has no upper end.
pub fn place<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    deserializer.deserialize_any(Place)
}

struct Place;

impl<'de> Visitor<'de> for Place {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a place, a whole number from 0")
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<usize, E> {
        usize::try_from(v).map_err(|_| E::custom(format!("{v} is below 0")))
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<usize, E> {
        Ok(usize::try_from(v).unwrap_or(usize::MAX))
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<usize, E> {
        if v.fract() != 0.0 || !v.is_finite() {
            Err(E::custom(format!("{v} is not a whole number")))
        } else if v < 0.0 {
            Err(E::custom(format!("{v} is below 0")))
        } else if v < 1.8e19 {
            Ok(v as usize)
        } else {
            Ok(usize::MAX)
        }
    }
}

/// A list of [`place`]s.
pub fn places<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<usize>, D::Error> {
    #[derive(serde::Deserialize)]
    struct One(#[serde(deserialize_with = "place")] usize);
    let list: Vec<One> = serde::Deserialize::deserialize(deserializer)?;
    Ok(list.into_iter().map(|One(p)| p).collect())
}

/// A list of [`place`]s or nothing (a left not matched yet).
pub fn optional_places<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Option<usize>>, D::Error> {
    #[derive(serde::Deserialize)]
    struct One(#[serde(deserialize_with = "place")] usize);
    let list: Vec<Option<One>> = serde::Deserialize::deserialize(deserializer)?;
    Ok(list.into_iter().map(|o| o.map(|One(p)| p)).collect())
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Body {
        #[serde(deserialize_with = "super::number")]
        id: i64,
        #[serde(default, deserialize_with = "super::optional")]
        maybe: Option<i64>,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Small {
        #[serde(deserialize_with = "super::fitting")]
        points: u8,
        #[serde(default, deserialize_with = "super::optional_fitting")]
        row: Option<usize>,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Places {
        #[serde(deserialize_with = "super::place")]
        one: usize,
        #[serde(default, deserialize_with = "super::places")]
        many: Vec<usize>,
        #[serde(default, deserialize_with = "super::optional_places")]
        some: Vec<Option<usize>>,
    }

    #[test]
    fn places_read_whole_numbers_and_one_past_any_list_as_the_largest() {
        let read = |json: &str| serde_json::from_str::<Places>(json).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"one": 2.0, "many": [0, 1425.0], "some": [null, 3]}"#),
            Ok(Places { one: 2, many: vec![0, 1425], some: vec![None, Some(3)] })
        );
        let huge = read(r#"{"one": 11846140575762718422569320448, "many": [99999999999999999999]}"#).unwrap();
        assert_eq!((huge.one, huge.many), (usize::MAX, vec![usize::MAX]));
        assert!(read(r#"{"one": -1}"#).unwrap_err().contains("below 0"));
        assert!(read(r#"{"one": 1.5}"#).unwrap_err().contains("not a whole number"));
        assert!(read(r#"{"one": 1, "many": ["a"]}"#).is_err());
    }

    #[test]
    fn whole_numbers_that_fit_their_type() {
        let read = |json: &str| serde_json::from_str::<Small>(json).map_err(|e| e.to_string());
        assert_eq!(read(r#"{"points": 5.0, "row": 2.0}"#), Ok(Small { points: 5, row: Some(2) }));
        assert_eq!(read(r#"{"points": 5}"#), Ok(Small { points: 5, row: None }));
        assert!(read(r#"{"points": 300}"#).unwrap_err().contains("300 is out of range"));
        assert!(read(r#"{"points": 5, "row": -1}"#).unwrap_err().contains("-1 is out of range"));
    }

    #[test]
    fn whole_numbers_in_any_spelling() {
        let read = |json: &str| serde_json::from_str::<Body>(json).map_err(|e| e.to_string());
        assert_eq!(read(r#"{"id": 7}"#), Ok(Body { id: 7, maybe: None }));
        assert_eq!(read(r#"{"id": 7.0, "maybe": 3.0}"#), Ok(Body { id: 7, maybe: Some(3) }));
        assert_eq!(read(r#"{"id": -2, "maybe": null}"#), Ok(Body { id: -2, maybe: None }));
        assert!(read(r#"{"id": 7.5}"#).is_err());
        assert!(read(r#"{"id": "7"}"#).is_ok(), "text that is a whole number, as a query string sends it");
        assert!(read(r#"{"id": 1e300}"#).is_err());
        // Exactly representable, and read exactly (found by schemathesis).
        assert_eq!(read(r#"{"id": 1910244391120659.0}"#), Ok(Body { id: 1_910_244_391_120_659, maybe: None }));
        assert!(read(r#"{"id": true}"#).is_err());
    }
}
