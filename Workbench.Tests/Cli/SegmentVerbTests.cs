using Workbench.Cli;
using Workbench.Core.Segments;
using Workbench.Tests.Core.Segments;

namespace Workbench.Tests.Cli;

public sealed class SegmentVerbTests : IAsyncLifetime
{
    private readonly HandMadeStore _data = new();

    public Task InitializeAsync() => _data.InitializeAsync();

    public Task DisposeAsync() => _data.DisposeAsync();

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await CommandLine.RunAsync([.. args, "--db", _data.Store.DatabasePath], stdout, stderr);
        return (code, stdout.ToString().Trim(), stderr.ToString().Trim());
    }

    [Fact]
    public async Task Count_RuleFile_PrintsTheCountAsJson()
    {
        var rule = Path.Combine(_data.Store.Directory, "rule.json");
        await File.WriteAllTextAsync(rule, """{"op":"or","conditions":[{"field":"region","operator":"eq","value":"Wales"},{"field":"consent","operator":"is","channel":"email","value":"granted"}]}""");

        var (code, stdout, _) = await RunAsync("segment", "count", "--rule", rule);

        Assert.Equal(0, code);
        Assert.Equal("""{"count":2}""", stdout);
    }

    [Fact]
    public async Task Count_InvalidRule_ExitsOneAndNamesTheProblem()
    {
        var rule = Path.Combine(_data.Store.Directory, "bad.json");
        await File.WriteAllTextAsync(rule, """{"conditions":[{"field":"recency_days","operator":"lte"}]}""");

        var (code, stdout, stderr) = await RunAsync("segment", "count", "--rule", rule);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal($"{rule}: condition 1 of group 1: 'recency_days' needs a number", stderr);
    }

    [Fact]
    public async Task ExportAndRefresh_SavedSegment_WritesTheMembersAndRecordsTheRefresh()
    {
        var service = SegmentServiceTests.Create(_data.Store, TimeProvider.System);
        var id = (await service.SaveAsync(new SegmentDraft(null, "L", "", """{"conditions":[{"field":"region","operator":"eq","value":"London"}]}""", 0), "ann")).Id!.Value;
        var file = Path.Combine(_data.Store.Directory, "members.csv");

        var export = await RunAsync("segment", "export", id.ToString(), "--out", file);
        var refresh = await RunAsync("segment", "refresh");

        Assert.Equal(0, export.Code);
        Assert.Equal(["C1", "C4"], (await File.ReadAllLinesAsync(file)).Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal(0, refresh.Code);
        Assert.StartsWith("1 segment(s) refreshed", refresh.Out);
        // One point from the save, one from the refresh.
        Assert.Equal(2, await _data.Store.CountAsync("segment_size_history"));
        // The refresh ran as the pipeline's job, recorded in job_runs.
        Assert.Equal(["segment-memberships|command line|Succeeded|1"],
            await _data.Store.RowsAsync("SELECT job || '|' || requested_by || '|' || status || '|' || rows FROM job_runs"));
        Assert.Equal(1, (await RunAsync("segment", "export", "999", "--out", file)).Code);
    }
}
