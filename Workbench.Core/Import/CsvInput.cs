using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Workbench.Core.Csv;

namespace Workbench.Core.Import;

// Reads a CSV stream once: BOM-aware UTF-8 (or the encoding asked for), delimiter detected from the header line,
// RFC 4180 quoting. Records come back with the physical line they start on (the header is line 1). A field or record
// past its limit (ImportLimits) ends the reading there: an unterminated quote would otherwise make one field of the
// rest of the file, and memory grow with it.
internal sealed class CsvInput : IDisposable
{
    private readonly StreamReader _reader;
    private readonly LimitedReader _limited;
    private readonly CsvParser _parser;
    private readonly ImportLimits _limits;
    private long _lastRawRow;
    private bool _badQuoting;

    private CsvInput(StreamReader reader, char delimiter, string[] headers, ImportLimits limits)
    {
        _reader = reader;
        _limits = limits;
        Delimiter = delimiter;
        Headers = headers;
        _limited = new LimitedReader(reader, limits.MaxRecordChars);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            Mode = CsvMode.RFC4180,
            IgnoreBlankLines = false,
            CacheFields = false, // its cache keeps every distinct field (order ids, timestamps): memory grew with the file
            BadDataFound = _ => _badQuoting = true,
            MaxFieldSize = limits.MaxFieldChars,
        };
        _parser = new CsvParser(_limited, config, leaveOpen: true);
    }

    public char Delimiter { get; }
    public string[] Headers { get; }
    public long Line { get; private set; }

    // What is wrong with the current record as a whole (broken quoting, a NUL, invalid text, a size limit), if anything.
    public string? CurrentProblem { get; private set; }
    public string? CurrentProblemColumn { get; private set; }

    // Set when a limit stopped the reading: the rest of the file was not read.
    public string? StoppedReason { get; private set; }

    public static Encoding EncodingOf(ImportEncoding encoding) => encoding switch
    {
        ImportEncoding.Latin1 => Encoding.Latin1,
        ImportEncoding.Windows1252 => Windows1252.Value,
        _ => new UTF8Encoding(false),
    };

    private static readonly Lazy<Encoding> Windows1252 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    });

    // Null for an empty file; throws ImportInputException when the header line is past the record limit.
    public static async Task<CsvInput?> OpenAsync(Stream stream, CancellationToken ct) =>
        await OpenAsync(stream, ImportLimits.Default, ImportEncoding.Utf8, ct);

    public static async Task<CsvInput?> OpenAsync(Stream stream, ImportLimits limits, ImportEncoding encoding, CancellationToken ct)
    {
        var reader = new StreamReader(stream, EncodingOf(encoding), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        string? headerLine;
        try
        {
            headerLine = await ReadHeaderLineAsync(reader, limits.MaxRecordChars, ct);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        if (string.IsNullOrWhiteSpace(headerLine))
        {
            reader.Dispose();
            return null;
        }
        var delimiter = DetectDelimiter(headerLine);
        using var headerParser = new CsvParser(new StringReader(headerLine),
            new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter.ToString(), Mode = CsvMode.RFC4180 });
        var headers = headerParser.Read() ? headerParser.Record ?? [] : [];
        return new CsvInput(reader, delimiter, headers.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray(), limits);
    }

    private static async Task<string?> ReadHeaderLineAsync(StreamReader reader, int maxChars, CancellationToken ct)
    {
        var line = new StringBuilder();
        var buffer = new char[1];
        while (await reader.ReadAsync(buffer.AsMemory(), ct) == 1)
        {
            var c = buffer[0];
            if (c == '\n') break;
            if (c == '\r')
            {
                if (reader.Peek() == '\n') reader.Read();
                break;
            }
            if (line.Length == maxChars)
                throw new ImportInputException(1, $"the header line is longer than {maxChars:N0} characters: is this a CSV file?");
            line.Append(c);
        }
        return line.ToString();
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
        if (StoppedReason is not null) return null;
        while (true)
        {
            _badQuoting = false;
            CurrentProblem = CurrentProblemColumn = null;
            _limited.StartRecord();
            try
            {
                if (!_parser.Read()) return null;
            }
            catch (Exception e) when (e is MaxFieldSizeException or RecordTooLargeException)
            {
                Line = 2 + _lastRawRow;
                StoppedReason = e is MaxFieldSizeException
                    ? $"a field is longer than {_limits.MaxFieldChars:N0} characters (an unterminated quote?): the rest of the file was not read"
                    : $"the record is longer than {_limits.MaxRecordChars:N0} characters (an unterminated quote?): the rest of the file was not read";
                CurrentProblem = StoppedReason;
                return [];
            }
            // RawRow counts physical lines (a quoted field may span several); the record starts after the last one.
            Line = 2 + _lastRawRow;
            _lastRawRow = _parser.RawRow;
            var record = _parser.Record ?? [];
            if (record.Length == 1 && record[0].Length == 0 && !_badQuoting) continue;
            if (_badQuoting)
            {
                CurrentProblem = "broken quoting: a quote inside an unquoted field, or a quote never closed; wrap the field in double quotes and double any quote inside it";
            }
            for (var i = 0; i < record.Length; i++)
            {
                var field = record[i];
                // One vectorised scan a field: a NUL, or U+FFFD where the decoder met bytes that are not valid in the encoding.
                var bad = field.AsSpan().IndexOfAny('\0', '\uFFFD');
                if (bad >= 0 && CurrentProblem is null)
                {
                    CurrentProblemColumn = i < Headers.Length ? Headers[i] : null;
                    CurrentProblem = field[bad] == '\0'
                        ? "contains a NUL character (binary data?)"
                        : "contains bytes that are not valid UTF-8 (a Latin-1 or Windows-1252 file? import it with that encoding)";
                }
                if (field.Length > 1 && field[0] == '\'') record[i] = SafeCsv.Restore(field);
            }
            return record;
        }
    }

    public void Dispose()
    {
        _parser.Dispose();
        _reader.Dispose();
    }
}

internal sealed class ImportInputException(long line, string message) : Exception(message)
{
    public long Line { get; } = line;
}

internal sealed class RecordTooLargeException() : Exception("record too large");

// Passes characters through, counting those handed out while one record is parsed: past the limit (plus 64K of
// read-ahead) the record is too large, so the parser's buffer never grows beyond about the limit.
internal sealed class LimitedReader(TextReader inner, int maxRecordChars) : TextReader
{
    private long _sinceStart;

    public void StartRecord() => _sinceStart = 0;

    private const int ReadAhead = 1 << 16;

    public override int Read(char[] buffer, int index, int count) => Count(inner.Read(buffer, index, count));

    public override int Read(Span<char> buffer) => Count(inner.Read(buffer));

    public override int Read()
    {
        var c = inner.Read();
        if (c >= 0) Count(1);
        return c;
    }

    public override int Peek() => inner.Peek();

    private int Count(int n)
    {
        _sinceStart += n;
        if (_sinceStart > (long)maxRecordChars + ReadAhead) throw new RecordTooLargeException();
        return n;
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
