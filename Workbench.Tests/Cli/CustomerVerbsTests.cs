using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workbench.Cli;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Cli;

public sealed class CustomerVerbsTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        await QualityFixture.LoadAsync(_store);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(args, stdout, stderr);
        SqliteConnection.ClearAllPools();
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Customer_KnownId_PrintsTheProfileJson()
    {
        var (exit, stdout, _) = await RunAsync("customer", "Q1", "--db", _store.DatabasePath);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("Q1", json.RootElement.GetProperty("customerId").GetString());
        // Q1: 456.00 gross, 3.50 returned, 452.50 net (QualityFixture), plus the planted lines OY (1 × 3.50) and
        // OZ (1 × −2.00, a negative price): 454.00.
        Assert.Equal(454.0, json.RootElement.GetProperty("kpis").GetProperty("netRevenue").GetDouble(), 9);
        Assert.Equal("granted", json.RootElement.GetProperty("consents")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Customer_UnknownId_ExitsOneAndSaysSo()
    {
        var (exit, stdout, stderr) = await RunAsync("customer", "NOPE", "--db", _store.DatabasePath);

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains("customer 'NOPE' not found", stderr);
    }

    [Fact]
    public async Task Quality_PrintsTheFiguresJson()
    {
        var (exit, stdout, _) = await RunAsync("quality", "--db", _store.DatabasePath);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!, c => c.GetProperty("offenders").GetInt64());
        Assert.Equal(1, checks["orphan-line-customer"]);
        Assert.Equal(1, checks["invalid-email"]);
        Assert.True(json.RootElement.GetProperty("score").GetDouble() < 100);
    }

    [Fact]
    public void Help_NamesTheNewVerbs()
    {
        Assert.Contains("customer <id> [--db <sqlite file>]", CommandLine.HelpText);
        Assert.Contains("quality [--db <sqlite file>]", CommandLine.HelpText);
        Assert.Contains("bench customers", CommandLine.HelpText);
    }
}
