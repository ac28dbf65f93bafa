using System.Globalization;
using System.Net.Mail;
using CsvHelper;
using CsvHelper.Configuration;
using Workbench.Core.Customers;
using Workbench.Core.Import;
using Workbench.Core.Import.SampleData;

namespace Workbench.Tests.Core.Import;

public sealed class SampleDataGeneratorTests : IDisposable
{
    private static readonly string[] EventTypes =
        ["page_view", "product_view", "search", "cart_add", "cart_abandon", "app_open", "store_visit", "email_open", "email_click"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "workbench-sample-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task WriteAsync_SameOptionsTwice_SameBytes()
    {
        var options = new SampleDataOptions(800, Seed: 7);
        var (first, firstSummary) = await GenerateAsync("first", options);
        var (second, secondSummary) = await GenerateAsync("second", options);

        foreach (var file in SampleDataFiles.All)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        }
        Assert.Equal(firstSummary.Problems.Describe(), secondSummary.Problems.Describe());
    }

    [Fact]
    public async Task WriteAsync_OtherSeed_OtherData()
    {
        var (first, _) = await GenerateAsync("seed1", new SampleDataOptions(300, Seed: 1));
        var (second, _) = await GenerateAsync("seed2", new SampleDataOptions(300, Seed: 2));

        Assert.NotEqual(
            File.ReadAllBytes(Path.Combine(first, SampleDataFiles.Transactions)),
            File.ReadAllBytes(Path.Combine(second, SampleDataFiles.Transactions)));
    }

    [Fact]
    public async Task WriteAsync_Headers_AreTheImporterFieldsInOrder_Utf8WithoutBom()
    {
        var (dir, _) = await GenerateAsync("headers", new SampleDataOptions(200));

        // Outcomes are not generated: they come from a run's sends (simulate outcomes).
        foreach (var schema in ImportSchemas.All.Where(s => s.Kind != ImportKind.Outcomes))
        {
            var path = Path.Combine(dir, schema.FileName);
            var bytes = File.ReadAllBytes(path);
            Assert.False(bytes is [0xEF, 0xBB, 0xBF, ..], $"{schema.FileName} starts with a BOM");
            var header = File.ReadLines(path).First().Split(',');
            Assert.Equal(schema.Fields.Select(f => f.Name), header);
        }
    }

    [Fact]
    public async Task WriteAsync_Summary_CountsTheRowsOfEachFile()
    {
        var (dir, summary) = await GenerateAsync("counts", new SampleDataOptions(500));

        foreach (var file in SampleDataFiles.All)
        {
            Assert.Equal(summary.RowsOf(file), ReadCsv(Path.Combine(dir, file)).Rows.Count);
        }
        Assert.Equal(500, summary.Customers);
        Assert.InRange(summary.Products, 250, 350);
        Assert.Equal(summary.Customers, summary.Archetypes.Sum(a => a.Customers));
        Assert.Equal(summary.OrderLines, summary.Archetypes.Sum(a => a.OrderLines));
    }

