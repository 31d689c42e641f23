"""Rule tables (units, indicators, cue words) read by the engines in transform/."""
