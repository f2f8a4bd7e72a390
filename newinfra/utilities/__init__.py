"""The page kit every app uses: tables, .xlsx in and out, imports, history, cells, 简/繁 conversion,
template tags and the access decorators. It imports no app of newinfra's."""
