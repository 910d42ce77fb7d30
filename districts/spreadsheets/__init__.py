"""Excel and CSV for the quarterly figures: the template, the reader, the import jobs and exports.

Columns come from the section registry, so districts never imports a figures app.
"""
