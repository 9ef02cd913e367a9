//! The area CSV an admin imports: a refusal names a line, and an accepted file yields
//! areas that validate, have unique codes, carry the line they came from, and read back
//! the same when written out as CSV again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saakshi_domain::Area;
use saakshi_server::areas_csv::parse_areas_csv;
use saakshi_server::store::AreaImportError;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let areas = match parse_areas_csv(text) {
        Ok(areas) => areas,
        Err(AreaImportError::Line { line, .. }) => {
            assert!(line >= 1, "line numbers start at 1");
            return;
        }
        Err(e) => panic!("parsing alone reported {e}"),
    };
    // Lines as the import counts them: "\n", "\r\n" and a lone "\r" each end one.
    let lines: Vec<&str> = text
        .split("\r\n")
        .flat_map(|l| l.split(['\r', '\n']))
        .collect();
    let mut codes = std::collections::HashSet::new();
    let mut last_line = 1;
    for (line, area) in &areas {
        area.validate().expect("an imported area validates");
        assert!(codes.insert(area.code.clone()), "code {} twice", area.code);
        assert!(*line > last_line, "line numbers increase");
        last_line = *line;
        // The line number points at the line the area is on, so that an error message
        // sends the admin to the right place.
        let on_line = lines.get(line - 1).copied().unwrap_or_default();
        assert!(
            on_line.contains(area.code.as_str()),
            "area {} reported on line {line}, which is {on_line:?}",
            area.code
        );
    }

    let rewritten = write_csv(areas.iter().map(|(_, a)| a));
    let again = parse_areas_csv(&rewritten).expect("written areas read back");
    let before: Vec<&Area> = areas.iter().map(|(_, a)| a).collect();
    let after: Vec<&Area> = again.iter().map(|(_, a)| a).collect();
    assert_eq!(before, after, "{rewritten:?}");
});

fn write_csv<'a>(areas: impl Iterator<Item = &'a Area>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["code", "level", "name_en", "name_hi", "parent_code"])
        .unwrap();
    for a in areas {
        w.write_record([
            a.code.as_str(),
            a.level.as_str(),
            &a.name_en,
            &a.name_hi,
            a.parent_code.as_deref().unwrap_or(""),
        ])
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}
