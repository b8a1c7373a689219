"""Merge and scoring: which return counts and the task table (:mod:`.merge`), the indicator
scores, the city summary and the ranking (:mod:`.scores`)."""
