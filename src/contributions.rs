//! Contribution arithmetic (placeholder).
