//! samplegen's one integration-test binary: a module per area.

mod fixtures;
mod samples;
mod verify;
