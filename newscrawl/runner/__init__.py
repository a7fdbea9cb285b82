"""``newscrawl run``: the command cron calls. One crawl at a time, bounded in time, one log and one
manifest per run, and an exit code that says whether the data can be trusted."""
