//! Value normalisation (placeholder).
