//! Rules about a report agreeing with itself and with the calendar: years,
//! dates, deadlines, laws, events and fixed expressions.

pub mod anachronism;
pub mod date_invalid;
pub mod deadline;
pub mod formulation;
pub mod missing_signature;
pub mod obsolete_law;
pub mod report_year;
pub mod scan;
pub mod vague_time;
