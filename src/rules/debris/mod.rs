//! Rules about debris left by Word, converters and web pages.

pub mod conversion_artifact;
