"""How Iterable writes a date: `yyyy-MM-dd HH:mm:ss +00:00`, always in UTC."""

DATE_FORMAT = "%Y-%m-%d %H:%M:%S +00:00"
