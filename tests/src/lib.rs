//! Test support shared by the end-to-end suites and the README demo: sample media that
//! looks like what volunteers capture (geotagged photos, audio clips), a
//! fault-injection proxy that plays a bad network, and the security suite's black-box
//! server.

pub mod blackbox;
pub mod exif_writer;
pub mod harness;
pub mod proxy;
pub mod samples;
