"""Outputs: the unit templates (:mod:`.templates`, with the words of :mod:`.template_help`), the
feedback files (:mod:`.feedback`), the province workbook (:mod:`.province`), the CSV files
(:mod:`.csvs`) and the manifest (:mod:`.manifest`); :mod:`.xlsx` is what every workbook shares."""
