//! `areas`: the organisation's tree, imported from CSV (`code,level,name_en,name_hi,
//! parent_code`). An import is all or nothing: the first bad line is reported by number
//! and nothing is written.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};
use saakshi_domain::wire::AreaSummary;
use saakshi_domain::{Area, AreaLevel};

use super::{Db, StoreError, StoreResult, scope};

/// Why an import was refused.
#[derive(Debug, thiserror::Error)]
pub enum AreaImportError {
    /// A line is wrong.
    #[error("line {line}: {problem}")]
    Line {
        /// 1-based line number in the file (the header is line 1).
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn line_err(line: usize, problem: impl Into<String>) -> AreaImportError {
    AreaImportError::Line {
        line,
        problem: problem.into(),
    }
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
        .map_err(|e| line_err(1, format!("cannot read the header: {e}")))?;
    if headers.iter().collect::<Vec<_>>() != expected {
        return Err(line_err(
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
        let rec = rec.map_err(|e| line_err(line_at(e.position(), i + 2), e.to_string()))?;
        let line = line_at(rec.position(), i + 2);
        if rec.len() != 5 {
            return Err(line_err(
                line,
                format!("expected 5 fields, found {}", rec.len()),
            ));
        }
        let level = AreaLevel::parse(&rec[1]).ok_or_else(|| {
            line_err(line, format!("unknown level {:?} (state, region, district, lok_sabha, vidhan_sabha, mandal, booth)", &rec[1]))
        })?;
        let area = Area {
            code: rec[0].to_string(),
            level,
            name_en: rec[2].to_string(),
            name_hi: rec[3].to_string(),
            parent_code: (!rec[4].is_empty()).then(|| rec[4].to_string()),
        };
        area.validate().map_err(|e| line_err(line, e.to_string()))?;
        if let Some(first) = seen.insert(area.code.clone(), line) {
            return Err(line_err(
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

impl Db {
    /// Imports areas (new ones inserted, existing ones renamed), all or nothing. Returns
    /// how many lines were imported.
    pub async fn import_areas(&self, text: String) -> Result<usize, AreaImportError> {
        let parsed = parse_areas_csv(&text)?;
        let n = parsed.len();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let result = import_in(&tx, &parsed);
            match result {
                Ok(()) => {
                    tx.commit()?;
                    Ok(Ok(n))
                }
                Err(e) => Ok(Err(e)), // dropped: rolled back
            }
        })
        .await?
    }

    /// One area.
    pub async fn area(&self, code: String) -> StoreResult<Option<(AreaSummary, String)>> {
        self.read(move |c| {
            c.query_row(
                "SELECT code, level, name_en, name_hi, path FROM areas WHERE code = ?1",
                [code],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()?
            .map(|(code, level, name_en, name_hi, path)| {
                let level = AreaLevel::parse(&level)
                    .ok_or_else(|| StoreError::Corrupt(format!("area level {level}")))?;
                Ok((
                    AreaSummary {
                        code,
                        level,
                        name_en,
                        name_hi,
                    },
                    path,
                ))
            })
            .transpose()
        })
        .await
    }
}

/// An area with its place in the tree.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AreaRow {
    /// The area.
    #[serde(flatten)]
    pub area: Area,
    /// `/UP/LKO/B-104/`.
    pub path: String,
}

impl Db {
    /// Areas under `prefix` (all when `None`), in tree order.
    pub async fn list_areas(&self, prefix: Option<String>) -> StoreResult<Vec<AreaRow>> {
        self.read(move |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT code, level, name_en, name_hi, parent_code, path FROM areas
                 WHERE {} ORDER BY path",
                scope::sql_under_or_all("path", "?1")
            ))?;
            let rows = stmt.query_map([prefix], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (code, level, name_en, name_hi, parent_code, path) = row?;
                let level = AreaLevel::parse(&level)
                    .ok_or_else(|| StoreError::Corrupt(format!("area level {level}")))?;
                out.push(AreaRow {
                    area: Area {
                        code,
                        level,
                        name_en,
                        name_hi,
                        parent_code,
                    },
                    path,
                });
            }
            Ok(out)
        })
        .await
    }
}

/// Resolves parents (in the file or already stored), checks nesting, writes.
fn import_in(
    tx: &rusqlite::Transaction<'_>,
    areas: &[(usize, Area)],
) -> Result<(), AreaImportError> {
    let stored = |code: &str| -> StoreResult<Option<(AreaLevel, String)>> {
        tx.query_row(
            "SELECT level, path FROM areas WHERE code = ?1",
            [code],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
        .map(|(l, p)| {
            AreaLevel::parse(&l)
                .map(|l| (l, p))
                .ok_or_else(|| StoreError::Corrupt(format!("area level {l}")))
        })
        .transpose()
    };
    let in_file: HashMap<&str, &Area> = areas.iter().map(|(_, a)| (a.code.as_str(), a)).collect();
    // Paths are computed parent-first; a file may list children before parents.
    let mut paths: HashMap<String, String> = HashMap::new();
    for (line, area) in areas {
        let mut chain = vec![area];
        let mut cur = area;
        let root_path = loop {
            let Some(parent) = cur.parent_code.as_deref() else {
                break "/".to_string();
            };
            if let Some(p) = in_file.get(parent) {
                if !cur.level.may_be_under(p.level) {
                    return Err(line_err(
                        *line,
                        format!(
                            "a {} cannot be under a {} ({parent})",
                            cur.level.as_str(),
                            p.level.as_str()
                        ),
                    ));
                }
                if chain.len() > 16 || chain.iter().any(|a| a.code == p.code) {
                    return Err(line_err(*line, "the parents form a loop"));
                }
                chain.push(p);
                cur = p;
            } else if let Some((level, path)) = stored(parent)? {
                if !cur.level.may_be_under(level) {
                    return Err(line_err(
                        *line,
                        format!(
                            "a {} cannot be under a {} ({parent})",
                            cur.level.as_str(),
                            level.as_str()
                        ),
                    ));
                }
                break path;
            } else {
                return Err(line_err(
                    *line,
                    format!("parent {parent:?} is neither in the file nor already imported"),
                ));
            }
        };
        let mut path = root_path;
        for a in chain.iter().rev() {
            path.push_str(&a.code);
            path.push('/');
        }
        paths.insert(area.code.clone(), path);
    }
    // Parents before children, so foreign keys hold at every insert.
    let mut order: Vec<&(usize, Area)> = areas.iter().collect();
    order.sort_by_key(|(_, a)| paths[&a.code].matches('/').count());
    for (line, a) in order {
        if let Some((level, path)) = stored(&a.code)?
            && (level != a.level || path != paths[&a.code])
        {
            return Err(line_err(
                *line,
                format!(
                    "area {:?} exists with another level or parent; moving areas is not supported",
                    a.code
                ),
            ));
        }
        tx.execute(
            "INSERT INTO areas (code, level, name_en, name_hi, parent_code, path)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, name_hi = excluded.name_hi",
            params![a.code, a.level.as_str(), a.name_en, a.name_hi, a.parent_code, paths[&a.code]],
        )
        .map_err(StoreError::from)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "code,level,name_en,name_hi,parent_code
B-104,booth,Booth 104,बूथ 104,M-7
UP,state,Uttar Pradesh,उत्तर प्रदेश,
LKO,district,Lucknow,लखनऊ,UP
M-7,mandal,\"Hazratganj, Mandal 7\",हज़रतगंज मंडल 7,LKO
";

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

    fn db() -> (tempfile::TempDir, Db) {
        let d = tempfile::tempdir().unwrap();
        let db = Db::open(&d.path().join("t.db")).unwrap();
        (d, db)
    }

    #[tokio::test]
    async fn imports_in_any_order_and_computes_paths() {
        let (_d, db) = db();
        assert_eq!(db.import_areas(GOOD.into()).await.unwrap(), 4);
        let (a, path) = db.area("B-104".into()).await.unwrap().unwrap();
        assert_eq!(a.name_hi, "बूथ 104");
        assert_eq!(path, "/UP/LKO/M-7/B-104/");
        let (m, _) = db.area("M-7".into()).await.unwrap().unwrap();
        assert_eq!(m.name_en, "Hazratganj, Mandal 7");
        // Re-import renames, and a later file may hang new areas under stored ones.
        let more = "code,level,name_en,name_hi,parent_code\nB-105,booth,Booth 105,बूथ 105,M-7\n";
        assert_eq!(db.import_areas(more.into()).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn a_bad_line_is_named_and_nothing_is_imported() {
        let (_d, db) = db();
        let cases = [
            ("code,level,name_en,name_hi\nUP,state,U,उ\n", 1, "header"),
            (
                "code,level,name_en,name_hi,parent_code\nUP,state,U,उ,\nX,county,X,X,UP\n",
                3,
                "unknown level",
            ),
            (
                "code,level,name_en,name_hi,parent_code\nUP,state,U,उ,\nB,booth,B,ब,NOPE\n",
                3,
                "neither in the file",
            ),
            (
                "code,level,name_en,name_hi,parent_code\nUP,state,U,उ,\nD,district,D,,UP\n",
                3,
                "name_hi",
            ),
            (
                "code,level,name_en,name_hi,parent_code\nUP,state,U,उ,\nUP,state,U,उ,\n",
                3,
                "already appears",
            ),
            (
                "code,level,name_en,name_hi,parent_code\nB,booth,B,ब,\nD,district,D,द,B\n",
                3,
                "cannot be under",
            ),
            (
                "code,level,name_en,name_hi,parent_code\nUP,state,U,उ,\na/b,booth,B,ब,UP\n",
                3,
                "area code",
            ),
            (
                "code,level,name_en,name_hi,parent_code\nUP,state,U,उ\n",
                2,
                "fields",
            ),
        ];
        for (csv, line, needle) in cases {
            let err = db.import_areas(csv.into()).await.unwrap_err();
            let msg = err.to_string();
            assert!(msg.starts_with(&format!("line {line}:")), "{msg}");
            assert!(msg.contains(needle), "{needle:?} not in {msg}");
        }
        assert!(
            db.area("UP".into()).await.unwrap().is_none(),
            "nothing imported"
        );
    }
}
