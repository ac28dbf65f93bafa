using System.Text;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Import;

// Files built to exhaust the importer or poison the figures: each is refused or reported with its line, and nothing
// half-written stays behind.
public sealed class HostileInputTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        Assert.True((await _store.ImportAsync(ImportKind.Customers, Fixtures.Customers)).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Products, Fixtures.Products)).Succeeded);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private const string TransactionsHeader = "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount,channel\n";

    private static string Line(long i) => $"O{i},1,C1,2026-03-01T10:00:00,P1,1,3.50,0,store\n";

    [Theory]
    [InlineData(ImportMode.AllOrNothing)]
    [InlineData(ImportMode.SkipInvalid)]
    public async Task ImportAsync_UnterminatedQuoteNearTheTop_StopsThereAndReadsLittleOfTheFile(ImportMode mode)
    {
        // 60 MB of ordinary lines after a quote that is never closed on line 3: read whole, the rest of the file
        // would become one field (memory growing with the file).
        var file = new GeneratedStream(TransactionsHeader + Line(1) + "O2,1,C1,2026-03-01T10:00:00,\"P1,1,3.50,0,store\n",
            Line, lines: 1_200_000);

        var result = await _store.ImportAsync(ImportKind.Transactions, file, mode);

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        var problem = Assert.Single(result.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(3, problem.Line);
        Assert.Contains("longer than 65,536 characters (an unterminated quote?)", problem.Reason);
        Assert.Contains("line 3", result.Message);
        Assert.Equal(0, await _store.CountAsync("order_lines"));
        // Reading stopped about one field past the quote: a couple of read buffers, not the 60 MB.
        Assert.InRange(file.BytesRead, 1, 4L << 20);
    }

    [Fact]
    public async Task ImportAsync_RecordOfManyLargeFields_IsRefusedAtItsLine()
    {
        var big = new string('x', 60_000);
        var csv = "customer_id,first_name,last_name,city,region,country\n" + "C9,Al,Bo,Leeds,North,GB\n" +
                  "C10," + string.Join(",", Enumerable.Repeat($"\"{big}\"", 20)) + "\n";

        var result = await _store.ImportAsync(ImportKind.Customers, csv, ImportMode.SkipInvalid);

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        var problem = Assert.Single(result.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(3, problem.Line);
        Assert.Contains("record is longer than 1,048,576 characters", problem.Reason);
        Assert.Empty(await _store.RowsAsync("SELECT 1 FROM customers WHERE customer_id IN ('C9', 'C10')"));
    }

    [Fact]
    public async Task ImportAsync_HeaderLineWithoutEnd_IsRefused()
    {
        var file = new GeneratedStream("", _ => new string('A', 1000), lines: 50_000);

        var result = await _store.ImportAsync(ImportKind.Customers, file);

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Contains("header line is longer than", Assert.Single(result.Problems).Reason);
        Assert.InRange(file.BytesRead, 1, 4L << 20);
    }

    [Theory]
    [InlineData("unit_price", "1" + "000000000000000000000000000000")] // 31 digits: finite, far past the range
    [InlineData("unit_price", "1e308")]
    [InlineData("unit_price", "1000000.01")]
    [InlineData("quantity", "100001")]
    [InlineData("quantity", "-100001")]
    [InlineData("discount", "2000000")]
    [InlineData("unit_price", "NaN")]
    [InlineData("unit_price", "Infinity")]
    public async Task ImportAsync_NumberOutsideItsRange_IsRefused(string column, string value)
    {
        var fields = new Dictionary<string, string> { ["quantity"] = "1", ["unit_price"] = "3.50", ["discount"] = "0" };
        fields[column] = value;
        var csv = TransactionsHeader + $"O1,1,C1,2026-03-01T10:00:00,P1,{fields["quantity"]},{fields["unit_price"]},{fields["discount"]},store\n";

        var result = await _store.ImportAsync(ImportKind.Transactions, csv);

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        var problem = Assert.Single(result.Problems);
        Assert.Equal((2L, column), (problem.Line, problem.Column));
    }

    [Fact]
    public async Task ImportAsync_ThreeHundredEightDigitPrice_IsRefusedLikeTheExponent()
    {
        var huge = "1" + new string('0', 307);
        var result = await _store.ImportAsync(ImportKind.Products, $"sku,name,category,price\nP9,Tea,Grocery,{huge}\nP8,Tea,Grocery,1e308\n");

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal([(2L, "price"), (3L, "price")], result.Problems.Select(p => (p.Line, p.Column)).ToList());
        Assert.DoesNotContain(result.Problems, p => p.Reason.Contains(huge, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImportAsync_NumbersAtTheEdgesOfTheirRanges_AreAccepted()
    {
        var csv = TransactionsHeader +
                  "O1,1,C1,2026-03-01T10:00:00,P1,100000,1000000,1000000,store\n" +
                  "O1,2,C1,2026-03-01T10:00:00,P1,-100000,0,0,store\n";
        Assert.True((await _store.ImportAsync(ImportKind.Transactions, csv)).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Customers, "customer_id,loyalty_points\nC1,1000000000\n")).Succeeded);
        Assert.False((await _store.ImportAsync(ImportKind.Customers, "customer_id,loyalty_points\nC1,1000000001\n")).Succeeded);
    }

    [Theory]
    [InlineData("customer_id", 65)]
    [InlineData("first_name", 101)]
    [InlineData("email", 255)]
    [InlineData("phone", 33)]
    [InlineData("postal_code", 17)]
    public async Task ImportAsync_TextPastItsLength_IsAnError(string column, int length)
    {
        var value = column == "email" ? new string('a', length - 12) + "@example.com" : new string('7', length);
        var id = column == "customer_id" ? value : "C7";
        var row = new Dictionary<string, string> { ["customer_id"] = id, ["first_name"] = "", ["email"] = "", ["phone"] = "", ["postal_code"] = "" };
        row[column] = value;
        var csv = "customer_id,first_name,email,phone,postal_code\n" + string.Join(",", row.Values) + "\n";

        var result = await _store.ImportAsync(ImportKind.Customers, csv);

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        var problem = Assert.Single(result.Problems);
        Assert.Equal((2L, column, ProblemSeverity.Error), (problem.Line, problem.Column, problem.Severity));
        Assert.Contains($"is {length} characters long: at most {length - 1} allowed", problem.Reason);
        // One character fewer is fine.
        Assert.True((await _store.ImportAsync(ImportKind.Customers, csv.Replace(value, value[1..], StringComparison.Ordinal))).Succeeded);
    }

    [Fact]
    public async Task ImportAsync_Latin1Bytes_AreReportedAsInvalidUtf8WithTheirLine()
    {
        var bytes = Encoding.Latin1.GetBytes("customer_id,first_name,last_name\nC1,Anna,Smith\nC2,José,Jones\n");

        var result = await _store.ImportAsync(ImportKind.Customers, new MemoryStream(bytes));

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        var problem = Assert.Single(result.Problems);
        Assert.Equal((3L, "first_name"), (problem.Line, problem.Column));
        Assert.Contains("not valid UTF-8", problem.Reason);
        Assert.DoesNotContain(await _store.RowsAsync("SELECT first_name FROM customers"), n => n.Contains('\uFFFD'));
    }

    [Theory]
    [InlineData(ImportEncoding.Latin1)]
    [InlineData(ImportEncoding.Windows1252)]
    public async Task ImportAsync_WithTheFilesEncoding_KeepsTheAccents(ImportEncoding encoding)
    {
        var bytes = Encoding.Latin1.GetBytes("customer_id,first_name,last_name\nC2,José,Müller\n");

        var result = await _store.Imports.ImportAsync(new MemoryStream(bytes),
            new ImportRequest(ImportKind.Customers, "customers.csv", ImportMode.AllOrNothing, "test", bytes.Length, encoding), null, default);

        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => p.Reason)));
        Assert.Equal(["José|Müller"], await _store.RowsAsync("SELECT first_name, last_name FROM customers WHERE customer_id = 'C2'"));
    }

    [Fact]
    public async Task ImportAsync_NulByte_IsReportedWithLineAndColumn()
    {
        var result = await _store.ImportAsync(ImportKind.Customers, "customer_id,first_name\nC1,An\0na\n");

        var problem = Assert.Single(result.Problems);
        Assert.Equal((2L, "first_name"), (problem.Line, problem.Column));
        Assert.Contains("NUL", problem.Reason);
    }

    [Fact]
    public async Task ImportAsync_ControlCharactersInAValue_AreEscapedInTheMessage()
    {
        var csv = TransactionsHeader + "O1,1,C1,2026-03-01T10:00:00,\u001b[2J\u001b]0;pwned\u0007,1,3.50,0,store\n";

        var result = await _store.ImportAsync(ImportKind.Transactions, csv);

        var problem = Assert.Single(result.Problems);
        Assert.Contains("\\u{001B}[2J", problem.Reason);
        Assert.DoesNotContain(problem.Format("t.csv"), c => char.IsControl(c));
    }
}

// A file of any size that is never held in memory: a head, then generated lines; counts the bytes handed out.
internal sealed class GeneratedStream(string head, Func<long, string> line, long lines) : Stream
{
    private byte[] _pending = Encoding.UTF8.GetBytes(head);
    private int _offset;
    private long _next;

    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (_offset == _pending.Length)
        {
            if (_next == lines) return 0;
            _pending = Encoding.UTF8.GetBytes(line(_next++));
            _offset = 0;
        }
        var n = Math.Min(count, _pending.Length - _offset);
        Array.Copy(_pending, _offset, buffer, offset, n);
        _offset += n;
        BytesRead += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
