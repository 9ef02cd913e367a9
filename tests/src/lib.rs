//! Test support shared by the end-to-end suites and the README demo: sample media that
//! looks like what volunteers capture (geotagged photos, audio clips), and a
//! fault-injection proxy that plays a bad network.

pub mod exif_writer;
pub mod harness;
pub mod proxy;
pub mod samples;
