package cells

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// ReadCSV reads a CSV file as one sheet. Rows are counted as a spreadsheet
// program shows them, blank lines too. Cells are separated by commas, or by
// semicolons when the first line has more of them, as spreadsheet programs
// write CSV in the languages whose decimal mark is a comma. A file that is
// not CSV or is too large returns a *dataset.InvalidError.
func ReadCSV(r io.Reader) (*Sheet, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, MaxFile+1), 64<<10)
	head, _ := br.Peek(64 << 10) // a shorter file is all there
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.Comma = delimiter(head)
	s := &Sheet{}
	lastLine := 0 // the line the record before ended on
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var parseErr *csv.ParseError
			if errors.As(err, &parseErr) {
				return nil, invalid(fmt.Sprintf("line %d", parseErr.Line), "is not CSV: %v", parseErr.Err)
			}
			return nil, fmt.Errorf("read CSV: %w", err)
		}
		if cr.InputOffset() > MaxFile {
			return nil, invalid("file", "is larger than %d MiB", MaxFile>>20)
		}
		// encoding/csv skips blank lines, which a spreadsheet shows as rows.
		line, _ := cr.FieldPos(0)
		for ; lastLine+1 < line; lastLine++ {
			s.Rows = append(s.Rows, nil)
		}
		last, _ := cr.FieldPos(len(record) - 1)
		lastLine = last + strings.Count(record[len(record)-1], "\n")
		if err := s.add(record); err != nil {
			return nil, err
		}
	}
	if len(s.Rows) > 0 && len(s.Rows[0]) > 0 {
		s.Rows[0][0] = strings.TrimPrefix(s.Rows[0][0], "\ufeff")
	}
	return s, nil
}

// add appends a row, its cells trimmed and read back as written, and keeps
// the sheet within its bounds.
func (s *Sheet) add(record []string) error {
	row := make([]string, len(record))
	for i, c := range record {
		row[i] = Unneutralised(strings.TrimSpace(c))
	}
	for len(row) > 0 && row[len(row)-1] == "" {
		row = row[:len(row)-1]
	}
	if len(row) == 0 {
		row = nil
	}
	where := Place(s.Name, len(s.Rows)+1, "")
	switch {
	case len(row) > MaxColumns:
		return invalid(where, "has %d columns: a sheet has at most %d", len(row), MaxColumns)
	case len(row) > 0 && len(s.Rows) >= MaxRows:
		return invalid(where, "is past the last row a sheet may have (%d)", MaxRows)
	}
	s.Rows = append(s.Rows, row)
	return nil
}

// delimiter is the character that separates the cells of a CSV file whose
// start is head: a semicolon when its first line has more semicolons than
// commas, else a comma.
func delimiter(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		return ';'
	}
	return ','
}

// zipMagic starts every zip file, and so every XLSX.
var zipMagic = []byte("PK\x03\x04")

// IsZip reports whether the start of a file is a zip's, as an XLSX is.
func IsZip(head []byte) bool { return bytes.HasPrefix(head, zipMagic) }

// ReadXLSX reads every sheet of an XLSX workbook, in its order. The file
// is bounded by MaxFile and what it unpacks to by MaxUnpacked, checked from
// the zip's directory before anything is unpacked (and the zip reader
// refuses a part that unpacks to more than its directory says). A file that
// is not an XLSX or is too large returns a *dataset.InvalidError.
func ReadXLSX(r io.Reader) ([]Sheet, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
	if err != nil {
		return nil, fmt.Errorf("read XLSX: %w", err)
	}
	if len(raw) > MaxFile {
		return nil, invalid("file", "is larger than %d MiB", MaxFile>>20)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, invalid("file", "is not an XLSX workbook (it does not open as a zip: %v)", err)
	}
	var unpacked uint64
	for _, part := range zr.File {
		unpacked += part.UncompressedSize64
		if part.UncompressedSize64 > MaxUnpacked || unpacked > MaxUnpacked {
			return nil, invalid("file", "unpacks to more than %d MiB (at its part %s): a workbook this large is refused", MaxUnpacked>>20, quote(part.Name))
		}
	}
	// The same bound, for excelize; at most that much is kept in memory,
	// and no part goes to a temporary file.
	book, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{UnzipSizeLimit: MaxUnpacked, UnzipXMLSizeLimit: MaxUnpacked})
	if err != nil {
		return nil, invalid("file", "is not an XLSX workbook: %v", err)
	}
	defer book.Close()
	var sheets []Sheet
	for _, name := range book.GetSheetList() {
		s, err := readSheet(book, name)
		if err != nil {
			return nil, err
		}
		sheets = append(sheets, *s)
	}
	return sheets, nil
}

func readSheet(book *excelize.File, name string) (*Sheet, error) {
	rows, err := book.Rows(name)
	if err != nil {
		return nil, invalid("sheet "+name, "cannot be read: %v", err)
	}
	defer rows.Close()
	s := &Sheet{Name: name}
	blank := 0 // empty rows not yet added: kept only when a row follows them
	for rows.Next() {
		record, err := rows.Columns()
		if err != nil {
			return nil, invalid(Place(name, len(s.Rows)+blank+1, ""), "cannot be read: %v", err)
		}
		if Empty(record) {
			blank++
			continue
		}
		for ; blank > 0; blank-- {
			if err := s.add(nil); err != nil {
				return nil, err
			}
		}
		if err := s.add(record); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, invalid("sheet "+name, "cannot be read: %v", err)
	}
	return s, s.readNumbers(book)
}

// readNumbers reads the sheet again, its values before their formats, to
// find the numbers shown as other text.
func (s *Sheet) readNumbers(book *excelize.File) error {
	rows, err := book.Rows(s.Name)
	if err != nil {
		return invalid("sheet "+s.Name, "cannot be read: %v", err)
	}
	defer rows.Close()
	for i := 0; i < len(s.Rows) && rows.Next(); i++ {
		raw, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return invalid(Place(s.Name, i+1, ""), "cannot be read: %v", err)
		}
		for j, value := range raw {
			value = strings.TrimSpace(value)
			if j >= len(s.Rows[i]) || value == s.Rows[i][j] {
				continue
			}
			if n, err := strconv.ParseFloat(value, 64); err == nil {
				if s.Numbers == nil {
					s.Numbers = map[[2]int]float64{}
				}
				s.Numbers[[2]int{i, j}] = n
			}
		}
	}
	return rows.Error()
}

// quote quotes a name in a message.
func quote(s string) string { return fmt.Sprintf("%q", s) }
