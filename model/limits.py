"""Every size limit the tool enforces, in one place. Pages, parsers and `.streamlit/config.toml`
(server.maxUploadSize, which must cover the largest upload: tests/test_architecture.py checks it)
read them from here."""

MAX_NAME = 120  # scenario name, author, and any saved name, in characters
MAX_DESCRIPTION = 2000  # scenario description, in characters
MAX_LABEL = 200  # an imported data set's label, in characters
MAX_LINK_VALUE = 200  # one value in a link's query string, in characters
MAX_SCENARIO_FILE_BYTES = 1_000_000  # a scenario JSON import
MAX_TARGET_FILE_BYTES = 1_000_000  # a target-set JSON import
MAX_REPORT_UPLOAD_BYTES = 2_000_000  # a report upload (xlsx or csv)
MAX_REPORT_ROWS = 400  # rows of a report upload: 17 departments + 12 districts + 204 communes, with room
MAX_XLSX_UNCOMPRESSED_BYTES = 50_000_000  # what a workbook may expand to before anything is read
MAX_XLSX_COLUMNS = 60  # columns read from a sheet (the template has 16)
MAX_BLANK_ROWS = 200  # a run of empty rows this long ends a sheet's table
MAX_CELL_CHARS = 1_000  # one cell of an upload
MAX_COUNT = 100_000_000  # a dossier count larger than this is a typing or export error
MAX_SERIES_UPLOAD_BYTES = 4_000_000  # a long monthly-series CSV (400 units × 120 months ≈ 2 MB)
MAX_SERIES_ROWS = 60_000  # rows of a long monthly-series CSV (400 units × 10 years = 48,000, with room)
MIN_PERIOD_YEAR = 2000  # a report month before this is a typing error
MAX_PERIOD_YEAR = 2099  # and one after this too
MIN_CALIBRATION_MONTHS = 6  # months a unit needs before its level and trend are estimated
MAX_REGISTER_UPLOAD_BYTES = 1_000_000  # a register of measures taken (CSV or xlsx)
MAX_REGISTER_ROWS = 5_000  # rows of a register: 300 units × every lever, with room
MIN_TREATED_UNITS = 3  # units that took a measure (with months before and after) before its effect is estimated
SERVER_UPLOAD_MB = 5  # .streamlit/config.toml server.maxUploadSize: above every limit here


def kb(n_bytes: int) -> int:
    return n_bytes // 1000


def mb(n_bytes: int) -> int:
    return n_bytes // 1_000_000
