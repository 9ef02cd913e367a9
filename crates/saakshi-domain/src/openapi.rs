//! OpenAPI schemas of the types whose JSON form is hand-written (`Serialize` by hand):
//! a digest and a challenge travel as hex text, not as the byte arrays they hold. Only
//! the server builds this (feature `openapi`), to generate its document from these types.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::hash::Sha256;
use crate::possession::Challenge;

/// 64 lowercase hex digits, as [`Sha256`] and [`Challenge`] write themselves.
fn hex_digest(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[0-9a-f]{64}$"))
        .description(Some(description))
        .into()
}

impl PartialSchema for Sha256 {
    fn schema() -> RefOr<Schema> {
        hex_digest("SHA-256 digest: 64 lowercase hex digits")
    }
}
impl ToSchema for Sha256 {}

impl PartialSchema for Challenge {
    fn schema() -> RefOr<Schema> {
        hex_digest("a possession challenge: 32 bytes as 64 lowercase hex digits")
    }
}
impl ToSchema for Challenge {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema's pattern accepts what the type writes and refuses what it refuses.
    #[test]
    fn digest_schema_matches_the_serde_form() {
        let json = serde_json::to_value(Sha256::schema()).unwrap();
        assert_eq!(json["type"], "string");
        assert_eq!(json["pattern"], "^[0-9a-f]{64}$");
        let written = serde_json::to_value(Sha256([0xab; 32])).unwrap();
        assert_eq!(written.as_str().unwrap().len(), 64);
        assert!(
            written
                .as_str()
                .unwrap()
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }
}
