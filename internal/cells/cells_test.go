package cells

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
)

func TestNeutralised(t *testing.T) {
	for _, s := range []string{"=HYPERLINK(\"http://evil.example\",\"click\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain", "'quoted", ""} {
		got := Neutralised(s)
		if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) && got[0] != '\'' {
			t.Errorf("Neutralised(%q) = %q, want an apostrophe first", s, got)
		}
		if back := Unneutralised(got); back != s {
			t.Errorf("Unneutralised(Neutralised(%q)) = %q", s, back)
		}
	}
}

func TestReadCSVRows(t *testing.T) {
	// A blank line is a row, as a spreadsheet shows it, and a cell over two
	// lines is one row.
	sheet, err := ReadCSV(strings.NewReader("\ufeffA,B\n\n\"two\nlines\", x \n'=1+2,\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"A", "B"}, nil, {"two\nlines", "x"}, {"=1+2"}}
	if !reflect.DeepEqual(sheet.Rows, want) {
		t.Errorf("rows %q, want %q", sheet.Rows, want)
	}
	_, err = ReadCSV(strings.NewReader("A,B\n\"open,x\n"))
	var invalid *dataset.InvalidError
	if !errors.As(err, &invalid) || !strings.Contains(err.Error(), "line 2: is not CSV") {
		t.Errorf("broken CSV: %v", err)
	}
}

func TestXLSXRoundTrip(t *testing.T) {
	var out bytes.Buffer
	xw := NewXLSXWriter(&out)
	hostile := `=HYPERLINK("http://evil.example","click")`
	xw.Row("Events", []string{"Event", "Title"}, 20, 40)
	xw.Row("Events", []string{"one", hostile})
	xw.Row("Actors", []string{"Actor"})
	xw.Row("Events", []string{"", ""})
	xw.Row("Events", []string{"two", "<script>alert(1)</script>"})
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		rc, _ := f.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(body, []byte("<f>")) {
			t.Errorf("%s holds a formula: %s", f.Name, body)
		}
	}
	book, err := ReadXLSX(&out)
	if err != nil {
		t.Fatal(err)
	}
	want := []Sheet{
		{Name: "Events", Rows: [][]string{{"Event", "Title"}, {"one", hostile}, nil, {"two", "<script>alert(1)</script>"}}},
		{Name: "Actors", Rows: [][]string{{"Actor"}}},
	}
	if !reflect.DeepEqual(book, want) {
		t.Errorf("read back %v, want %v", book, want)
	}
}

// zipOf is a zip of one part that declares size bytes and holds data,
// deflated; declaring less than it holds is how a zip bomb hides.
func zipOf(t *testing.T, name string, data io.Reader, size uint64) []byte {
	t.Helper()
	var compressed bytes.Buffer
	fw, _ := flate.NewWriter(&compressed, flate.BestSpeed)
	crc := crc32.NewIEEE()
	if _, err := io.Copy(io.MultiWriter(fw, crc), data); err != nil {
		t.Fatal(err)
	}
	fw.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc.Sum32(),
		CompressedSize64: uint64(compressed.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(compressed.Bytes())
	zw.Close()
	return out.Bytes()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestReadXLSXRefusesBombs(t *testing.T) {
	t.Run("UnpacksTooLarge", func(t *testing.T) {
		const size = MaxUnpacked + 1
		bomb := zipOf(t, "xl/worksheets/sheet1.xml", io.LimitReader(zeros{}, size), size)
		if len(bomb) > 1<<20 {
			t.Fatalf("the bomb is %d bytes, want it small", len(bomb))
		}
		_, err := ReadXLSX(bytes.NewReader(bomb))
		var invalid *dataset.InvalidError
		if !errors.As(err, &invalid) || !strings.Contains(err.Error(), "file: unpacks to more than 128 MiB") {
			t.Errorf("a zip bomb: %v", err)
		}
	})
	t.Run("PartLiesAboutItsSize", func(t *testing.T) {
		bomb := zipOf(t, "xl/worksheets/sheet1.xml", io.LimitReader(zeros{}, 16<<20), 1<<10)
		_, err := ReadXLSX(bytes.NewReader(bomb))
		var invalid *dataset.InvalidError
		if !errors.As(err, &invalid) || !strings.Contains(err.Error(), "is not an XLSX workbook") {
			t.Errorf("a part that unpacks to more than it declares: %v", err)
		}
	})
	t.Run("FileTooLarge", func(t *testing.T) {
		_, err := ReadXLSX(io.LimitReader(zeros{}, MaxFile+1))
		if err == nil || !strings.Contains(err.Error(), "file: is larger than 64 MiB") {
			t.Errorf("a file past the bound: %v", err)
		}
	})
	t.Run("NotAZip", func(t *testing.T) {
		_, err := ReadXLSX(strings.NewReader("PK\x03\x04 not really"))
		if err == nil || !strings.Contains(err.Error(), "is not an XLSX workbook") {
			t.Errorf("a broken zip: %v", err)
		}
	})
}

func TestReadCSVSemicolons(t *testing.T) {
	// As spreadsheet programs write CSV where the decimal mark is a comma.
	sheet, err := ReadCSV(strings.NewReader("A;B;C\n1,5;\"x;y\";\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"A", "B", "C"}, {"1,5", "x;y"}}; !reflect.DeepEqual(sheet.Rows, want) {
		t.Errorf("rows %q, want %q", sheet.Rows, want)
	}
}
