//! Does a typed position fit the photo? A volunteer who types `--lat 80.9 --lon 26.8`
//! (the two swapped) gets a valid point in the Arctic Ocean; one who types the booth's
//! position onto a photo taken elsewhere files evidence under the wrong place. Both are
//! easy for the machine to notice when the photo carries its own GPS position, and the
//! swap is easy to notice even without one. The caller decides what to do with a doubt:
//! the CLI refuses unless told `--force-location`, the app shows both positions.

use std::io::BufReader;
use std::path::Path;

use saakshi_domain::{Location, MediaKind};
use serde::Serialize;

use super::{exif, open_checked};
use crate::error::Result;

/// A typed position further than this from the photo's own is questioned. GPS in a phone
/// is good to tens of metres and a rally ground is a few hundred across; a few kilometres
/// is another place.
pub const FAR_FROM_PHOTO_KM: f64 = 5.0;

/// Latitude and longitude bounds around India (the mainland, Lakshadweep, the Andaman
/// and Nicobar Islands). Used only to recognise a swap when the photo has no position of
/// its own: Saakshi's volunteers work in India, where no latitude is a valid longitude
/// and no longitude a valid latitude of the country.
const INDIA_LAT: std::ops::RangeInclusive<f64> = 6.0..=37.5;
const INDIA_LON: std::ops::RangeInclusive<f64> = 68.0..=97.5;

/// Why a typed position is questioned.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "doubt", rename_all = "snake_case")]
pub enum LocationDoubt {
    /// The photo's own GPS position is far from the typed one.
    FarFromPhoto {
        /// Where the photo says it was taken.
        photo: Location,
        /// How far apart the two are.
        distance_km: f64,
    },
    /// Latitude and longitude look swapped: swapping them lands on the photo's own
    /// position, or (for media without one) in India while the typed point is not.
    LooksSwapped {
        /// The typed position with the two swapped.
        swapped: Location,
    },
}

impl std::fmt::Display for LocationDoubt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::FarFromPhoto { photo, distance_km } => write!(
                f,
                "the photo's own GPS position ({:.5}, {:.5}) is {} km from the one given",
                photo.lat,
                photo.lon,
                format_km(*distance_km)
            ),
            Self::LooksSwapped { swapped } => write!(
                f,
                "latitude and longitude look swapped; did you mean --lat {} --lon {}?",
                swapped.lat, swapped.lon
            ),
        }
    }
}

/// "12", "1,234": whole kilometres with thousands grouped.
fn format_km(km: f64) -> String {
    let whole = km.round() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What is doubtful about `given` for media whose own GPS position is `photo`.
pub fn location_doubts(given: &Location, photo: Option<&Location>) -> Vec<LocationDoubt> {
    let swapped = Location {
        lat: given.lon,
        lon: given.lat,
        ..given.clone()
    };
    // A longitude beyond ±90 cannot be a latitude: no swap to suggest.
    let swap_valid = swapped.validate().is_ok();
    let mut doubts = Vec::new();
    match photo {
        Some(photo) => {
            let distance_km = given.distance_km(photo);
            if distance_km > FAR_FROM_PHOTO_KM {
                if swap_valid && swapped.distance_km(photo) <= FAR_FROM_PHOTO_KM {
                    doubts.push(LocationDoubt::LooksSwapped {
                        swapped: swapped.clone(),
                    });
                }
                doubts.push(LocationDoubt::FarFromPhoto {
                    photo: photo.clone(),
                    distance_km,
                });
            }
        }
        None => {
            let in_india = |l: &Location| INDIA_LAT.contains(&l.lat) && INDIA_LON.contains(&l.lon);
            if swap_valid && !in_india(given) && in_india(&swapped) {
                doubts.push(LocationDoubt::LooksSwapped { swapped });
            }
        }
    }
    doubts
}

/// [`location_doubts`] for the file at `path`: its own position is read from EXIF when it
/// is a photo. Refuses the file as [`check_file`](super::check_file) would.
pub fn location_doubts_for(path: &Path, given: &Location) -> Result<Vec<LocationDoubt>> {
    let (file, checked) = open_checked(path)?;
    let photo = match checked.kind {
        MediaKind::Photo => exif::read(&mut BufReader::new(file)).location,
        _ => None,
    };
    Ok(location_doubts(given, photo.as_ref()))
}

#[cfg(test)]
mod tests {
    use saakshi_domain::LocationSource;

    use super::*;

    fn at(lat: f64, lon: f64) -> Location {
        Location {
            lat,
            lon,
            accuracy_m: None,
            altitude_m: None,
            source: LocationSource::Manual,
            fix_time: None,
        }
    }

    const KANPUR: (f64, f64) = (26.4499, 80.3319);
    const LUCKNOW: (f64, f64) = (26.8467, 80.9462);

    #[test]
    fn a_position_near_the_photos_own_is_not_questioned() {
        let photo = at(KANPUR.0, KANPUR.1);
        // About 1 km away: the same rally ground.
        let given = at(KANPUR.0 + 0.009, KANPUR.1);
        assert_eq!(location_doubts(&given, Some(&photo)), vec![]);
    }

    #[test]
    fn another_town_than_the_photos_own_is_questioned_with_the_distance() {
        let photo = at(KANPUR.0, KANPUR.1);
        let doubts = location_doubts(&at(LUCKNOW.0, LUCKNOW.1), Some(&photo));
        let [LocationDoubt::FarFromPhoto { distance_km, .. }] = doubts.as_slice() else {
            panic!("{doubts:?}");
        };
        assert!((70.0..80.0).contains(distance_km), "{distance_km}");
        assert!(doubts[0].to_string().contains(" km from the one given"));
    }

    #[test]
    fn a_swap_is_named_when_swapping_lands_on_the_photos_own_position() {
        let photo = at(KANPUR.0, KANPUR.1);
        let doubts = location_doubts(&at(KANPUR.1, KANPUR.0), Some(&photo));
        assert!(
            matches!(&doubts[0], LocationDoubt::LooksSwapped { swapped } if swapped.lat == KANPUR.0 && swapped.lon == KANPUR.1),
            "{doubts:?}"
        );
        assert!(matches!(doubts[1], LocationDoubt::FarFromPhoto { .. }));
        assert_eq!(
            doubts[0].to_string(),
            "latitude and longitude look swapped; did you mean --lat 26.4499 --lon 80.3319?"
        );
    }

    #[test]
    fn without_the_photos_position_a_swap_into_india_is_named() {
        let doubts = location_doubts(&at(80.9, 26.8), None);
        assert_eq!(
            doubts,
            vec![LocationDoubt::LooksSwapped {
                swapped: at(26.8, 80.9)
            }]
        );
    }

    #[test]
    fn without_the_photos_position_ordinary_points_pass() {
        // In India, the right way round.
        assert_eq!(location_doubts(&at(26.8, 80.9), None), vec![]);
        // Outside India, and swapping would not land there either.
        assert_eq!(location_doubts(&at(51.5, -0.12), None), vec![]);
        // A longitude beyond 90 cannot be a latitude: nothing to suggest.
        assert_eq!(location_doubts(&at(10.0, 120.0), None), vec![]);
    }

    #[test]
    fn kilometres_are_grouped() {
        assert_eq!(format_km(3.4), "3");
        assert_eq!(format_km(1234.6), "1,235");
        assert_eq!(format_km(20_015.0), "20,015");
    }
}