    [Fact]
    public async Task WriteAsync_CleanData_EveryReferenceResolvesAndEveryValueIsValid()
    {
        var options = new SampleDataOptions(1500, IncludeProblems: false);
        var (dir, summary) = await GenerateAsync("clean", options);
        var from = options.EndDate.AddYears(-2).ToDateTime(TimeOnly.MinValue);
        var to = options.EndDate.AddDays(1).ToDateTime(TimeOnly.MinValue);

        Assert.Equal(0, summary.Problems.Count);

        var customers = ReadCsv(Path.Combine(dir, SampleDataFiles.Customers));
        var customerIds = new HashSet<string>();
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var phones = new HashSet<string>();
        foreach (var c in customers.Rows)
        {
            Assert.Matches("^C[0-9]{7}$", c[0]);
            Assert.True(customerIds.Add(c[0]), $"customer {c[0]} twice");
            Assert.True(c[3] == "" || IsValidEmail(c[3]), $"{c[0]}: invalid email {c[3]}");
            Assert.True(c[3] == "" || emails.Add(c[3]), $"{c[0]}: email {c[3]} used twice");
            Assert.True(c[4] == "" || phones.Add(c[4]), $"{c[0]}: phone {c[4]} used twice");
            Assert.True(c[5] == "" || IsDate(c[5]), $"{c[0]}: birth_date {c[5]}");
            Assert.True(IsDate(c[12]), $"{c[0]}: signup_date {c[12]}");
            Assert.True(c[14] == "" || long.Parse(c[14], CultureInfo.InvariantCulture) >= 0, $"{c[0]}: loyalty_points {c[14]}");
            Assert.True(c[15] == "" || Channels.Contact.Contains(c[15]), $"{c[0]}: preferred_channel {c[15]}");
            Assert.True(TimeZoneInfo.TryFindSystemTimeZoneById(c[16], out _), $"{c[0]}: time_zone {c[16]}");
        }

        var products = ReadCsv(Path.Combine(dir, SampleDataFiles.Products));
        var skus = new HashSet<string>();
        foreach (var p in products.Rows)
        {
            Assert.True(skus.Add(p[0]), $"sku {p[0]} twice");
            Assert.True(p[1] != "" && p[2] != "", $"{p[0]}: name and category are required");
            Assert.True(IsMoney(p[5], out var price) && price > 0, $"{p[0]}: price {p[5]}");
            Assert.True(p[6] == "" || (IsMoney(p[6], out var cost) && cost < price), $"{p[0]}: unit_cost {p[6]}");
        }
        Assert.Equal(12, products.Rows.Select(p => p[2]).Distinct().Count());

        var lineKeys = new HashSet<(string, int)>();
        var orders = new Dictionary<string, (string Customer, string At, string Channel, int Lines)>();
        foreach (var t in ReadCsv(Path.Combine(dir, SampleDataFiles.Transactions)).Rows)
        {
            var lineNo = int.Parse(t[1], CultureInfo.InvariantCulture);
            Assert.True(lineKeys.Add((t[0], lineNo)), $"{t[0]} line {lineNo} twice");
            Assert.Contains(t[2], customerIds);
            Assert.Contains(t[4], skus);
            Assert.True(IsTimestamp(t[3], out var at) && at >= from && at < to, $"{t[0]}: ordered_at {t[3]}");
            var quantity = int.Parse(t[5], CultureInfo.InvariantCulture);
            Assert.NotEqual(0, quantity);
            Assert.True(IsMoney(t[6], out var unitPrice) && unitPrice >= 0, $"{t[0]}: unit_price {t[6]}");
            Assert.True(IsMoney(t[7], out var discount) && discount >= 0 && discount <= Math.Abs(quantity) * unitPrice, $"{t[0]}: discount {t[7]}");
            Assert.Contains(t[8], Channels.Purchase);
            Assert.Equal(t[8] == "store", t[9] != "");
            if (orders.TryGetValue(t[0], out var order))
            {
                Assert.Equal((order.Customer, order.At, order.Channel, order.Lines + 1), (t[2], t[3], t[8], lineNo));
            }
            else
            {
                Assert.Equal(1, lineNo);
            }
            orders[t[0]] = (t[2], t[3], t[8], lineNo);
        }

        var eventIds = new HashSet<string>();
        foreach (var e in ReadCsv(Path.Combine(dir, SampleDataFiles.Events)).Rows)
        {
            Assert.True(eventIds.Add(e[0]), $"event {e[0]} twice");
            Assert.Contains(e[1], customerIds);
            Assert.True(IsTimestamp(e[2], out var at) && at >= from && at < to, $"{e[0]}: occurred_at {e[2]}");
            Assert.Contains(e[3], EventTypes);
            Assert.True(e[4] == "" || skus.Contains(e[4]), $"{e[0]}: sku {e[4]}");
            Assert.Contains(e[6], Channels.EventChannels);
        }
        Assert.True(eventIds.Count > 0);

        var consentKeys = new HashSet<(string, string)>();
        foreach (var c in ReadCsv(Path.Combine(dir, SampleDataFiles.Consents)).Rows)
        {
            Assert.True(consentKeys.Add((c[0], c[1])), $"consent {c[0]} {c[1]} twice");
            Assert.Contains(c[0], customerIds);
            Assert.Contains(c[1], Channels.Contact);
            Assert.Contains(c[2], Channels.ConsentStatuses);
            Assert.True(IsTimestamp(c[3], out _), $"{c[0]}: updated_at {c[3]}");
        }
    }

    [Fact]
    public async Task WriteAsync_WithProblems_PlantsExactlyTheReportedProblems()
    {
        var (dir, summary) = await GenerateAsync("problems", new SampleDataOptions(2000));
        var problems = summary.Problems;
        var customers = ReadCsv(Path.Combine(dir, SampleDataFiles.Customers)).Rows;
        var customerIds = customers.Select(c => c[0]).ToHashSet();

        var sharedEmails = customers.Where(c => c[3] != "").GroupBy(c => c[3], StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1).Select(g => (g.Last()[0], g.First()[0], "email", g.Key));
        var sharedPhones = customers.Where(c => c[4] != "").GroupBy(c => c[4])
            .Where(g => g.Count() > 1).Select(g => (g.Last()[0], g.First()[0], "phone", g.Key));
        Assert.Equal(
            sharedEmails.Concat(sharedPhones).Order().ToList(),
            problems.Duplicates.Select(d => (d.CustomerId, d.DuplicateOf, d.SharedField, d.SharedValue)).Order().ToList());
        foreach (var d in problems.Duplicates)
        {
            var copy = customers[(int)d.Line - 2];
            var original = customers[(int)d.DuplicateOfLine - 2];
            Assert.Equal((d.CustomerId, d.DuplicateOf), (copy[0], original[0]));
            Assert.Equal((original[1], original[2], original[5]), (copy[1], copy[2], copy[5]));
        }

        Assert.Equal(
            customers.Select((c, i) => (Id: c[0], Line: i + 2L, Email: c[3])).Where(c => c.Email != "" && !IsValidEmail(c.Email)).ToList(),
            problems.InvalidEmails.Select(e => (e.CustomerId, e.Line, e.Email)).ToList());

        Assert.Equal(
            ReadCsv(Path.Combine(dir, SampleDataFiles.Transactions)).Rows
                .Select((t, i) => (OrderId: t[0], LineNo: int.Parse(t[1], CultureInfo.InvariantCulture), Line: i + 2L, Customer: t[2]))
                .Where(t => !customerIds.Contains(t.Customer)).ToList(),
            problems.OrphanOrderLines.Select(o => (o.OrderId, o.LineNo, o.Line, o.CustomerId)).ToList());

        Assert.All(ReadCsv(Path.Combine(dir, SampleDataFiles.Events)).Rows, e => Assert.Contains(e[1], customerIds));
        Assert.All(ReadCsv(Path.Combine(dir, SampleDataFiles.Consents)).Rows, c => Assert.Contains(c[0], customerIds));

        Assert.InRange(problems.Duplicates.Count, 8, 10);
        Assert.Equal(15, problems.InvalidEmails.Count);
        Assert.InRange(problems.OrphanOrderLines.Count, 8, 20);
    }

