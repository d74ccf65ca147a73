//! Rules about the report's mandated parts and its overall shape.

pub mod empty_section;
pub mod missing_causes;
pub mod missing_section;
pub mod missing_title;
pub mod plan_year;
pub mod section_order;
