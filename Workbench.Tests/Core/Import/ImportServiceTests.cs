using System.Globalization;
using CsvHelper;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Import;

public sealed class ImportServiceTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task SeedCustomersAndProductsAsync()
    {
        Assert.True((await _store.ImportAsync(ImportKind.Customers, Fixtures.Customers)).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Products, Fixtures.Products)).Succeeded);
    }

    private static ImportProblem Single(ImportResult result, ProblemSeverity severity = ProblemSeverity.Error) =>
        Assert.Single(result.Problems, p => p.Severity == severity);

    [Fact]
    public async Task ImportAsync_ValidCustomers_InsertsEveryRowWithTypedValues()
    {
        var result = await _store.ImportAsync(ImportKind.Customers, Fixtures.Customers);

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        Assert.Equal((3L, 3L, 0L, 0L, 0L), (result.RowsRead, result.Inserted, result.Updated, result.Unchanged, result.Rejected));
        var rows = await _store.RowsAsync("SELECT customer_id, email, loyalty_points, signup_date, time_zone FROM customers ORDER BY 1");
        Assert.Equal(["C1|anna@example.com|120|2025-01-10|Europe/London", "C2|bob@example.com|0|2025-02-11|Europe/Paris", "C3|∅|∅|∅|∅"], rows);
    }

    [Fact]
    public async Task ImportAsync_MissingRequiredColumn_RefusesBeforeWritingAndNamesMissingAndFoundColumns()
    {
        var result = await _store.ImportAsync(ImportKind.Products, "sku,name,price\nP1,Tea,3.50\n");

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        var problem = Single(result);
        Assert.Equal(1, problem.Line);
        Assert.Contains("missing required column(s): category", problem.Reason);
        Assert.Contains("found: sku, name, price", problem.Reason);
        Assert.Equal(0, await _store.CountAsync("products"));
    }

    [Fact]
    public async Task ImportAsync_UnknownColumn_WarnsAndIgnoresIt()
    {
        var result = await _store.ImportAsync(ImportKind.Products, "sku,name,category,price,shelf\nP1,Tea,Grocery,3.5,A4\n");

        Assert.True(result.Succeeded);
        Assert.Equal(["shelf"], result.UnknownColumns);
        var warning = Single(result, ProblemSeverity.Warning);
        Assert.Equal((1L, "shelf"), (warning.Line, warning.Column));
    }

    [Theory]
    [InlineData(",")]
    [InlineData(";")]
    [InlineData("\t")]
    public async Task ImportAsync_AnyDelimiterWithBomAndLooseHeaderNames_IsDetected(string delimiter)
    {
        var csv = "\uFEFF" + string.Join(delimiter, "SKU", "Name", "CATEGORY", "unit cost", "Price") + "\n"
                  + string.Join(delimiter, "P9", "\"Tea, green\"", "Grocery", "1.10", "3.50") + "\n";

        var preview = await _store.Imports.PreviewAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), ImportKind.Products, default);
        var result = await _store.ImportAsync(ImportKind.Products, csv);

        Assert.Equal(delimiter[0], preview.Delimiter);
        Assert.Equal(["sku", "name", "category", "unit_cost", "price"], preview.Mapping.Select(m => m.Field));
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        Assert.Equal(["P9|Tea, green|Grocery|3.5|1.1"], await _store.RowsAsync("SELECT sku, name, category, price, unit_cost FROM products"));
    }

    [Theory]
    [InlineData(ImportKind.Products, "sku,name,category,price\nP1,Tea,Grocery,3,50\n", null, "expected 4 fields, found 5")]
    [InlineData(ImportKind.Products, "sku,name,category,price\nP1,Tea,Grocery,abc\n", "price", "'abc' is not a number")]
    [InlineData(ImportKind.Products, "sku,name,category,price\nP1,Tea,Grocery,-3.50\n", "price", "price must not be negative")]
    [InlineData(ImportKind.Products, "sku,name,category,price\nP1,,Grocery,3.50\n", "name", "name is required but empty")]
    [InlineData(ImportKind.Products, "sku,name,category,price\nP1,Te\"a,Grocery,3.50\n", null, "broken quoting")]
    [InlineData(ImportKind.Customers, "customer_id,birth_date\nC1,03/01/1990\n", "birth_date", "is not an ISO date")]
    [InlineData(ImportKind.Customers, "customer_id,preferred_channel\nC1,fax\n", "preferred_channel", "'fax' is not a known preferred_channel")]
    [InlineData(ImportKind.Customers, "customer_id,time_zone\nC1,Mars/Olympus\n", "time_zone", "is not an IANA time zone")]
    [InlineData(ImportKind.Customers, "customer_id,loyalty_points\nC1,12.5\n", "loyalty_points", "is not a whole number")]
    [InlineData(ImportKind.Customers, "customer_id,first_name\nC1,Anna\nC1,Ann\n", null, "duplicate key")]
    public async Task ImportAsync_InvalidValue_ReportsLineColumnAndReason(ImportKind kind, string csv, string? column, string reason)
    {
        var result = await _store.ImportAsync(kind, csv);

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        var problem = Single(result);
        Assert.Equal(column, problem.Column);
        Assert.Contains(reason, problem.Reason);
        Assert.Equal(csv.Split('\n').Length - 1, problem.Line);
    }

    [Theory]
    [InlineData("O1,1,C9,2026-03-01T10:00:00,P1,1,3.50", "customer_id", "customer 'C9' is neither in the store nor in this file")]
    [InlineData("O1,1,C1,2026-03-01T10:00:00,P9,1,3.50", "sku", "sku 'P9' is neither in the store nor in this file")]
    [InlineData("O1,1,C1,2026-13-01T10:00:00,P1,1,3.50", "ordered_at", "is not an ISO date-time")]
    [InlineData("O1,1,C1,2026-03-01T10:00:00,P1,0,3.50", "quantity", "quantity must not be zero")]
    [InlineData("O1,x,C1,2026-03-01T10:00:00,P1,1,3.50", "line_no", "'x' is not a whole number")]
    public async Task ImportAsync_InvalidTransaction_ReportsLineColumnAndReason(string line, string column, string reason)
    {
        await SeedCustomersAndProductsAsync();

        var result = await _store.ImportAsync(ImportKind.Transactions,
            "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\nO0,1,C1,2026-03-01T09:00:00,P1,1,3.50\n" + line + "\n");

        var problem = Single(result);
        Assert.Equal((3L, column), (problem.Line, problem.Column));
        Assert.Contains(reason, problem.Reason);
        Assert.Equal(0, await _store.CountAsync("order_lines"));
    }

    [Fact]
    public async Task ImportAsync_BadEmail_IsAWarningAndTheRowIsKeptAsWritten()
    {
        var result = await _store.ImportAsync(ImportKind.Customers, "customer_id,email\nC1,anna@\nC2,bob at example.com\nC3,cleo@example.com\n");

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.WarningCount);
        Assert.All(result.Problems, p => Assert.Equal(("email", ProblemSeverity.Warning), (p.Column, p.Severity)));
        Assert.Equal([2L, 3L], result.Problems.Select(p => p.Line));
        Assert.Equal(["C1|anna@", "C2|bob at example.com", "C3|cleo@example.com"], await _store.RowsAsync("SELECT customer_id, email FROM customers ORDER BY 1"));
    }

    [Fact]
    public async Task ImportAsync_QuotedFieldSpanningLines_ReportsTheLineTheRecordStartsOn()
    {
        var csv = "sku,name,category,price\nP1,\"Tea\nwith a long\nname\",Grocery,3.50\nP2,Sofa,Furniture,oops\n";

        var result = await _store.ImportAsync(ImportKind.Products, csv);

        Assert.Equal(5, Single(result).Line);
    }

    [Fact]
    public async Task ImportAsync_AllOrNothingWithOneBadRow_WritesNothingAndReportsEveryProblem()
    {
        var csv = "sku,name,category,price\nP1,Tea,Grocery,3.50\nP2,Sofa,Furniture,-1\nP3,Lamp,Home,x\nP4,Rug,Home,80\n";

        var result = await _store.ImportAsync(ImportKind.Products, csv);

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal((4L, 0L, 0L, 2L, 2L), (result.RowsRead, result.Inserted, result.Updated, result.Rejected, result.ErrorCount));
        Assert.Equal(0, await _store.CountAsync("products"));
        var history = await _store.Imports.HistoryAsync(10, default);
        Assert.Equal(ImportOutcome.Refused, Assert.Single(history).Outcome);
    }

    [Fact]
    public async Task ImportAsync_ManyBadRows_ListsTheFirstThousandAndCountsAll()
    {
        var csv = "sku,name,category,price\n" + string.Concat(Enumerable.Range(1, 1500).Select(i => $"P{i},Tea,Grocery,bad\n"));

        var result = await _store.ImportAsync(ImportKind.Products, csv);

        Assert.Equal(1000, result.Problems.Count);
        Assert.Equal(1500, result.ErrorCount);
        Assert.Contains("1,500 problems", result.Summary);
    }

    [Fact]
    public async Task ImportAsync_SkipInvalid_WritesValidRowsAndReturnsRejectedRowsAsCsv()
    {
        var csv = "sku,name,category,price\nP1,Tea,Grocery,3.50\nP2,\"Sofa, grey\",Furniture,-1\nP3,Lamp,Home,40\n";

        var result = await _store.ImportAsync(ImportKind.Products, csv, ImportMode.SkipInvalid);

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        Assert.Equal((2L, 1L), (result.Inserted, result.Rejected));
        Assert.Equal(["P1", "P3"], await _store.RowsAsync("SELECT sku FROM products ORDER BY 1"));
        await using var stream = await _store.Imports.OpenRejectedRowsAsync(result.ImportRunId, default);
        Assert.NotNull(stream);
        using var csvReader = new CsvReader(new StreamReader(stream), CultureInfo.InvariantCulture);
        var rows = csvReader.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        var rejected = Assert.Single(rows);
        Assert.Equal(["sku", "name", "category", "price", "line", "reason"], rejected.Keys);
        Assert.Equal("Sofa, grey", rejected["name"]);
        Assert.Equal("3", rejected["line"]);
        Assert.Contains("price must not be negative", (string)rejected["reason"]);
    }

    [Fact]
    public async Task ImportAsync_SameFileTwice_ChangesNothingTheSecondTime()
    {
        await SeedCustomersAndProductsAsync();
        const string lines = "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount,channel\n" +
                             "O1,1,C1,2026-03-01T10:00:00,P1,2,3.50,0.50,web\nO1,2,C1,2026-03-01T10:00:00,P3,1,45,,web\n" +
                             "O2,1,C2,2026-03-02T10:00:00+02:00,P2,-1,499,0,store\n";
        const string columns = "order_id, line_no, customer_id, ordered_at, sku, quantity, unit_price, discount, channel, import_id, revision";
        var first = await _store.ImportAsync(ImportKind.Transactions, lines);
        var before = await _store.RowsAsync($"SELECT {columns} FROM order_lines ORDER BY 1, 2");

        var second = await _store.ImportAsync(ImportKind.Transactions, lines);

        Assert.Equal((3L, 0L), (first.Inserted, first.Updated));
        Assert.Equal((0L, 0L, 3L), (second.Inserted, second.Updated, second.Unchanged));
        Assert.Equal(before, await _store.RowsAsync($"SELECT {columns} FROM order_lines ORDER BY 1, 2"));
        Assert.Equal("O1|2|C1|2026-03-01 10:00:00|P3|1|45|0|web|3|0", before[1]);
        Assert.Equal("O2|1|C2|2026-03-02 08:00:00|P2|-1|499|0|store|3|0", before[2]);
    }

    [Fact]
    public async Task ImportAsync_CorrectedFile_UpdatesOnlyTheRowsAndColumnsItNames()
    {
        await _store.ImportAsync(ImportKind.Customers, Fixtures.Customers);

        var result = await _store.ImportAsync(ImportKind.Customers, "customer_id,first_name\nC2,Robert\nC3,Cleo\n");

        Assert.Equal((0L, 1L, 1L), (result.Inserted, result.Updated, result.Unchanged));
        Assert.Equal(["C1|Anna|anna@example.com|0", "C2|Robert|bob@example.com|1", "C3|Cleo|∅|0"],
            await _store.RowsAsync("SELECT customer_id, first_name, email, revision FROM customers ORDER BY 1"));
    }

    [Fact]
    public async Task ImportAsync_DuplicateOfAnUnchangedRow_IsStillADuplicate()
    {
        await _store.ImportAsync(ImportKind.Customers, Fixtures.Customers);

        var result = await _store.ImportAsync(ImportKind.Customers, "customer_id,first_name\nC1,Anna\nC1,Annabel\n", ImportMode.SkipInvalid);

        Assert.Equal((3L, "duplicate key"), (Single(result).Line, Single(result).Reason[..13]));
        Assert.Equal(["Anna"], await _store.RowsAsync("SELECT first_name FROM customers WHERE customer_id = 'C1'"));
    }

    [Fact]
    public async Task ImportAsync_EventsWithoutId_UseCustomerTimeTypeAndSkuAsKey()
    {
        await SeedCustomersAndProductsAsync();
        const string csv = "event_id,customer_id,occurred_at,type,sku,channel\n" +
                           ",C1,2026-03-01T10:00:00,product_view,P1,web\n,C1,2026-03-01T10:00:00,cart_add,P1,web\n" +
                           "E7,C1,2026-03-01T10:00:00,product_view,P1,web\n,C2,2026-03-01T11:00:00,my_custom_type,,app\n";

        var first = await _store.ImportAsync(ImportKind.Events, csv);
        var again = await _store.ImportAsync(ImportKind.Events, csv + ",C1,2026-03-01T10:00:00,product_view,P1,web\n", ImportMode.SkipInvalid);

        Assert.Equal(4, first.Inserted);
        Assert.Equal((4L, 1L), (again.Unchanged, again.Rejected));
        Assert.Contains("duplicate key", Single(again).Reason);
        Assert.Contains("my_custom_type", await _store.RowsAsync("SELECT type FROM events"));
    }

    [Fact]
    public async Task ImportAsync_Consents_LatestUpdatedAtWins()
    {
        await SeedCustomersAndProductsAsync();
        await _store.ImportAsync(ImportKind.Consents, "customer_id,channel,status,updated_at,source\nC1,email,granted,2026-01-01,signup\n");

        var result = await _store.ImportAsync(ImportKind.Consents,
            "customer_id,channel,status,updated_at,source\nC1,email,denied,2026-02-01T09:00:00,preference_center\n" +
            "C1,email,granted,2025-12-01,old_export\nC1,SMS,granted,2026-01-05,store\n");

        Assert.Equal((1L, 1L, 1L), (result.Inserted, result.Updated, result.Unchanged));
        Assert.Equal(["C1|email|denied|preference_center", "C1|sms|granted|store"],
            await _store.RowsAsync("SELECT customer_id, channel, status, source FROM consents ORDER BY 2"));
    }

    [Fact]
    public async Task ImportAsync_Cancelled_LeavesTheStoreExactlyAsItWas()
    {
        await SeedCustomersAndProductsAsync();
        var before = await _store.SnapshotAsync();
        using var cts = new CancellationTokenSource();
        var csv = "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\n" +
                  string.Concat(Enumerable.Range(1, 50_000).Select(i => $"O{i},1,C1,2026-03-01T10:00:00,P1,1,3.50\n"));
        // Cancelled once 600 KB of the ~2.1 MB file have been read: mid-file whatever the machine's speed.
        var cancelling = new CancellingStream(System.Text.Encoding.UTF8.GetBytes(csv), cancelAfterBytes: 600_000, cts);

        var result = await _store.ImportAsync(ImportKind.Transactions, cancelling, ct: cts.Token);

        Assert.Equal(ImportOutcome.Cancelled, result.Outcome);
        Assert.InRange(result.RowsRead, 1, 49_999);
        Assert.Equal(before, await _store.SnapshotAsync());
        Assert.Equal(ImportOutcome.Cancelled, (await _store.Imports.HistoryAsync(1, default))[0].Outcome);
    }

    [Fact]
    public async Task ImportAsync_StreamFailsMidFile_LeavesTheStoreExactlyAsItWas()
    {
        await SeedCustomersAndProductsAsync();
        var before = await _store.SnapshotAsync();
        var csv = "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\n" +
                  string.Concat(Enumerable.Range(1, 50_000).Select(i => $"O{i},1,C1,2026-03-01T10:00:00,P1,1,3.50\n"));
        var failing = new FailingStream(System.Text.Encoding.UTF8.GetBytes(csv), failAfterBytes: 1_000_000);

        var result = await _store.ImportAsync(ImportKind.Transactions, failing);

        Assert.Equal(ImportOutcome.Failed, result.Outcome);
        Assert.Contains("connection dropped", result.Message);
        Assert.Equal(before, await _store.SnapshotAsync());
    }

    [Fact]
    public async Task ImportAsync_ReportsProgressAndRecordsHistory()
    {
        var reports = new List<ImportProgress>();
        var csv = "sku,name,category,price\n" + string.Concat(Enumerable.Range(1, 20_000).Select(i => $"P{i},Item {i},Grocery,1.00\n"));

        var result = await _store.ImportAsync(ImportKind.Products, csv, progress: new SynchronousProgress(reports.Add));

        var reading = reports.Last(r => r.Stage is null);
        Assert.Equal(20_000, reading.RowsRead);
        Assert.Equal(1.0, reading.Fraction);
        Assert.Contains(reports, r => r.Stage == "updating the derived data (customer statistics, customer features, segment memberships, monthly figures, basket model, data quality snapshot)");
        var item = Assert.Single(await _store.Imports.HistoryAsync(10, default));
        Assert.Equal((result.ImportRunId, ImportKind.Products, "products.csv", "test", 20_000L, 20_000L),
            (item.Id, item.Kind, item.FileName, item.UserName, item.RowsRead, item.Inserted));
    }

    [Fact]
    public async Task SummaryAsync_CountsRowsAndSpansOrderDates()
    {
        await SeedCustomersAndProductsAsync();
        await _store.ImportAsync(ImportKind.Transactions, "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\n" +
                                                          "O1,1,C1,2026-03-05T10:00:00,P1,1,3.50\nO2,1,C2,2026-01-02T08:00:00,P2,1,499\n");

        var summary = await _store.Imports.SummaryAsync(default);

        Assert.Equal((3L, 3L, 2L, 0L, 0L), (summary.Customers, summary.Products, summary.OrderLines, summary.Events, summary.Consents));
        Assert.Equal(new DateTime(2026, 1, 2, 8, 0, 0), summary.FirstOrderAt);
        Assert.Equal(new DateTime(2026, 3, 5, 10, 0, 0), summary.LastOrderAt);
        Assert.Equal(3, summary.LastImports.Count);
    }
}

internal sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
{
    public void Report(ImportProgress value) => report(value);
}

internal sealed class FailingStream(byte[] data, int failAfterBytes) : MemoryStream(data)
{
    public override int Read(byte[] buffer, int offset, int count) => Check(base.Read(buffer, offset, count));
    public override int Read(Span<byte> buffer) => Check(base.Read(buffer));
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Check(base.Read(buffer.Span)));

    private int Check(int n) => Position > failAfterBytes ? throw new IOException("the connection dropped") : n;
}

internal sealed class CancellingStream(byte[] data, int cancelAfterBytes, CancellationTokenSource cts) : MemoryStream(data)
{
    public override int Read(byte[] buffer, int offset, int count) => Check(base.Read(buffer, offset, count));
    public override int Read(Span<byte> buffer) => Check(base.Read(buffer));
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Check(base.Read(buffer.Span)));

    private int Check(int n)
    {
        if (Position > cancelAfterBytes) cts.Cancel();
        return n;
    }
}
