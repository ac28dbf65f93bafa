using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Workbench.Core.Import.SampleData;
using Workbench.Core.Analytics.Clv;
using Xunit.Abstractions;

namespace Workbench.Tests.Core.Import;

// The generator's purchase model against the model the workbench fits: histories read back from transactions.csv
// as the importer would store them, with the calibration conventions of RepeatHistory.Of.
public sealed class SampleWorldTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "workbench-world-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    // 20,000 customers (about 19,000 buyers) generate and fit in seconds. Four seeds (11 to 14) gave r 0.97–1.01, α 0.99–1.01,
    // a 0.99–1.05 and b 1.00–1.12 times the truth: a and b are seen only through the repeat buyers who stopped, so they
    // vary most. The tolerances are about three times that spread: r and α within 10%, a within 15%, b within 20%.
    [Fact]
    public async Task GeneratedBuyers_FitBgNbd_RecoversTheTrueParameters()
    {
        var options = new SampleDataOptions(20_000, Seed: 11, IncludeProblems: false);
        var histories = (await PurchaseDaysAsync(options)).Values
            .Select(d => RepeatHistory.Of(d.Count - 1, d.Min, d.Max, options.EndDate))
            .GroupBy(h => h).Select(g => g.Key with { Weight = g.Count() }).ToList();

        var fit = BgNbd.Fit(histories);

        var truth = new BgNbdParameters(options.Model.R, options.Model.Alpha, options.Model.A, options.Model.B);
        Assert.Equal(new BgNbdParameters(0.3, 1.5, 0.6, 3.0), truth);
        output.WriteLine($"fitted {fit.Parameters}, truth {truth}");
        Assert.InRange(fit.Parameters.R, truth.R * 0.90, truth.R * 1.10);
        Assert.InRange(fit.Parameters.Alpha, truth.Alpha * 0.90, truth.Alpha * 1.10);
        Assert.InRange(fit.Parameters.A, truth.A * 0.85, truth.A * 1.15);
        Assert.InRange(fit.Parameters.B, truth.B * 0.80, truth.B * 1.20);
        Assert.True(fit.LogLikelihood >= BgNbd.LogLikelihood(truth, histories), "the fit is at least as likely as the truth");
    }

    [Fact]
    public async Task GeneratedBuyers_AreAcquiredThroughoutTheTwoYears()
    {
        var options = new SampleDataOptions(3_000, IncludeProblems: false);
        var firsts = (await PurchaseDaysAsync(options)).Values.Select(d => d.Min).ToList();
        var start = options.EndDate.AddYears(-2).AddDays(1);

        Assert.True(firsts.Min() >= start && firsts.Max() <= options.EndDate);
        // Not all present on day one: the first month holds a few percent, and every quarter of the eight gets its share.
        Assert.InRange(firsts.Count(d => d < start.AddDays(30)) / (double)firsts.Count, 0.01, 0.08);
        for (var quarter = 0; quarter < 8; quarter++)
        {
            var from = start.AddMonths(3 * quarter);
            var share = firsts.Count(d => d >= from && d < from.AddMonths(3)) / (double)firsts.Count;
            Assert.True(share is > 0.08 and < 0.2, $"quarter from {from}: {share:P1} of the first purchases");
        }
    }

    private async Task<Dictionary<string, (DateOnly Min, DateOnly Max, int Count)>> PurchaseDaysAsync(SampleDataOptions options)
    {
        var dir = Path.Combine(_root, options.Seed.ToString(CultureInfo.InvariantCulture));
        await SampleDataGenerator.WriteAsync(dir, options, null, CancellationToken.None);
        var seen = new HashSet<(string, DateOnly)>();
        var days = new Dictionary<string, (DateOnly Min, DateOnly Max, int Count)>();
        using var reader = new StreamReader(Path.Combine(dir, SampleDataFiles.Transactions));
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        Assert.True(parser.Read());
        while (parser.Read())
        {
            var row = parser.Record!;
            if (int.Parse(row[5], CultureInfo.InvariantCulture) <= 0) continue;
            var day = DateOnly.ParseExact(row[3].AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (!seen.Add((row[2], day))) continue;
            days[row[2]] = days.TryGetValue(row[2], out var d)
                ? (day < d.Min ? day : d.Min, day > d.Max ? day : d.Max, d.Count + 1)
                : (day, day, 1);
        }
        return days;
    }
}
