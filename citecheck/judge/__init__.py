"""Stage 4, judge: observations → `LinkVerdict`s, with per-site rules and the archive pass."""
