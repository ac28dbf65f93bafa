using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Cli;
using Workbench.Core.Playbook;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Cli;

public sealed class PlaysVerbTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(args, stdout, stderr);
        SqliteConnection.ClearAllPools();
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string PathOf(string name) => Path.Combine(_store.Directory, name);

    [Fact]
    public async Task ImportThenExport_ExportThenImportThenExport_IsByteIdentical()
    {
        var starter = StarterLibrary.Generate(new StarterInputs(["Garden", "Home"], ["Wales", "Greater London"], new DateOnly(2026, 12, 1)));
        await File.WriteAllTextAsync(PathOf("starter.json"), PlaybookJson.Export(starter), new UTF8Encoding(false));

        var import = await RunAsync("plays", "import", PathOf("starter.json"), "--db", _store.DatabasePath);
        var first = await RunAsync("plays", "export", PathOf("first.json"), "--db", _store.DatabasePath);
        var again = await RunAsync("plays", "import", PathOf("first.json"), "--db", _store.DatabasePath);
        var second = await RunAsync("plays", "export", PathOf("second.json"), "--db", _store.DatabasePath);

        Assert.True(import.Exit == 0, import.Stderr);
        Assert.Equal($"{PathOf("starter.json")}: {starter.UseCases.Count} use case(s) created or changed, {starter.Plays.Count} play(s) created, 0 updated", import.Stdout.Trim());
        Assert.Equal((0, 0, 0), (first.Exit, again.Exit, second.Exit));
        Assert.EndsWith(": 0 use case(s) created or changed, 0 play(s) created, 0 updated", again.Stdout.Trim());
        var firstBytes = await File.ReadAllBytesAsync(PathOf("first.json"));
        Assert.Equal(firstBytes, await File.ReadAllBytesAsync(PathOf("second.json")));
        Assert.Equal(await File.ReadAllBytesAsync(PathOf("starter.json")), firstBytes);
    }

    [Fact]
    public async Task Import_AFileWithProblems_ExitsOne_WritesNothing_AndNamesEachPlace()
    {
        var useCase = new UseCase("uc-1", "Welcome", Objective.Welcome, "first purchase", "repeat", "t", UseCaseStatus.Active);
        var bad = PlaybookFixture.Play("p1") with { Offer = new Offer(OfferKind.PercentOff, "10% off", 10) };
        await File.WriteAllTextAsync(PathOf("bad.json"), PlaybookJson.Export(new PlaybookFile(1, [useCase], [PlaybookFixture.Play("p0"), bad])));

        var (exit, _, stderr) = await RunAsync("plays", "import", PathOf("bad.json"), "--db", _store.DatabasePath);
        var missing = await RunAsync("plays", "import", PathOf("nope.json"), "--db", _store.DatabasePath);

        Assert.Equal(1, exit);
        var lines = stderr.Trim().Split('\n');
        Assert.StartsWith("bad.json: $.plays[1].offer.validTo (play 'p1' at line ", lines[0]);
        Assert.EndsWith("an offer needs a validity: give the last day it may be used", lines[0]);
        Assert.Equal($"{PathOf("bad.json")}: nothing imported (1 problem(s))", lines[^1]);
        Assert.True(await _store.Services.GetRequiredService<PlaybookStore>().IsEmptyAsync(default));
        Assert.Equal((1, $"{PathOf("nope.json")}: file not found"), (missing.Exit, missing.Stderr.Trim()));
    }

    [Fact]
    public async Task Plays_WithoutAnActionOrFile_IsAUsageError()
    {
        Assert.Equal(2, (await RunAsync("plays", "import")).Exit);
        Assert.Equal(2, (await RunAsync("plays", "list", "x.json")).Exit);
    }
}
