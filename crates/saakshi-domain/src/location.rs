//! Where a capture was taken, and how much to trust it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::validate::ValidationError;

/// Where a position came from. A capture without any fix has no `Location` at all
/// (`location: null` on the wire), which is what DESIGN.md calls source `none`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LocationSource {
    /// Satellite fix from the device.
    Gps,
    /// Cell / Wi-Fi position from the OS.
    Network,
    /// Read from the photo's own EXIF GPS tags.
    Exif,
    /// Typed in by the user.
    Manual,
}

impl LocationSource {
    /// Stable lowercase name (database, wire, CLI).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gps => "gps",
            Self::Network => "network",
            Self::Exif => "exif",
            Self::Manual => "manual",
        }
    }

    /// Inverse of [`LocationSource::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "gps" => Self::Gps,
            "network" => Self::Network,
            "exif" => Self::Exif,
            "manual" => Self::Manual,
            _ => return None,
        })
    }
}

/// A position with its accuracy and provenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Degrees north, -90..=90.
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90))]
    pub lat: f64,
    /// Degrees east, -180..=180.
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub lon: f64,
    /// Radius of the 68% confidence circle in metres, when known.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, minimum = 0, maximum = 1_000_000)
    )]
    pub accuracy_m: Option<f64>,
    /// Metres above the WGS84 ellipsoid (or sea level, as the source reports it).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub altitude_m: Option<f64>,
    /// Where the fix came from.
    pub source: LocationSource,
    /// When the fix was taken (GPS time), which can be older than the capture.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub fix_time: Option<DateTime<Utc>>,
}

impl Location {
    /// Checks ranges; every number must be finite.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if !self.lat.is_finite() || !(-90.0..=90.0).contains(&self.lat) {
            return Err(ValidationError::new(
                "lat",
                format!("latitude {} is outside -90..90", self.lat),
            ));
        }
        if !self.lon.is_finite() || !(-180.0..=180.0).contains(&self.lon) {
            return Err(ValidationError::new(
                "lon",
                format!("longitude {} is outside -180..180", self.lon),
            ));
        }
        if let Some(a) = self.accuracy_m
            && (!a.is_finite() || !(0.0..=1_000_000.0).contains(&a))
        {
            return Err(ValidationError::new(
                "accuracy_m",
                format!("accuracy {a} m must be between 0 and 1000000"),
            ));
        }
        if let Some(h) = self.altitude_m
            && (!h.is_finite() || !(-12_000.0..=100_000.0).contains(&h))
        {
            return Err(ValidationError::new(
                "altitude_m",
                format!("altitude {h} m is outside -12000..100000"),
            ));
        }
        Ok(())
    }

    /// Great-circle distance to `other` in kilometres (haversine on a sphere of the
    /// Earth's mean radius: within 0.5 % of the ellipsoid, plenty to tell a booth from the
    /// next town).
    pub fn distance_km(&self, other: &Location) -> f64 {
        const EARTH_RADIUS_KM: f64 = 6371.0088;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn at(lat: f64, lon: f64) -> Location {
        Location {
            lat,
            lon,
            accuracy_m: Some(5.0),
            altitude_m: None,
            source: LocationSource::Manual,
            fix_time: None,
        }
    }

    #[rstest]
    #[case(0.0, 0.0, true)]
    #[case(90.0, 180.0, true)]
    #[case(-90.0, -180.0, true)]
    #[case(28.6139, 77.2090, true)]
    #[case(91.0, 0.0, false)]
    #[case(-90.5, 0.0, false)]
    #[case(0.0, 180.01, false)]
    #[case(200.0, 0.0, false)]
    #[case(f64::NAN, 0.0, false)]
    #[case(0.0, f64::INFINITY, false)]
    fn coordinate_ranges(#[case] lat: f64, #[case] lon: f64, #[case] ok: bool) {
        assert_eq!(at(lat, lon).validate().is_ok(), ok, "{lat},{lon}");
    }

    /// Known distances: Lucknow to Kanpur by road sign is ~80 km (great circle ~73),
    /// Delhi to Mumbai ~1,150 km, a point to itself 0, antipodes half the circumference.
    #[rstest]
    #[case((26.8467, 80.9462), (26.4499, 80.3319), 72.0, 76.0)]
    #[case((28.6139, 77.2090), (19.0760, 72.8777), 1140.0, 1160.0)]
    #[case((26.8467, 80.9462), (26.8467, 80.9462), 0.0, 0.000_001)]
    #[case((0.0, 0.0), (0.0, 180.0), 20_015.0, 20_016.0)]
    fn distances(
        #[case] a: (f64, f64),
        #[case] b: (f64, f64),
        #[case] low: f64,
        #[case] high: f64,
    ) {
        let d = at(a.0, a.1).distance_km(&at(b.0, b.1));
        assert!((low..=high).contains(&d), "{a:?} -> {b:?}: {d} km");
        let back = at(b.0, b.1).distance_km(&at(a.0, a.1));
        assert!((d - back).abs() < 1e-9, "not symmetric");
    }

    #[test]
    fn negative_accuracy_is_refused() {
        let mut l = at(1.0, 1.0);
        l.accuracy_m = Some(-1.0);
        assert_eq!(l.validate().unwrap_err().field, "accuracy_m");
    }

    #[test]
    fn source_names_round_trip() {
        for s in [
            LocationSource::Gps,
            LocationSource::Network,
            LocationSource::Exif,
            LocationSource::Manual,
        ] {
            assert_eq!(LocationSource::parse(s.as_str()), Some(s));
        }
        assert_eq!(LocationSource::parse("none"), None);
    }
}
