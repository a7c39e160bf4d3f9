"""BoxOffice reliability suite: races and faults against a running `boxoffice serve` on loopback."""
