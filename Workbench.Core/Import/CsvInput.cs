using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Workbench.Core.Csv;

namespace Workbench.Core.Import;

// Reads a CSV stream once: BOM-aware UTF-8, delimiter detected from the header line, RFC 4180 quoting.
// Records come back with the physical line they start on (the header is line 1).
internal sealed class CsvInput : IDisposable
{
    private readonly StreamReader _reader;
    private readonly CsvParser _parser;
    private long _lastRawRow;

    private CsvInput(StreamReader reader, char delimiter, string[] headers)
    {
        _reader = reader;
        Delimiter = delimiter;
        Headers = headers;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            Mode = CsvMode.RFC4180,
            IgnoreBlankLines = false,
            CacheFields = false, // its cache keeps every distinct field (order ids, timestamps): memory grew with the file
            BadDataFound = _ => CurrentHasBadQuoting = true,
        };
        _parser = new CsvParser(reader, config, leaveOpen: true);
    }

    public char Delimiter { get; }
    public string[] Headers { get; }
    public long Line { get; private set; }
    public bool CurrentHasBadQuoting { get; private set; }

    public static async Task<CsvInput?> OpenAsync(Stream stream, CancellationToken ct)
    {
        var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var headerLine = await reader.ReadLineAsync(ct);
        if (string.IsNullOrWhiteSpace(headerLine))
        {
            reader.Dispose();
            return null;
        }
        var delimiter = DetectDelimiter(headerLine);
        using var headerParser = new CsvParser(new StringReader(headerLine),
            new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter.ToString(), Mode = CsvMode.RFC4180 });
        var headers = headerParser.Read() ? headerParser.Record ?? [] : [];
        return new CsvInput(reader, delimiter, headers.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray());
    }

    // The delimiter that occurs most often outside quotes in the header line; comma on a tie.
    public static char DetectDelimiter(string headerLine)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        var quoted = false;
        foreach (var c in headerLine)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == ',') commas++;
            else if (!quoted && c == ';') semicolons++;
            else if (!quoted && c == '\t') tabs++;
        }
        if (semicolons > commas && semicolons >= tabs) return ';';
        if (tabs > commas && tabs > semicolons) return '\t';
        return ',';
    }

    public string[]? Read()
    {
        while (true)
        {
            CurrentHasBadQuoting = false;
            if (!_parser.Read()) return null;
            // RawRow counts physical lines (a quoted field may span several); the record starts after the last one.
            Line = 2 + _lastRawRow;
            _lastRawRow = _parser.RawRow;
            var record = _parser.Record ?? [];
            if (record.Length == 1 && record[0].Length == 0 && !CurrentHasBadQuoting) continue;
            for (var i = 0; i < record.Length; i++)
            {
                if (record[i].Length > 1 && record[i][0] == '\'') record[i] = SafeCsv.Restore(record[i]);
            }
            return record;
        }
    }

    // Moves to the next record without materialising it: the caller reads only the fields it needs with Field(i).
    public bool MoveNext()
    {
        while (true)
        {
            CurrentHasBadQuoting = false;
            if (!_parser.Read()) return false;
            Line = 2 + _lastRawRow;
            _lastRawRow = _parser.RawRow;
            if (_parser.Count == 1 && _parser[0].Length == 0 && !CurrentHasBadQuoting) continue;
            return true;
        }
    }

    public int FieldCount => _parser.Count;

    public string Field(int index)
    {
        var field = _parser[index];
        return field.Length > 1 && field[0] == '\'' ? SafeCsv.Restore(field) : field;
    }

    public void Dispose()
    {
        _parser.Dispose();
        _reader.Dispose();
    }
}

// Counts the bytes read from the upload so progress can say how far along the file is.
internal sealed class CountingStream(Stream inner) : Stream
{
    private long _bytesRead;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        Interlocked.Add(ref _bytesRead, n);
        return n;
    }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Interlocked.Add(ref _bytesRead, n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        Interlocked.Add(ref _bytesRead, n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

internal sealed record HeaderMap(int[] ColumnOf, IReadOnlyList<ColumnMapping> Mapping, IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unknown, IReadOnlyList<string> Repeated)
{
    public static HeaderMap Build(ImportSchema schema, string[] headers)
    {
        var columnOf = Enumerable.Repeat(-1, schema.Fields.Count).ToArray();
        var mapping = new List<ColumnMapping>();
        var unknown = new List<string>();
        var repeated = new List<string>();
        for (var c = 0; c < headers.Length; c++)
        {
            var normalized = ImportSchemas.NormalizeHeader(headers[c]);
            var field = -1;
            for (var f = 0; f < schema.Fields.Count; f++)
            {
                if (ImportSchemas.NormalizeHeader(schema.Fields[f].Name) == normalized) field = f;
            }
            if (field < 0)
            {
                unknown.Add(headers[c]);
                mapping.Add(new ColumnMapping(headers[c], null, false));
            }
            else if (columnOf[field] >= 0)
            {
                repeated.Add(headers[c]);
                mapping.Add(new ColumnMapping(headers[c], null, false));
            }
            else
            {
                columnOf[field] = c;
                mapping.Add(new ColumnMapping(headers[c], schema.Fields[field].Name, schema.Fields[field].Required));
            }
        }
        var missing = schema.Fields.Where((f, i) => f.Required && columnOf[i] < 0).Select(f => f.Name).ToList();
        return new HeaderMap(columnOf, mapping, missing, unknown, repeated);
    }
}
