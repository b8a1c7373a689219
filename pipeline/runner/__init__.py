"""The runner: the one worker pool (:mod:`.pool`), the cache of prepared returns (:mod:`.cache`)
and the reading of a whole inbox through both (:mod:`.prepare`)."""
