using System.Text.Json;
using Workbench.Cli;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Cli;

public sealed class AnalyticsVerbTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        await _store.ImportSampleAsync(ImportKind.Customers, ImportKind.Products, ImportKind.Transactions);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task ClvFit_PrintsTheLiteraturesParameterNamesAndWeeklyTracking()
    {
        var stdout = new StringWriter();

        var exit = await CommandLine.RunAsync(["clv", "fit", "--calibration-end", "2026-08-22", "--holdout-end", "2026-11-22", "--db", _store.DatabasePath],
            stdout, new StringWriter());

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        foreach (var name in new[] { "r", "alpha", "a", "b", "logLikelihood" }) Assert.True(root.GetProperty("bgnbd").GetProperty(name).GetDouble() != 0, name);
        foreach (var name in new[] { "p", "q", "gamma", "logLikelihood" }) Assert.True(root.GetProperty("gammaGamma").GetProperty(name).GetDouble() != 0, name);
        var weeks = root.GetProperty("weeks").EnumerateArray().ToList();
        Assert.Equal(1, weeks[0].GetProperty("week").GetInt32());
        Assert.Equal(weeks.Sum(w => w.GetProperty("actual").GetInt32()), weeks[^1].GetProperty("actualCumulative").GetInt32());
        Assert.Equal("2026-08-22", root.GetProperty("calibrationEnd").GetString());
    }

    [Fact]
    public async Task ClvFit_BadDate_IsAUsageError()
    {
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(["clv", "fit", "--calibration-end", "22/08/2026", "--db", _store.DatabasePath], new StringWriter(), stderr);
        Assert.Equal(2, exit);
        Assert.Contains("--calibration-end takes a date as YYYY-MM-DD", stderr.ToString());
    }

    [Fact]
    public async Task FeaturesRebuild_PrintsCountsAndTheFittedModel()
    {
        var stdout = new StringWriter();

        var exit = await CommandLine.RunAsync(["features", "rebuild", "--db", _store.DatabasePath], stdout, new StringWriter());

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(await _store.CountAsync("customers"), json.RootElement.GetProperty("customers").GetInt64());
        Assert.True(json.RootElement.GetProperty("bgnbd").GetProperty("r").GetDouble() > 0);
    }
}
