//! `areas`: the organisation's tree. An import is all or nothing: the first bad line is
//! reported by number and nothing is written.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};
use saakshi_domain::wire::AreaSummary;
use saakshi_domain::{Area, AreaLevel};

use super::{SqliteStore, StoreError, StoreResult, scope};
use crate::store::areas::*;

#[async_trait::async_trait]
impl Areas for SqliteStore {
    async fn import_areas(&self, parsed: Vec<(usize, Area)>) -> Result<usize, AreaImportError> {
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

    async fn area(&self, code: String) -> StoreResult<Option<(AreaSummary, String)>> {
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

    async fn list_areas(&self, prefix: Option<String>) -> StoreResult<Vec<AreaRow>> {
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
                    return Err(AreaImportError::line(
                        *line,
                        format!(
                            "a {} cannot be under a {} ({parent})",
                            cur.level.as_str(),
                            p.level.as_str()
                        ),
                    ));
                }
                if chain.len() > 16 || chain.iter().any(|a| a.code == p.code) {
                    return Err(AreaImportError::line(*line, "the parents form a loop"));
                }
                chain.push(p);
                cur = p;
            } else if let Some((level, path)) = stored(parent)? {
                if !cur.level.may_be_under(level) {
                    return Err(AreaImportError::line(
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
                return Err(AreaImportError::line(
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
            return Err(AreaImportError::line(
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

    fn db() -> (tempfile::TempDir, SqliteStore) {
        let d = tempfile::tempdir().unwrap();
        let db = SqliteStore::open(&d.path().join("t.db")).unwrap();
        (d, db)
    }

    #[tokio::test]
    async fn imports_in_any_order_and_computes_paths() {
        let (_d, db) = db();
        assert_eq!(crate::areas_csv::import(&db, GOOD).await.unwrap(), 4);
        let (a, path) = db.area("B-104".into()).await.unwrap().unwrap();
        assert_eq!(a.name_hi, "बूथ 104");
        assert_eq!(path, "/UP/LKO/M-7/B-104/");
        let (m, _) = db.area("M-7".into()).await.unwrap().unwrap();
        assert_eq!(m.name_en, "Hazratganj, Mandal 7");
        // Re-import renames, and a later file may hang new areas under stored ones.
        let more = "code,level,name_en,name_hi,parent_code\nB-105,booth,Booth 105,बूथ 105,M-7\n";
        assert_eq!(crate::areas_csv::import(&db, more).await.unwrap(), 1);
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
            let err = crate::areas_csv::import(&db, csv).await.unwrap_err();
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
