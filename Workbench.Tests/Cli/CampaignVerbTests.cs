using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Cli;
using Workbench.Core.Campaigns;
using Workbench.Core.Playbook;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Cli;

public sealed class CampaignVerbTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        var file = PlaybookJson.Export(new PlaybookFile(1,
            [new UseCase("uc-1", "Welcome", Objective.Welcome, "first purchase", "repeat", "t", UseCaseStatus.Active)], [PlaybookFixture.Play("hello")]));
        var imported = await _store.Services.GetRequiredService<PlaybookStore>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(file)), "f.json", "t", default);
        Assert.True(imported.Imported, string.Join("\n", imported.Problems));
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
    public async Task List_EveryCampaignNextRunFirst_FilteredByStatus_AndABadStatusIsAUsageError()
    {
        var store = _store.Services.GetRequiredService<CampaignStore>();
        Campaign Make(string id, string name) => new(id, name, "", CampaignStatus.Draft, CampaignStage.Pilot, ["hello"], [], [],
            new CampaignSchedule(ScheduleKind.OneOff, At: new DateTime(2099, 1, 4, 9, 0, 0, DateTimeKind.Utc)), 5, [new CampaignVariant("standard", 1)]);
        var draft = (await store.CreateAsync(Make("b-draft", "A draft"), "t", default)).Saved!;
        var later = (await store.CreateAsync(Make("a-later", "Later\tone"), "t", default)).Saved!;
        Assert.NotNull((await store.UpdateAsync(later with { Status = CampaignStatus.Scheduled }, 1, "t", default)).Saved);

        var (exit, stdout, stderr) = await RunAsync("campaign", "list", "--db", _store.DatabasePath);
        Assert.True(exit == 0, stderr);
        var lines = stdout.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("id\tname\tstatus\tstage\tnext_run_utc\tplays\tcontrol_percent\tvariants\tversion", lines[0]);
        Assert.Equal(["a-later\tLater one\tscheduled\tpilot\t2099-01-04 09:00\t1\t5\tstandard\t2", $"{draft.Id}\tA draft\tdraft\tpilot\t-\t1\t5\tstandard\t1"], lines[1..]);
        Assert.Contains("2 campaign(s)", stderr);

        var scheduled = await RunAsync("campaign", "list", "--status", "scheduled", "--db", _store.DatabasePath);
        Assert.Equal(2, scheduled.Stdout.Trim().Split('\n').Length);
        var bad = await RunAsync("campaign", "list", "--status", "running", "--db", _store.DatabasePath);
        Assert.Equal(2, bad.Exit);
        Assert.Contains("--status is draft, scheduled, paused or finished", bad.Stderr);
    }

    // campaign run on a store of three customers. The verb decides at the real clock (quiet hours may stop a message), so
    // only what does not depend on the hour is asserted: who is targeted, what is written, what is refused.
    [Fact]
    public async Task Run_DryRunWritesNothing_ARunWritesTheOutbox_AndADraftIsRefused()
    {
        await _store.ImportAsync(Workbench.Core.Import.ImportKind.Customers, "customer_id,first_name,email\nV1,Vi,v1@example.com\nV2,Vo,v2@example.com\nV3,Va,v3@example.com\n");
        var store = _store.Services.GetRequiredService<CampaignStore>();
        var draft = (await store.CreateAsync(new Campaign("weekly", "Weekly", "", CampaignStatus.Draft, CampaignStage.Pilot, ["hello"], [], [],
            new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * MON", TimeZone: "Europe/London"), 0, [new CampaignVariant("a", 1)]), "t", default)).Saved!;

        var refused = await RunAsync("campaign", "run", "weekly", "--db", _store.DatabasePath);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("is draft", refused.Stderr);

        var dry = await RunAsync("campaign", "run", "weekly", "--dry-run", "--db", _store.DatabasePath);
        Assert.Equal(0, dry.Exit);
        Assert.Contains("dry run of weekly (nothing written)", dry.Stdout);
        Assert.Contains("customers\t3", dry.Stdout);
        Assert.Contains("targeted\t3", dry.Stdout);
        await using (var connection = new SqliteConnection(_store.Location.ConnectionString))
        {
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM campaign_runs";
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        }

        Assert.NotNull((await store.UpdateAsync(draft with { Status = CampaignStatus.Scheduled }, draft.Version, "t", default)).Saved);
        var run = await RunAsync("campaign", "run", "weekly", "--db", _store.DatabasePath);
        Assert.Equal(0, run.Exit);
        Assert.Matches(@"^run \d+ of weekly", run.Stdout);
        Assert.Contains("targeted\t3", run.Stdout);
        var runs = await _store.Services.GetRequiredService<CampaignRunner>().RunsAsync("weekly", 10, default);
        Assert.Equal((CampaignRunStatus.Succeeded, 3L), (Assert.Single(runs).Status, runs[0].Targeted));
        Assert.Equal(2, (await RunAsync("campaign", "run", "--db", _store.DatabasePath)).Exit);
        Assert.Equal(1, (await RunAsync("campaign", "run", "nope", "--db", _store.DatabasePath)).Exit);
    }
}
