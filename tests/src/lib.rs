//! Test support shared by the end-to-end suites and the README demo: sample media that
//! looks like what volunteers capture (geotagged photos, audio clips).

pub mod exif_writer;
pub mod samples;
