//! Limits on what a person can type, shared by device and server so that a record the
//! device accepts is never refused later by the server for the same reason.

use std::fmt;

/// Longest caption, in characters (not bytes: Devanagari is 3 bytes a character).
pub const MAX_CAPTION_CHARS: usize = 2000;
/// Most tags on one capture.
pub const MAX_TAGS: usize = 20;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 48;
/// Longest event name, in characters.
pub const MAX_EVENT_CHARS: usize = 120;
/// Longest original file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 255;
/// Longest area code.
pub const MAX_AREA_CODE_CHARS: usize = 32;

/// One field that broke one rule; `problem` is a sentence for a person.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    /// The field's wire name (`caption`, `tags`, `lat`, …).
    pub field: &'static str,
    /// What is wrong, in words.
    pub problem: String,
}

impl ValidationError {
    /// A new error for `field`.
    pub fn new(field: &'static str, problem: impl Into<String>) -> Self {
        Self {
            field,
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// Free text a person typed: bounded length, no control characters except new lines.
pub fn text(field: &'static str, value: &str, max_chars: usize) -> Result<(), ValidationError> {
    let n = value.chars().count();
    if n > max_chars {
        return Err(ValidationError::new(
            field,
            format!("is {n} characters long; at most {max_chars} are allowed"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ValidationError::new(field, "contains control characters"));
    }
    Ok(())
}

/// Tags: at most [`MAX_TAGS`], each non-empty, single-line, at most [`MAX_TAG_CHARS`],
/// no duplicates.
pub fn tags(tags: &[String]) -> Result<(), ValidationError> {
    if tags.len() > MAX_TAGS {
        return Err(ValidationError::new(
            "tags",
            format!("{} tags given; at most {MAX_TAGS} are allowed", tags.len()),
        ));
    }
    for (i, t) in tags.iter().enumerate() {
        if t.trim().is_empty() {
            return Err(ValidationError::new("tags", "a tag is empty"));
        }
        if t.contains('\n') {
            return Err(ValidationError::new(
                "tags",
                "a tag spans more than one line",
            ));
        }
        text("tags", t, MAX_TAG_CHARS)?;
        if tags[..i].contains(t) {
            return Err(ValidationError::new(
                "tags",
                format!("tag {t:?} is repeated"),
            ));
        }
    }
    Ok(())
}

/// Area codes: 1..=32 of `A-Z a-z 0-9 - _ .`, so they are safe in paths and URLs.
pub fn area_code(code: &str) -> Result<(), ValidationError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if code.is_empty() || code.len() > MAX_AREA_CODE_CHARS || !code.chars().all(ok_char) {
        return Err(ValidationError::new(
            "area_code",
            format!(
                "{code:?} is not an area code (1 to {MAX_AREA_CODE_CHARS} letters, digits, '-', '_' or '.')"
            ),
        ));
    }
    if code.chars().all(|c| c == '.') {
        return Err(ValidationError::new(
            "area_code",
            "an area code cannot be only dots",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn caption_length_counts_characters_not_bytes() {
        let hindi = "मतदान".repeat(400); // 2000 chars, 6000+ bytes
        assert!(text("caption", &hindi, MAX_CAPTION_CHARS).is_ok());
        let long = "a".repeat(100_000);
        let e = text("caption", &long, MAX_CAPTION_CHARS).unwrap_err();
        assert_eq!(e.field, "caption");
        assert!(e.problem.contains("100000"), "{}", e.problem);
    }

    #[test]
    fn control_characters_are_refused_but_newlines_kept() {
        assert!(text("caption", "line one\nline two", 100).is_ok());
        assert!(text("caption", "bell\u{7}", 100).is_err());
    }

    #[rstest]
    #[case(&[], true)]
    #[case(&["rally", "रैली"], true)]
    #[case(&[""], false)]
    #[case(&["  "], false)]
    #[case(&["a\nb"], false)]
    #[case(&["dup", "dup"], false)]
    fn tag_rules(#[case] input: &[&str], #[case] ok: bool) {
        let v: Vec<String> = input.iter().map(|s| s.to_string()).collect();
        assert_eq!(tags(&v).is_ok(), ok, "{input:?}");
    }

    #[test]
    fn too_many_or_too_long_tags() {
        let many: Vec<String> = (0..=MAX_TAGS).map(|i| format!("t{i}")).collect();
        assert!(tags(&many).is_err());
        assert!(tags(&["x".repeat(MAX_TAG_CHARS + 1)]).is_err());
    }

    #[rstest]
    #[case("B-104", true)]
    #[case("UP_77.3", true)]
    #[case("", false)]
    #[case("..", false)]
    #[case("a/b", false)]
    #[case("a b", false)]
    #[case("बूथ", false)]
    fn area_codes(#[case] code: &str, #[case] ok: bool) {
        assert_eq!(area_code(code).is_ok(), ok, "{code:?}");
    }
}
