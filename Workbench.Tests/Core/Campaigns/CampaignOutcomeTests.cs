using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Cli;
using Workbench.Core.Campaigns;
using Workbench.Core.Decisioning;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Campaigns;

// Outcomes joined to their sends, on a real SQLite store: 50 customers with e-mail consent, one always-eligible play,
// a campaign with a 30% control group and two variants, run by hand (twice where a test needs an earlier run).
public sealed class CampaignOutcomeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly MovableClock _clock = new(Start);
    private TestStore _store = null!;
    private Campaign _campaign = null!;

    private CampaignRunner Runner => _store.Services.GetRequiredService<CampaignRunner>();
    private CampaignOutcomeService Outcomes => _store.Services.GetRequiredService<CampaignOutcomeService>();

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(_clock);
        var (customers, consents) = CampaignSeeding.Reachable("M", 50, "Mo", digits: 3, timeZone: "Europe/London");
        Assert.Equal(ImportOutcome.Imported, (await _store.ImportAsync(ImportKind.Customers, customers)).Outcome);
        Assert.Equal(ImportOutcome.Imported, (await _store.ImportAsync(ImportKind.Consents, consents)).Outcome);
        var json = CampaignSeeding.GrowPlayFile();
        Assert.True((await _store.Services.GetRequiredService<PlaybookStore>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t.json", "test", default)).Imported);
        var campaigns = _store.Services.GetRequiredService<CampaignStore>();
        var created = (await campaigns.CreateAsync(new Campaign("", "Outcomes", "ann", CampaignStatus.Draft, CampaignStage.Pilot, ["hello"], [], [],
            new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * *", TimeZone: "Europe/London"), 30,
            [new CampaignVariant("a", 1), new CampaignVariant("b", 1)]), "ann", default)).Saved!;
        _campaign = (await campaigns.UpdateAsync(created with { Status = CampaignStatus.Scheduled }, created.Version, "ann", default)).Saved!;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<(long Run, List<CampaignSend> Rows)> RunAsync()
    {
        var run = (await Runner.ClaimManualAsync(_campaign, "ann", default))!.Value;
        Assert.True(await Runner.ExecuteAsync(run, null, default));
        return (run, (await Runner.SendsAsync(run, null, 1000, sentOnly: false, default)).ToList());
    }

    private Task<ImportResult> ImportAsync(string csv, ImportMode mode = ImportMode.AllOrNothing) => _store.ImportAsync(ImportKind.Outcomes, csv, mode);

    [Fact]
    public async Task Outcomes_JoinTheirSendsBySendId_AndALaterFileAddsWithoutErasing()
    {
        var (run, rows) = await RunAsync();
        var sent = rows.Where(r => r.Sent).ToList();
        Assert.True(sent.Count >= 20, $"{sent.Count} sends");
        Assert.Contains(rows, r => r.Arm == ArmAssignment.ControlArm);

        // Every send delivered; the first 10 converted with revenue 20 and margin 5.
        var first = new StringBuilder("send_id,delivered_at,converted_at,revenue,margin\n");
        for (var i = 0; i < sent.Count; i++)
            first.Append(CultureInfo.InvariantCulture, $"{CampaignRunner.SendId(run, sent[i].CustomerId)},2026-12-01T10:05:00Z,{(i < 10 ? "2026-12-02T08:00:00Z,20,5" : ",,")}\n");
        var imported = await ImportAsync(first.ToString());
        Assert.True(imported.Succeeded, imported.Summary + string.Join("\n", imported.Problems));
        Assert.Equal(sent.Count, imported.Inserted);

        // A second file opens the first 5 and gives no delivery: the deliveries stay.
        var second = new StringBuilder("send_id,delivered_at,opened_at\n");
        foreach (var s in sent.Take(5)) second.Append(CultureInfo.InvariantCulture, $"{run}-{s.CustomerId},,2026-12-01T11:00:00Z\n");
        second.Append(CultureInfo.InvariantCulture, $"{run}-{sent[5].CustomerId},2026-12-01T10:05:00Z,\n"); // the same values: unchanged
        var again = await ImportAsync(second.ToString());
        Assert.True(again.Succeeded, again.Summary);
        Assert.Equal((0, 5, 1), (again.Inserted, again.Updated, again.Unchanged));

        var outcomes = await Outcomes.ForRunAsync(run, default);
        Assert.Equal(sent.Count, outcomes.Outcomes);
        Assert.DoesNotContain(outcomes.Arms, a => a.Arm == NotSentReasons.Holdout);
        var control = outcomes.Arms.Single(a => a.Arm == ArmAssignment.ControlArm);
        Assert.Equal((0L, 0L), (control.Sent, control.WithOutcome));
        var treated = outcomes.Arms.Where(a => a.Arm != ArmAssignment.ControlArm).ToList();
        Assert.Equal(sent.Count, treated.Sum(a => a.Delivered));
        Assert.Equal(5, treated.Sum(a => a.Opened));
        Assert.Equal(10, treated.Sum(a => a.Converted));
        Assert.Equal(200, treated.Sum(a => a.Revenue), 9);
        Assert.Equal(50, treated.Sum(a => a.Margin), 9);
        // Per arm: each variant's counts are its own sends' (the first 10 sends by customer id, split by arm).
        foreach (var arm in treated)
            Assert.Equal(sent.Take(10).Count(s => s.Arm == arm.Arm), arm.Converted);
    }

    [Fact]
    public async Task UnknownSends_AreReportedWithLineAndField_AndAllOrNothingWritesNothing()
    {
        var (run, rows) = await RunAsync();
        var sent = rows.First(r => r.Sent);
        var control = rows.First(r => r.Arm == ArmAssignment.ControlArm);
        var csv = "send_id,campaign_id,customer_id,opened_at\n" +
                  $"{run}-{sent.CustomerId},,,2026-12-01T11:00:00Z\n" +
                  $"{run + 50}-{sent.CustomerId},,,2026-12-01T11:00:00Z\n" +   // line 3: no such run
                  $"{run}-{control.CustomerId},,,2026-12-01T11:00:00Z\n" +     // line 4: a control customer got no message
                  $",{_campaign.Id},NOBODY,2026-12-01T11:00:00Z\n" +          // line 5: the campaign never sent to NOBODY
                  $"{run}x{sent.CustomerId},,,2026-12-01T11:00:00Z\n" +        // line 6: not a send id
                  $"{run}-{sent.CustomerId},,{control.CustomerId},2026-12-01T11:00:00Z\n" + // line 7: customer disagrees
                  $",{_campaign.Id},,2026-12-01T11:00:00Z\n";                  // line 8: names no send
        var refused = await ImportAsync(csv);
        Assert.Equal(ImportOutcome.Refused, refused.Outcome);
        Assert.Equal(0, await _store.CountAsync("campaign_outcomes"));
        var problems = refused.Problems.Where(p => p.Severity == ProblemSeverity.Error).ToDictionary(p => p.Line);
        Assert.Equal([3L, 4, 5, 6, 7, 8], problems.Keys.Order());
        Assert.Equal("send_id", problems[3].Column);
        Assert.Contains("in no run's send list", problems[3].Reason);
        Assert.Contains("was not sent (control_group)", problems[4].Reason);
        Assert.Equal("customer_id", problems[5].Column);
        Assert.Contains("sent nothing to customer 'NOBODY'", problems[5].Reason);
        Assert.Contains("is not a send id", problems[6].Reason);
        Assert.Equal("customer_id", problems[7].Column);
        Assert.Contains("names no send", problems[8].Reason);

        // Skip invalid: the one good row is written, every other is reported and none dropped silently.
        var skipped = await ImportAsync(csv, ImportMode.SkipInvalid);
        Assert.True(skipped.Succeeded, skipped.Summary);
        Assert.Equal((1L, 6L), (skipped.Inserted, skipped.Rejected));
        Assert.Equal(1, await _store.CountAsync("campaign_outcomes"));
    }

    [Fact]
    public async Task CampaignAndCustomer_NameTheLatestRunThatSentToTheCustomer()
    {
        var (earlier, _) = await RunAsync();
        _clock.Advance(TimeSpan.FromDays(1));
        var (latest, rows) = await RunAsync();
        Assert.True(latest > earlier);
        var sent = rows.First(r => r.Sent);
        var result = await ImportAsync($"campaign_id,customer_id,clicked_at\n{_campaign.Id},{sent.CustomerId},2026-12-02T12:00:00Z\n");
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal([$"{latest}|{sent.CustomerId}|2026-12-02 12:00:00"],
            await _store.RowsAsync("SELECT run_id, customer_id, clicked_at FROM campaign_outcomes"));
    }
    // simulate outcomes --run: every send gets an outcome row from the simulator, through the importer; the same seed
    // gives the same outcomes (a second import changes nothing), an unknown run is exit 1.
    [Fact]
    public async Task SimulateOutcomes_GivesEverySendAnOutcome_TheSameForTheSameSeed()
    {
        var (run, rows) = await RunAsync();
        var sent = rows.Count(r => r.Sent);
        async Task<(int Exit, string Out, string Err)> Cli(params string[] args)
        {
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            var exit = await CommandLine.RunAsync(args, stdout, stderr);
            SqliteConnection.ClearAllPools();
            return (exit, stdout.ToString(), stderr.ToString());
        }
        var first = await Cli("simulate", "outcomes", "--run", run.ToString(CultureInfo.InvariantCulture), "--seed", "5", "--db", _store.DatabasePath);
        Assert.True(first.Exit == 0, first.Err + first.Out);
        Assert.Contains($"{sent} sends", first.Out);
        Assert.Contains("variant a:", first.Out);
        Assert.Contains($"{sent} inserted", first.Out);
        Assert.Equal(sent, await _store.CountAsync("campaign_outcomes"));
        Assert.Equal(sent, (await Outcomes.ForRunAsync(run, default)).Outcomes);

        var again = await Cli("simulate", "outcomes", "--run", run.ToString(CultureInfo.InvariantCulture), "--seed", "5", "--db", _store.DatabasePath);
        Assert.Contains($"0 inserted, 0 updated, {sent} unchanged", again.Out);
        Assert.Equal(1, (await Cli("simulate", "outcomes", "--run", "999", "--db", _store.DatabasePath)).Exit);
        Assert.Equal(2, (await Cli("simulate", "outcomes", "--db", _store.DatabasePath)).Exit);
    }
    // Outcomes feed the next decisions: before any, the engine uses the stated default (2%, strength 50); after a run whose
    // every send converted, the play's propensity for customers in no campaign segment is, by hand from Propensity's
    // rule (one cell, fewer than 100 sends, so the default prior): (n + 50 × 0.02) / (n + 50). The next run's score of a
    // customer sent in both runs is the first run's × that / 0.02 (value, context weight and lever unchanged).
    [Fact]
    public async Task Outcomes_FeedThePropensityOfTheNextRun()
    {
        var before = await Runner.PlanAsync(_campaign, Start.UtcDateTime, 5, default);
        Assert.True(before.Plays.Propensity.IsEmpty);
        var (first, rows) = await RunAsync();
        var sent = rows.Where(r => r.Sent).ToList();
        var csv = new StringBuilder("send_id,converted_at\n");
        foreach (var s in sent) csv.Append(CultureInfo.InvariantCulture, $"{first}-{s.CustomerId},2026-12-01T12:00:00Z\n");
        Assert.True((await ImportAsync(csv.ToString())).Succeeded);

        var plan = await Runner.PlanAsync(_campaign, Start.UtcDateTime, 5, default);
        var play = plan.Plays.Plays.Single();
        var (propensity, source) = plan.Plays.Propensity.For(play, new HashSet<long>());
        double n = sent.Count;
        Assert.Equal((n + 1) / (n + 50), propensity, 12);
        Assert.StartsWith($"customers in no campaign segment: {sent.Count} of {sent.Count}", source);

        _clock.Advance(TimeSpan.FromDays(1));
        var (_, next) = await RunAsync();
        var again = next.Where(r => r.Sent).ToDictionary(r => r.CustomerId);
        var both = sent.First(s => again.ContainsKey(s.CustomerId));
        Assert.Equal(both.Score!.Value * ((n + 1) / (n + 50)) / 0.02, again[both.CustomerId].Score!.Value, 9);
    }
    // Attribution from order lines, by hand: customers M0xx bought according to xx mod 4, relative to the run's decision
    // moment T (10:00 UTC): 0 → 2 × P1 (10.00, unit cost 4.00) at T + 1 day: revenue 20, margin 12; 1 → P2 at T + 8 days
    // (after the 7-day window); 2 → P1 at T − 1 h (before it) and P2 (20.00, 2.00 off, no unit cost) exactly at T (the
    // start is included): revenue 18, margin 0; 3 → P1 exactly at T + 7 days (the end is excluded). Control customers,
    // who got no send, are counted like the rest; the global holdout is left out. The comparison is the two-proportion
    // test on the counts worked out here.
    [Fact]
    public async Task Results_AttributePurchasesInTheWindow_ToEveryArm_IncludingControl()
    {
        Assert.True((await _store.ImportAsync(ImportKind.Products, "sku,name,category,price,unit_cost\nP1,Pen,Office,10,4\nP2,Mug,Kitchen,20,\n")).Succeeded);
        var (run, rows) = await RunAsync();
        var lines = new StringBuilder("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount\n");
        string At(TimeSpan offset) => (Start + offset).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        for (var i = 0; i < 50; i++)
        {
            var c = $"M{i:D3}";
            switch (i % 4)
            {
                case 0: lines.Append(CultureInfo.InvariantCulture, $"o{i},1,{c},{At(TimeSpan.FromDays(1))},P1,2,10,0\n"); break;
                case 1: lines.Append(CultureInfo.InvariantCulture, $"o{i},1,{c},{At(TimeSpan.FromDays(8))},P2,1,20,0\n"); break;
                case 2:
                    lines.Append(CultureInfo.InvariantCulture, $"o{i},1,{c},{At(TimeSpan.FromHours(-1))},P1,1,10,0\n");
                    lines.Append(CultureInfo.InvariantCulture, $"p{i},1,{c},{At(TimeSpan.Zero)},P2,1,20,2\n");
                    break;
                default: lines.Append(CultureInfo.InvariantCulture, $"o{i},1,{c},{At(TimeSpan.FromDays(7))},P1,1,10,0\n"); break;
            }
        }
        var imported = await _store.ImportAsync(ImportKind.Transactions, lines.ToString());
        Assert.True(imported.Succeeded, string.Join("\n", imported.Problems));

        var results = (await _store.Services.GetRequiredService<CampaignResultService>().ForRunAsync(run, 7, default))!;
        Assert.Equal(Start.UtcDateTime, results.From);
        Assert.Equal(Start.UtcDateTime.AddDays(7), results.To);
        var byArm = rows.Where(r => r.Arm != NotSentReasons.Holdout).GroupBy(r => r.Arm).ToDictionary(g => g.Key, g => g.Select(r => int.Parse(r.CustomerId[1..], CultureInfo.InvariantCulture)).ToList());
        Assert.Equal(byArm.Keys.Order(), results.Arms.Select(a => a.Arm));
        foreach (var arm in results.Arms)
        {
            var ids = byArm[arm.Arm];
            Assert.Equal(ids.Count, arm.Customers);
            Assert.Equal(ids.Count(i => i % 4 is 0 or 2), arm.Converters);
            Assert.Equal(ids.Sum(i => i % 4 == 0 ? 20.0 : i % 4 == 2 ? 18.0 : 0), arm.Revenue, 9);
            Assert.Equal(ids.Sum(i => i % 4 == 0 ? 12.0 : 0), arm.Margin, 9);
        }
        var control = byArm[ArmAssignment.ControlArm];
        var a = byArm["a"];
        var cell = results.Cells.Single(c => c.Segment is null && c.Metric == RunResults.Conversion && c.Variant == "a");
        var expected = Workbench.Core.Experiments.Statistics.TwoSampleTests.Rates(control.Count(i => i % 4 is 0 or 2), control.Count, a.Count(i => i % 4 is 0 or 2), a.Count);
        Assert.Equal((a.Count, control.Count), (cell.N, cell.ControlN));
        Assert.Equal(expected.AbsoluteLift, cell.AbsoluteLift, 12);
        Assert.Equal(expected.PValue!.Value, cell.PValue!.Value, 12);
        Assert.NotNull(cell.AdjustedPValue);
        Assert.Equal(6, results.Cells.Count); // 3 metrics × 2 variants, everyone (the campaign has no segments)

        // CUPED with the pre-period (the 7 days before T): customers 2 mod 4 bought P1 at T − 1 h, so their pre-period
        // conversion x is 1, everyone else's 0; y is the window's conversion (0 and 2 mod 4). θ by hand (Deng et al. 2013,
        // pooled within the two arms): Σ (y − ȳ)(x − x̄) / Σ (x − x̄)², each arm about its own means.
        static (double Sxy, double Sxx) Within(List<int> ids)
        {
            var ys = ids.Select(i => i % 4 is 0 or 2 ? 1.0 : 0.0).ToList();
            var xs = ids.Select(i => i % 4 == 2 ? 1.0 : 0.0).ToList();
            var (my, mx) = (ys.Average(), xs.Average());
            return (ys.Zip(xs).Sum(p => (p.First - my) * (p.Second - mx)), xs.Sum(x => (x - mx) * (x - mx)));
        }
        var (cxy, cxx) = Within(control);
        var (axy, axx) = Within(a);
        Assert.Equal((cxy + axy) / (cxx + axx), cell.Cuped!.Theta, 12);
        Assert.InRange(cell.Cuped.VarianceReduction, 0, 1);

        // Health: planned control 30%, a and b 35% each. The χ² by hand from the arms' counts: Σ (o − e)² / e, e = n × share.
        Assert.Equal(new Dictionary<string, double> { ["a"] = 0.35, ["b"] = 0.35, ["control"] = 0.30 }, results.PlannedShares);
        double total = byArm.Values.Sum(v => v.Count);
        var chi = new[] { ("a", 0.35), ("b", 0.35), ("control", 0.30) }.Sum(p => Math.Pow(byArm[p.Item1].Count - total * p.Item2, 2) / (total * p.Item2));
        Assert.Equal(chi, results.SampleRatio!.ChiSquare, 9);
        Assert.Equal(2, results.SampleRatio.Df);
        Assert.False(results.SampleRatio.Mismatch);

        // With 2 degrees of freedom the χ² tail is closed-form: p = e^(−χ²/2).
        Assert.Equal(Math.Exp(-chi / 2), results.SampleRatio.PValue, 12);

        // A broken assignment (every control row lost): flagged. By hand: χ² = 0.30 n + Σ over a, b of (o − 0.35 n)² / (0.35 n)
        // with n the variants' customers, p = e^(−χ²/2) < 0.001.
        await _store.RowsAsync($"DELETE FROM campaign_sends WHERE run_id = {run} AND arm = 'control'");
        var broken = (await _store.Services.GetRequiredService<CampaignResultService>().ForRunAsync(run, 7, default))!;
        double variants = byArm["a"].Count + byArm["b"].Count;
        var brokenChi = 0.30 * variants + new[] { "a", "b" }.Sum(v => Math.Pow(byArm[v].Count - 0.35 * variants, 2) / (0.35 * variants));
        Assert.Equal(brokenChi, broken.SampleRatio!.ChiSquare, 9);
        Assert.True(Math.Exp(-brokenChi / 2) < 0.001, $"χ² {brokenChi}");
        Assert.True(broken.SampleRatio.Mismatch);
    }
    // The baseline a forecast's power figure starts from: the latest run with results, once its 7-day window is over. Run 1's
    // control customers with an even number bought on day 1; run 2 is started later and counts as the latest once closed.
    [Fact]
    public async Task ControlBaseline_IsTheLatestClosedRunsControlConversion_NoneWhileTheWindowIsOpen()
    {
        var results = _store.Services.GetRequiredService<CampaignResultService>();
        Assert.Null(await results.LatestControlBaselineAsync(_campaign.Id, default));
        Assert.True((await _store.ImportAsync(ImportKind.Products, "sku,name,category,price,unit_cost\nP1,Pen,Office,10,4\n")).Succeeded);
        var (first, rows) = await RunAsync();
        var control = rows.Where(r => r.Arm == ArmAssignment.ControlArm).Select(r => int.Parse(r.CustomerId[1..], CultureInfo.InvariantCulture)).ToList();
        var lines = new StringBuilder("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount\n");
        foreach (var i in control.Where(i => i % 2 == 0))
            lines.Append(CultureInfo.InvariantCulture, $"o{i},1,M{i:D3},{(Start + TimeSpan.FromDays(1)).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},P1,1,10,0\n");
        Assert.True((await _store.ImportAsync(ImportKind.Transactions, lines.ToString())).Succeeded);

        Assert.Null(await results.LatestControlBaselineAsync(_campaign.Id, default));
        _clock.Advance(TimeSpan.FromDays(7));
        var baseline = await results.LatestControlBaselineAsync(_campaign.Id, default);
        Assert.Equal(new ControlBaseline(first, 7, control.Count, control.Count(i => i % 2 == 0)), baseline);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var (second, _) = await RunAsync();
        Assert.Equal(first, (await results.LatestControlBaselineAsync(_campaign.Id, default))!.RunId);
        _clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(new ControlBaseline(second, 7, control.Count, 0), await results.LatestControlBaselineAsync(_campaign.Id, default));
    }

    // Scaling the winner: every variant-b customer bought in the window and no variant-a customer did, so b is best in
    // (practically) every draw: b gets 10% + 80% × 1 = 90% and a keeps the 10% floor. Accepting makes those the campaign's
    // shares in a new version (and an audit entry); rejecting leaves the campaign and is audited.
    [Fact]
    public async Task Recommendation_ScalesTheWinner_AcceptChangesTheCampaign_RejectIsAudited()
    {
        Assert.True((await _store.ImportAsync(ImportKind.Products, "sku,name,category,price\nP1,Pen,Office,10\n")).Succeeded);
        var (run, rows) = await RunAsync();
        var lines = new StringBuilder("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\n");
        foreach (var r in rows.Where(r => r.Arm == "b"))
            lines.Append(CultureInfo.InvariantCulture, $"o-{r.CustomerId},1,{r.CustomerId},2026-12-02T10:00:00Z,P1,1,10\n");
        Assert.True((await _store.ImportAsync(ImportKind.Transactions, lines.ToString())).Succeeded);
        var results = (await _store.Services.GetRequiredService<CampaignResultService>().ForRunAsync(run, 7, default))!;
        var campaign = (await _store.Services.GetRequiredService<CampaignStore>().GetAsync(_campaign.Id, default))!;
        var recommendation = ScalingRecommendations.Recommend(results, campaign)!;
        var shares = recommendation.Arms.ToDictionary(a => a.Variant, a => a.Share);
        Assert.Equal(0.9, shares["b"], 3);
        Assert.Equal(0.1, shares["a"], 3);
        Assert.Equal(0.5, recommendation.Current["a"], 12);
        Assert.Equal(recommendation.Arms, ScalingRecommendations.Recommend(results, campaign)!.Arms); // seeded by the run

        var scaling = _store.Services.GetRequiredService<ScalingRecommendations>();
        await scaling.RejectAsync(_campaign.Id, recommendation, "ann", default);
        Assert.Equal(campaign.Version, (await _store.Services.GetRequiredService<CampaignStore>().GetAsync(_campaign.Id, default))!.Version);
        var accepted = await scaling.AcceptAsync(_campaign.Id, recommendation, "ann", default);
        Assert.Equal(campaign.Version + 1, accepted.Saved!.Version);
        Assert.Equal([("a", 10.0), ("b", 90.0)], accepted.Saved.Variants.Select(v => (v.Name, v.Share)));
        var audit = await _store.RowsAsync("SELECT action, changes FROM audit_entries WHERE entity_type = 'campaign' AND changes LIKE '%allocation recommendation%' ORDER BY id");
        Assert.Equal(2, audit.Count);
        Assert.Contains($"rejected from run {run}", audit[0]);
        Assert.Contains($"accepted from run {run}: a 10.0%, b 90.0%", audit[1]);
    }
}
