"""CSV request bodies: a header row of field names, then one row per record -> {"rows": [{...}, ...]}."""
import csv
import io

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from portal.api_errors import RequestTooLarge

MAX_ROWS = 5000


class CsvParser(BaseParser):
    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        # DRF hands this parser the raw stream, which Django's DATA_UPLOAD_MAX_MEMORY_SIZE check never sees.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        for encoding in ("utf-8-sig", "gb18030"):  # Excel/WPS on Chinese Windows save CSV as GBK
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ParseError("CSV 文件编码无法识别；请另存为 UTF-8 或 GBK 编码的 CSV")
        # newline="": the csv module reads the line ends itself (\r\n, \n, and an old Excel's bare \r).
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = []
        try:
            for row in reader:
                if len(rows) >= MAX_ROWS:
                    raise ParseError(f"CSV 行数超过上限 {MAX_ROWS}；请分批提交")
                rows.append({(key or "").strip(): (value or "").strip() for key, value in row.items() if key})
        except csv.Error as error:
            raise ParseError(f"CSV 第 {reader.line_num} 行无法读取：{error}") from error
        return {"rows": rows}
