//! The areas file (`code,level,name_en,name_hi,parent_code`), parsed and checked on its
//! own before any store sees it, so every back-end gets the same areas and the same
//! line numbers in its errors.

use std::collections::HashMap;

use saakshi_domain::{Area, AreaLevel};

use crate::store::{AreaImportError, MetaStore};

/// Parses a file and imports it, all or nothing. Returns how many areas it held.
pub async fn import(db: &dyn MetaStore, text: &str) -> Result<usize, AreaImportError> {
    db.import_areas(parse_areas_csv(text)?).await
}

/// Parses and checks the CSV on its own (shape, codes, levels, names). Returns the areas
/// with their line numbers.
pub fn parse_areas_csv(text: &str) -> Result<Vec<(usize, Area)>, AreaImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let expected = ["code", "level", "name_en", "name_hi", "parent_code"];
    let headers = reader
        .headers()
        .map_err(|e| AreaImportError::line(1, format!("cannot read the header: {e}")))?;
    if headers.iter().collect::<Vec<_>>() != expected {
        return Err(AreaImportError::line(
            1,
            format!("the header must be {}", expected.join(",")),
        ));
    }
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    // Counting records is not counting lines: a quoted name may span lines. Nor is the
    // reader's own line count, which counts "\r\n" twice (found by the areas_csv fuzz
    // target). So count the line ends ("\n", "\r\n" or a lone "\r", as the reader
    // takes them) before where each record starts, carrying the count forward (records
    // come in order), so a large file is read once.
    let (mut counted_to, mut newlines) = (0usize, 0usize);
    let mut line_at = |pos: Option<&csv::Position>, fallback: usize| -> usize {
        let Some(byte) = pos.and_then(|p| usize::try_from(p.byte()).ok()) else {
            return fallback;
        };
        // After "\r\n" the reader places a record at the '\n' it has not yet eaten.
        let mut byte = byte.min(text.len());
        while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        if byte >= counted_to {
            newlines += line_ends(&text.as_bytes()[counted_to..byte]);
            counted_to = byte;
        }
        newlines + 1
    };
    for (i, rec) in reader.records().enumerate() {
        let rec =
            rec.map_err(|e| AreaImportError::line(line_at(e.position(), i + 2), e.to_string()))?;
        let line = line_at(rec.position(), i + 2);
        if rec.len() != 5 {
            return Err(AreaImportError::line(
                line,
                format!("expected 5 fields, found {}", rec.len()),
            ));
        }
        let level = AreaLevel::parse(&rec[1]).ok_or_else(|| {
            AreaImportError::line(line, format!("unknown level {:?} (state, region, district, lok_sabha, vidhan_sabha, mandal, booth)", &rec[1]))
        })?;
        let area = Area {
            code: rec[0].to_string(),
            level,
            name_en: rec[2].to_string(),
            name_hi: rec[3].to_string(),
            parent_code: (!rec[4].is_empty()).then(|| rec[4].to_string()),
        };
        area.validate()
            .map_err(|e| AreaImportError::line(line, e.to_string()))?;
        if let Some(first) = seen.insert(area.code.clone(), line) {
            return Err(AreaImportError::line(
                line,
                format!("code {:?} already appears on line {first}", area.code),
            ));
        }
        out.push((line, area));
    }
    Ok(out)
}

/// Line ends in `bytes`: "\n", "\r\n" and a lone "\r" count one each.
fn line_ends(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, b)| *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_count_lines_not_records() {
        // Found by the areas_csv fuzz target: a name spanning two lines made every later
        // error point one line too early.
        let text = "code,level,name_en,name_hi,parent_code\n\
                    UP,state,\"Uttar Pradesh,\nEast\",उत्तर प्रदेश,\n\
                    M_9,mandal,Mandal 9,मंडल 9,UP\n\
                    B-1,kingdom,Booth 1,बूथ 1,M_9\n";
        match parse_areas_csv(text) {
            Err(AreaImportError::Line { line, .. }) => assert_eq!(line, 5, "{text}"),
            other => panic!("expected a line error, got {other:?}"),
        }
        let ok = text.replace("kingdom", "booth");
        let lines: Vec<usize> = parse_areas_csv(&ok)
            .unwrap()
            .iter()
            .map(|(l, _)| *l)
            .collect();
        assert_eq!(lines, [2, 4, 5]);
        // Also found by it: Windows line ends ("\r\n", as spreadsheets save CSV) must not
        // count twice.
        let crlf =
            "code,level,name_en,name_hi,parent_code\r\nUP,state,U,उ,\r\nlko,district,L,ल,UP\r\n";
        let lines: Vec<usize> = parse_areas_csv(crlf)
            .unwrap()
            .iter()
            .map(|(l, _)| *l)
            .collect();
        assert_eq!(lines, [2, 3]);
        // And a lone "\r" (old Mac line ends) is a line end of its own.
        let cr = crlf.replace("\r\n", "\r");
        let lines: Vec<usize> = parse_areas_csv(&cr)
            .unwrap()
            .iter()
            .map(|(l, _)| *l)
            .collect();
        assert_eq!(lines, [2, 3]);
        let bad = crlf.replace("district", "county");
        match parse_areas_csv(&bad) {
            Err(AreaImportError::Line { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected a line error, got {other:?}"),
        }
    }
}
