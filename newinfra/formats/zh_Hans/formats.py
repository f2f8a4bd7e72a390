"""Django's zh_Hans locale groups digits by four with no separator, so ``floatformat:"2g"`` gave
64800.00; statistical tables and Excel here write 64,800.00. Only what differs is set: the rest
falls back to Django's own zh_Hans formats."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
