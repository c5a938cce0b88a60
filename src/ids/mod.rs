//! Identity numbers (placeholder).
