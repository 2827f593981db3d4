//! A submitted form read straight into the use-case's input type, so each field is declared
//! once, in the app: the same type a JSON body is read into. What was typed is kept beside it,
//! to fill the form in again when the use-case refuses it.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::value::Error as ValueError;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};

use super::FormState;

/// The form's fields as the use-case's input `T`, and what was typed.
pub struct Submitted<T> {
    pub input: T,
    pub typed: FormState,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Submitted<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let axum::Form(pairs) =
            axum::Form::<Vec<(String, String)>>::from_request(req, state).await.map_err(IntoResponse::into_response)?;
        let input = read(&pairs).map_err(|err| (StatusCode::UNPROCESSABLE_ENTITY, err.to_string()).into_response())?;
        let typed = FormState::from_pairs(&pairs);
        Ok(Submitted { input, typed })
    }
}

/// Reads form fields into `T`. Fields `T` does not declare (the CSRF token, a button's name) are
/// left out; when a field comes twice (a hidden default before a checkbox) the last one counts; a
/// declared field the form did not send reads as empty, as an unticked checkbox or a field the
/// page did not show.
pub fn read<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, ValueError> {
    T::deserialize(Fields(pairs))
}

struct Fields<'a>(&'a [(String, String)]);

impl<'de> Deserializer<'de> for Fields<'_> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_map(FieldMap::new(self.0, None))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_map(FieldMap::new(self.0, Some(fields)))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

struct FieldMap<'a> {
    pairs: Vec<(&'a str, &'a str)>,
    next: usize,
}

impl<'a> FieldMap<'a> {
    fn new(all: &'a [(String, String)], wanted: Option<&'static [&'static str]>) -> FieldMap<'a> {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for (key, value) in all {
            if wanted.is_some_and(|fields| !fields.contains(&key.as_str())) {
                continue;
            }
            match pairs.iter_mut().find(|(k, _)| k == key) {
                Some(kept) => kept.1 = value,
                None => pairs.push((key, value)),
            }
        }
        for field in wanted.unwrap_or_default() {
            if !pairs.iter().any(|(k, _)| k == field) {
                pairs.push((field, ""));
            }
        }
        FieldMap { pairs, next: 0 }
    }
}

impl<'de> MapAccess<'de> for FieldMap<'_> {
    type Error = ValueError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ValueError> {
        let Some((key, _)) = self.pairs.get(self.next) else { return Ok(None) };
        seed.deserialize(key.to_string().into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ValueError> {
        let (key, value) = self.pairs[self.next];
        self.next += 1;
        seed.deserialize(Text(value)).map_err(|err| de::Error::custom(format!("{key}: {err}")))
    }
}

/// One field's text. Asked for "anything" it answers with bytes, which is how an
/// [`qobe_domain::entered::Entered`] knows the text came from a form.
struct Text<'a>(&'a str);

impl<'de> Deserializer<'de> for Text<'_> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_bytes(self.0.as_bytes())
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_str(self.0)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_str(self.0)
    }

    /// A checkbox sends `on` when ticked and nothing when not.
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            "on" | "true" | "1" | "yes" => visitor.visit_bool(true),
            "" | "off" | "false" | "0" | "no" => visitor.visit_bool(false),
            other => Err(de::Error::custom(format!("{other:?} is not yes or no"))),
        }
    }

    /// An empty field is no value.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        if self.0.trim().is_empty() { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0.trim().parse() {
            Ok(number) => visitor.visit_i64(number),
            Err(_) => Err(de::Error::custom(format!("{:?} is not a whole number", self.0))),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_enum(self.0.into_deserializer())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use qobe_domain::entered::Entered;
    use serde::Deserialize;

    use super::read;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Input {
        code: String,
        credits: Entered<f64>,
        online: bool,
        note: Option<String>,
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn fields_land_in_the_input_and_strangers_are_left_out() {
        let input: Input = read(&pairs(&[
            ("csrf_token", "x"),
            ("code", "EE-101"),
            ("credits", "three"),
            ("online", "0"),
            ("online", "on"),
            ("note", " "),
        ]))
        .unwrap();
        assert_eq!(input.code, "EE-101");
        assert_eq!(input.credits, Entered::Text("three".into()), "kept as typed, for the use-case to refuse");
        assert!(input.online, "the checkbox after its hidden default");
        assert_eq!(input.note, None);
    }

    #[test]
    fn fields_not_sent_read_as_empty() {
        let input: Input = read(&pairs(&[("code", "X")])).unwrap();
        assert!(!input.online, "an unticked checkbox");
        assert_eq!(input.credits.text(), "");
        assert_eq!(input.note, None);
    }

    #[test]
    fn a_yes_or_no_that_is_neither_names_its_field() {
        let err = read::<Input>(&pairs(&[("online", "maybe")])).unwrap_err();
        assert!(err.to_string().contains("online"), "{err}");
    }
}
