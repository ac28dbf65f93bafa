using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Cli;
using Workbench.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Cli;

public sealed class PreviewVerbTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private string _plays = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        await QualityFixture.LoadAsync(_store);
        var play = new Play("thanks", "Thanks with add-ons", "uc-1", "tester", PlayStatus.Active, 1,
            new ScheduledTrigger("0 * * * *", 2), new Audience([], SegmentMatch.Any, null, [], null), Offer.NoIncentive,
            new RecommendationSlot(RecommendationRule.BoughtTogether, 3),
            [new ChannelContent("email", [new CreativeVariant("standard", Subject: "Hi {{ first_name }}",
                Html: "<p>{{ first_name }}</p>{% for p in recommended_products %}<li>{{ p.name }}</li>{% endfor %}")])],
            ["email"], 50, 1, 7, null);
        // The fixture writes three lines around the import (no job ran for them): the basket-model job counts them now, as
        // the daily run would.
        var rebuilt = await _store.Services.GetRequiredService<Workbench.Core.Jobs.JobPipeline>().RunNowAsync([BasketModelJob.JobName], "test", default);
        Assert.True(rebuilt.Succeeded, rebuilt.Problem);
        _plays = Path.Combine(_store.Directory, "plays.json");
        await File.WriteAllTextAsync(_plays, PlaybookJson.Export(new PlaybookFile(1, [], [play])));
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
    public async Task Preview_RendersTheMessage_WithTheVerdictAndTheRecommendations()
    {
        var (exit, stdout, stderr) = await RunAsync("preview", "--play", "thanks", "--customer", "Q2", "--plays", _plays, "--at", "2026-11-24T12:00:00Z", "--db", _store.DatabasePath);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("Q2", root.GetProperty("customerId").GetString());
        // QualityFixture's baskets with a positive quantity, by order: O1 {P1, P2}, O2..O5 {P1}, OX {P1}, OY {NOPE},
        // OZ {P1}: N = 8, n(P1) = 7, n(P2) = 1, n(P1 P2) = 1. Q2 bought P1 (O2): P2 with support 1/8, confidence 1/7,
        // lift (1/7) / (1/8) = 8/7.
        var rec = root.GetProperty("recommendations").EnumerateArray().Single();
        Assert.Equal("P2", rec.GetProperty("sku").GetString());
        Assert.Equal(0.125, rec.GetProperty("support").GetDouble(), 12);
        Assert.Equal(1.0 / 7, rec.GetProperty("confidence").GetDouble(), 12);
        Assert.Equal(8.0 / 7, rec.GetProperty("lift").GetDouble(), 12);
        var email = root.GetProperty("channels")[0];
        Assert.True(email.GetProperty("verdict").GetProperty("eligible").GetBoolean());
        Assert.Equal("<p>Ann</p><li>Sofa</li>", email.GetProperty("message").GetProperty("html").GetString());
        Assert.Equal("Hi Ann", email.GetProperty("message").GetProperty("subject").GetString());
        Assert.Contains("recommendations from the stored basket model built", stderr);
        Assert.Contains("from 8 orders", stderr);
    }

    [Fact]
    public async Task Preview_ACustomerWhoDeniedEmail_IsNotEligible_AndTheReasonSaysSo()
    {
        var (exit, stdout, _) = await RunAsync("preview", "--play", "thanks", "--customer", "Q4", "--plays", _plays, "--db", _store.DatabasePath);
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var verdict = json.RootElement.GetProperty("channels")[0].GetProperty("verdict");
        Assert.False(verdict.GetProperty("eligible").GetBoolean());
        Assert.Equal("consent", verdict.GetProperty("firstBlocking").GetProperty("kind").GetString());
        Assert.StartsWith("denied", verdict.GetProperty("firstBlocking").GetProperty("customerValue").GetString());
    }

    [Fact]
    public async Task Preview_UnknownPlayOrCustomer_ExitsOne()
    {
        var play = await RunAsync("preview", "--play", "nope", "--customer", "Q2", "--plays", _plays, "--db", _store.DatabasePath);
        Assert.Equal((1, "no play 'nope' in the playbook"), (play.Exit, play.Stderr.Trim()));
        var customer = await RunAsync("preview", "--play", "thanks", "--customer", "NOBODY", "--plays", _plays, "--db", _store.DatabasePath);
        Assert.Equal((1, "customer 'NOBODY' not found"), (customer.Exit, customer.Stderr.Trim()));
    }

    [Fact]
    public async Task Preview_WithoutAFile_ReadsThePlayFromTheStore()
    {
        // The store's playbook as the sample data's start leaves it: the starter library for the store's categories.
        var previews = _store.Services.GetRequiredService<PlaybookPreviewService>();
        Assert.NotNull(await _store.Services.GetRequiredService<PlaybookStore>().SeedAsync(await previews.StarterAsync(default), "test", default));
        var (exit, stdout, stderr) = await RunAsync("preview", "--play", "post-purchase-grocery", "--customer", "Q1", "--channel", "email", "--db", _store.DatabasePath);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var email = json.RootElement.GetProperty("channels").EnumerateArray().Single();
        Assert.Equal("email", email.GetProperty("channel").GetString());
        Assert.Contains("Gold member", email.GetProperty("message").GetProperty("html").GetString());
        Assert.True(email.GetProperty("verdict").GetProperty("reasons").GetArrayLength() >= 8);
        var furniture = await RunAsync("preview", "--play", "post-purchase-garden", "--customer", "Q1", "--db", _store.DatabasePath);
        Assert.Equal((1, "no play 'post-purchase-garden' in the playbook"), (furniture.Exit, furniture.Stderr.Trim())); // the store sells no Garden products
    }
}