    [Fact]
    public async Task WriteAsync_WithProblems_DiffersFromCleanDataOnlyOnTheReportedLines()
    {
        var (clean, _) = await GenerateAsync("clean", new SampleDataOptions(1000, IncludeProblems: false));
        var (dirty, summary) = await GenerateAsync("dirty", new SampleDataOptions(1000));
        var problems = summary.Problems;

        var expected = new Dictionary<string, long[]>
        {
            [SampleDataFiles.Customers] = [.. problems.Duplicates.Select(d => d.Line).Concat(problems.InvalidEmails.Select(e => e.Line)).Order()],
            [SampleDataFiles.Transactions] = [.. problems.OrphanOrderLines.Select(o => o.Line)],
        };
        foreach (var file in SampleDataFiles.All)
        {
            var a = File.ReadAllLines(Path.Combine(clean, file));
            var b = File.ReadAllLines(Path.Combine(dirty, file));
            Assert.Equal(a.Length, b.Length);
            var differing = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).Select(i => i + 1L).ToArray();
            Assert.Equal(expected.GetValueOrDefault(file, []), differing);
        }
    }

    [Fact]
    public async Task WriteAsync_OrderLinesPerCustomer_AboutTwenty()
    {
        var (_, summary) = await GenerateAsync("volume", new SampleDataOptions(2000, IncludeProblems: false));

        Assert.InRange((double)summary.OrderLines / summary.Customers, 15, 25);
        Assert.InRange((double)summary.ReturnLines / summary.OrderLines, 0.01, 0.06);
    }

    [Fact]
    public async Task WriteAsync_Archetypes_HaveTheirDesignedShares()
    {
        var (_, summary) = await GenerateAsync("archetypes", new SampleDataOptions(2000, IncludeProblems: false));
        double Share(string name) => (double)summary.Archetypes.Single(a => a.Archetype == name).Customers / summary.Customers;

        Assert.InRange(Share("one-time buyer"), 0.35, 0.45);
        Assert.InRange(Share("loyal core"), 0.08, 0.12);
        var loyal = summary.Archetypes.Single(a => a.Archetype == "loyal core");
        Assert.True(loyal.OrderLines > summary.OrderLines / 3, "the loyal core buys a large share of the lines");
    }

    [Fact]
    public async Task WriteAsync_Revenue_PeaksInDecemberAboveJuly()
    {
        var (dir, _) = await GenerateAsync("season", new SampleDataOptions(1500, IncludeProblems: false));
        var revenue = new decimal[13];
        foreach (var t in ReadCsv(Path.Combine(dir, SampleDataFiles.Transactions)).Rows)
        {
            var month = int.Parse(t[3].AsSpan(5, 2), CultureInfo.InvariantCulture);
            revenue[month] += decimal.Parse(t[5], CultureInfo.InvariantCulture) * decimal.Parse(t[6], CultureInfo.InvariantCulture)
                - decimal.Parse(t[7], CultureInfo.InvariantCulture);
        }

        Assert.True(revenue[12] > 1.3m * revenue[7], $"December {revenue[12]:N0} against July {revenue[7]:N0}");
    }

    [Fact]
    public async Task WriteAsync_CancelledToken_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => SampleDataGenerator.WriteAsync(Path.Combine(_root, "cancelled"), new SampleDataOptions(100), null, cts.Token));
    }

    private async Task<(string Directory, SampleDataSummary Summary)> GenerateAsync(string name, SampleDataOptions options)
    {
        var dir = Path.Combine(_root, name);
        return (dir, await SampleDataGenerator.WriteAsync(dir, options, null, CancellationToken.None));
    }

    private static (string[] Header, List<string[]> Rows) ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        Assert.True(parser.Read());
        var header = parser.Record!;
        var rows = new List<string[]>();
        while (parser.Read()) rows.Add(parser.Record!);
        return (header, rows);
    }

    private static bool IsValidEmail(string email) =>
        MailAddress.TryCreate(email, out var address) && address.Address == email && address.Host.Contains('.');

    private static bool IsDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsTimestamp(string text, out DateTime value) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    private static bool IsMoney(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
        && text.Length > 3 && text[^3] == '.';
}
