using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;
using Workbench.Core.Data;
using Workbench.Core.Decisioning;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Core.Segments;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Campaigns;

// Campaign runs on a real SQLite store of 600 generated customers (seeded): about 80% with e-mail consent, half with SMS
// consent, one in ten with an invalid e-mail, preferred channels mixed, and a third in a saved segment "Gold". Two plays
// that are always eligible where consent allows (a scheduled trigger every minute); the default contact policy.
public sealed class CampaignRunTests : IAsyncLifetime
{
    // Tuesday 1 December 2026, 10:00 UTC: inside every customer's waking hours (all in London).
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private const int Customers = 600;
    private readonly MovableClock _clock = new(Start);
    private TestStore _store = null!;
    private long _gold;

    private CampaignRunner Runner => _store.Services.GetRequiredService<CampaignRunner>();
    private CampaignStore Campaigns => _store.Services.GetRequiredService<CampaignStore>();

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(_clock);
        var random = new Random(41);
        var customers = new StringBuilder("customer_id,first_name,email,phone,preferred_channel,time_zone\n");
        var consents = new StringBuilder("customer_id,channel,status,updated_at,source\n");
        for (var i = 0; i < Customers; i++)
        {
            var id = $"K{i:D4}";
            var email = random.NextDouble() < 0.1 ? "not-an-address" : $"k{i}@example.com";
            customers.Append(CultureInfo.InvariantCulture, $"{id},Kim,{email},+44 7700 9{i % 100000:D5},{(random.NextDouble() < 0.3 ? "sms" : "email")},Europe/London\n");
            if (random.NextDouble() < 0.8) consents.Append(CultureInfo.InvariantCulture, $"{id},email,granted,2026-01-01T00:00:00Z,web\n");
            if (random.NextDouble() < 0.5) consents.Append(CultureInfo.InvariantCulture, $"{id},sms,granted,2026-01-01T00:00:00Z,web\n");
        }
        Assert.True((await _store.ImportAsync(ImportKind.Customers, customers.ToString())).Outcome == ImportOutcome.Imported);
        Assert.True((await _store.ImportAsync(ImportKind.Consents, consents.ToString())).Outcome == ImportOutcome.Imported);

        var always = new ScheduledTrigger("* * * * *", 1);
        var hello = PlaybookFixture.Play("hello") with { UseCaseId = "uc-1", Trigger = always, ExpectedValue = 2, CooldownDays = 0 };
        var other = PlaybookFixture.Play("other") with { UseCaseId = "uc-1", Trigger = always, ExpectedValue = 1, CooldownDays = 0 };
        var json = PlaybookJson.Export(new PlaybookFile(1, [new UseCase("uc-1", "Grow", Objective.Grow, "any", "orders", "t", UseCaseStatus.Active)], [hello, other]));
        var imported = await _store.Services.GetRequiredService<PlaybookStore>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t.json", "test", default);
        Assert.True(imported.Imported, string.Join("\n", imported.Problems));

        var saved = await _store.Services.GetRequiredService<SegmentService>().SaveAsync(
            new SegmentDraft(null, "Gold", "", """{"op":"and","conditions":[]}""", 0), "tester");
        _gold = saved.Id!.Value;
        await using var connection = new SqliteConnection(_store.Location.ConnectionString);
        await connection.OpenAsync();
        await using var members = connection.CreateCommand();
        members.CommandText = $"DELETE FROM segment_members WHERE segment_id = {_gold}; INSERT INTO segment_members (segment_id, customer_id) "
            + $"SELECT {_gold}, customer_id FROM customers WHERE CAST(substr(customer_id, 2) AS INTEGER) % 3 = 0";
        await members.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<Campaign> ScheduledAsync(string name, CampaignSchedule schedule, IReadOnlyList<long>? segments = null, double control = 20)
    {
        var draft = new Campaign("", name, "ann", CampaignStatus.Draft, CampaignStage.Pilot, ["hello", "other"], segments ?? [], [], schedule, control,
            [new CampaignVariant("a", 1), new CampaignVariant("b", 1)]);
        var created = (await Campaigns.CreateAsync(draft, "ann", default)).Saved!;
        var result = await Campaigns.UpdateAsync(created with { Status = CampaignStatus.Scheduled }, created.Version, "ann", default);
        Assert.True(result.Saved is not null, string.Join("; ", result.Problems.Select(p => p.Message)));
        return result.Saved!;
    }

    private static CampaignSchedule Daily => new(ScheduleKind.Recurring, Cron: "0 9 * * *", TimeZone: "Europe/London");

    private async Task<List<CampaignSend>> SendsAsync(long run)
    {
        var all = new List<CampaignSend>();
        string? after = null;
        while (true)
        {
            var page = await Runner.SendsAsync(run, after, 97, sentOnly: false, default);
            all.AddRange(page);
            if (page.Count < 97) return all;
            after = page[^1].CustomerId;
        }
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new SqliteConnection(_store.Location.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ManualRun_WritesOneRowPerTargetedCustomer_HonouringConsentHoldoutAndControl_AndEqualsTheDryRun()
    {
        var campaign = await ScheduledAsync("Gold weekly", Daily, [_gold]);
        var dry = await Runner.DryRunAsync(campaign, Start.UtcDateTime, null, default);
        var run = (await Runner.ClaimManualAsync(campaign, "ann", default))!.Value;
        Assert.True(await Runner.ExecuteAsync(run, null, default));

        var view = (await Runner.GetAsync(run, default))!;
        Assert.Equal(CampaignRunStatus.Succeeded, view.Status);
        var rows = await SendsAsync(run);
        // Targeted: the Gold segment only (every third customer).
        Assert.Equal(Customers / 3, rows.Count);
        Assert.All(rows, r => Assert.Equal(0, int.Parse(r.CustomerId[1..], CultureInfo.InvariantCulture) % 3));
        Assert.Equal((long)rows.Count, view.Targeted);
        Assert.Equal(rows.Count(r => r.Sent), (int)view.Sent);
        Assert.True(view.Sent > 80, $"only {view.Sent} sent");

        // Consent: every send is on a channel the customer granted, and never to an invalid e-mail.
        var granted = new HashSet<(string, string)>();
        await using (var connection = new SqliteConnection(_store.Location.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT c.customer_id, c.channel FROM consents c JOIN customers u ON u.customer_id = c.customer_id "
                + "WHERE c.status = 'granted' AND (c.channel <> 'email' OR u.email <> 'not-an-address')";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) granted.Add((r.GetString(0), r.GetString(1)));
        }
        Assert.All(rows.Where(r => r.Sent), r => Assert.Contains((r.CustomerId, r.Channel!), granted));
        // The global holdout (5% by default) and the control arm receive nothing; the arm is the stable hash's.
        Assert.All(rows, r => Assert.Equal(ArmAssignment.InGlobalHoldout(r.CustomerId, 0.05) ? NotSentReasons.Holdout : campaign.ArmOf(r.CustomerId), r.Arm));
        Assert.All(rows.Where(r => r.Arm is NotSentReasons.Holdout or ArmAssignment.ControlArm), r => Assert.False(r.Sent));
        Assert.All(rows.Where(r => r.Sent), r => Assert.Equal(r.Arm, r.Variant));
        Assert.All(rows.Where(r => r.Sent), r => Assert.Equal($"{r.PlayId}@v1/{r.Channel}/{r.Variant}", r.ContentRef));
        // A control customer's row keeps what the engine would have sent.
        Assert.Contains(rows, r => r.Arm == ArmAssignment.ControlArm && r.PlayId == "hello" && r.Reason == NotSentReasons.Control);
        // Each send is in the contact history, so the caps of the next decisions see it.
        Assert.Equal(view.Sent, await ScalarAsync<long>("SELECT COUNT(*) FROM contact_history"));

        // The dry run made the same decisions.
        var counted = await Runner.CountsAsync(run, default);
        Assert.Equal(Describe(dry), Describe(counted));
        Assert.Equal(Customers, dry.Customers);
    }

    private static string Describe(CampaignRunCounts c) => string.Join("\n",
        $"targeted {c.Targeted} sent {c.Sent}",
        "arms " + string.Join(",", c.ByArm.Select(kv => $"{kv.Key}={kv.Value}")),
        "variants " + string.Join(",", c.ByVariant.Select(kv => $"{kv.Key}={kv.Value}")),
        "channels " + string.Join(",", c.ByChannel.Select(kv => $"{kv.Key}={kv.Value}")),
        "reasons " + string.Join(",", c.ByReason.Select(kv => $"{kv.Key}={kv.Value}")),
        "plays " + string.Join(",", c.ByPlay.Select(kv => $"{kv.Key}={kv.Value}")),
        "pressure " + string.Join(",", c.Pressure.Select(p => $"{p.SegmentId}/{p.Channel}:{p.Sent}/{p.Stopped}/{p.LostScore:0.######}")));

    [Fact]
    public async Task Scheduler_TwoInstancesOnOneStore_RunEachDueOccurrenceOnce()
    {
        var campaign = await ScheduledAsync("Daily", Daily);
        _clock.Advance(TimeSpan.FromDays(1)); // 2 December 10:00 UTC: the 09:00 run of 2 December is due.
        var a = _store.Services.GetRequiredService<CampaignScheduler>();
        var otherRunner = ActivatorUtilities.CreateInstance<CampaignRunner>(_store.Services);
        otherRunner.Instance = "second-instance";
        var b = ActivatorUtilities.CreateInstance<CampaignScheduler>(_store.Services, otherRunner);

        var ticks = await Task.WhenAll(Task.Run(() => a.TickAsync(default)), Task.Run(() => b.TickAsync(default)));

        Assert.Equal(1, ticks.Sum(t => t.Ran.Count));
        var run = Assert.Single(await Runner.RunsAsync(campaign.Id, 10, default));
        Assert.Equal(new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc), run.Occurrence);
        Assert.Equal(CampaignRunStatus.Succeeded, run.Status);
        Assert.Equal(Customers, run.Targeted);
        Assert.Equal(run.Sent, await ScalarAsync<long>($"SELECT COUNT(*) FROM campaign_sends WHERE run_id = {run.Id} AND sent = 1"));
        // A second tick at the same moment runs nothing more; the next run is tomorrow's.
        Assert.Empty((await a.TickAsync(default)).Ran);
        var next = (await Campaigns.ListAsync(new CampaignFilter(), default)).Items.Single().NextRunAt;
        Assert.Equal(new DateTime(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc), next);
    }

    [Fact]
    public async Task Scheduler_AfterDowntime_RunsTheMissedOccurrencesOnce_AsTheLatest()
    {
        var campaign = await ScheduledAsync("Daily", Daily);
        _clock.Advance(TimeSpan.FromDays(4)); // 5 December 10:00: the runs of 2, 3, 4 and 5 December fell due while down.

        var tick = await _store.Services.GetRequiredService<CampaignScheduler>().TickAsync(default);

        var run = Assert.Single(await Runner.RunsAsync(campaign.Id, 10, default));
        Assert.Equal([run.Id], tick.Ran);
        Assert.Equal((new DateTime(2026, 12, 5, 9, 0, 0, DateTimeKind.Utc), 3), (run.Occurrence, run.Missed));
        Assert.Equal(new DateTime(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc), (await Campaigns.ListAsync(new CampaignFilter(), default)).Items.Single().NextRunAt);
    }

    [Fact]
    public async Task Scheduler_AOneOffCampaign_RunsOnceAndIsFinished()
    {
        var campaign = await ScheduledAsync("Launch", new CampaignSchedule(ScheduleKind.OneOff, At: new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc)));
        var scheduler = _store.Services.GetRequiredService<CampaignScheduler>();
        Assert.Empty((await scheduler.TickAsync(default)).Ran);
        _clock.Advance(TimeSpan.FromHours(3));

        Assert.Single((await scheduler.TickAsync(default)).Ran);
        Assert.Empty((await scheduler.TickAsync(default)).Ran);
        Assert.Equal(CampaignStatus.Finished, (await Campaigns.GetAsync(campaign.Id, default))!.Status);
        Assert.Contains(await Campaigns.HistoryAsync(campaign.Id, default), v => v.ChangedBy == CampaignScheduler.User && v.Summary == "status");
    }

    [Fact]
    public async Task AKilledRun_IsResumedByAnotherInstance_WithoutLosingOrDuplicatingASend()
    {
        var campaign = await ScheduledAsync("Daily", Daily);
        var reference = await Runner.DryRunAsync(campaign, Start.UtcDateTime, null, default);
        var first = ActivatorUtilities.CreateInstance<CampaignRunner>(_store.Services);
        first.Instance = "killed";
        first.BatchSize = 50;
        var run = (await first.ClaimManualAsync(campaign, "ann", default))!.Value;
        using var kill = new CancellationTokenSource();
        var batches = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.ExecuteAsync(run, new SyncProgress(_ =>
        {
            if (++batches == 3) kill.Cancel();
        }), kill.Token));
        Assert.Equal(150, await ScalarAsync<long>($"SELECT COUNT(*) FROM campaign_sends WHERE run_id = {run}"));

        // Within the lease nobody takes it over; after it, the second instance continues after the cursor.
        var second = ActivatorUtilities.CreateInstance<CampaignRunner>(_store.Services);
        second.Instance = "resumer";
        second.BatchSize = 70;
        Assert.Null(await second.ClaimStaleAsync(default));
        _clock.Advance(CampaignRunner.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(run, await second.ClaimStaleAsync(default));
        Assert.True(await second.ExecuteAsync(run, null, default));
        // The killed instance cannot write into the run it lost.
        Assert.False(await first.ExecuteAsync(run, null, default));

        var view = (await Runner.GetAsync(run, default))!;
        Assert.Equal((CampaignRunStatus.Succeeded, (long)Customers, (long)Customers), (view.Status, view.Processed, view.Targeted));
        Assert.Equal(Customers, await ScalarAsync<long>($"SELECT COUNT(DISTINCT customer_id) FROM campaign_sends WHERE run_id = {run}"));
        Assert.Equal(view.Sent, await ScalarAsync<long>("SELECT COUNT(*) FROM contact_history"));
        Assert.Equal(Describe(reference), Describe(await Runner.CountsAsync(run, default)));
    }

    [Fact]
    public async Task RepeatedRuns_NoCustomerIsEverOverACap_AndTheHoldoutNeverReceivesASend()
    {
        var campaign = await ScheduledAsync("Daily", Daily, control: 10);
        for (var day = 0; day < 6; day++)
        {
            var run = (await Runner.ClaimManualAsync(campaign, "ann", default))!.Value;
            Assert.True(await Runner.ExecuteAsync(run, null, default));
            _clock.Advance(TimeSpan.FromDays(1));
        }
        var caps = DecisioningOptions.Default.Caps;
        var contacts = new List<(string Customer, DateTime At, string Channel)>();
        await using (var connection = new SqliteConnection(_store.Location.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT customer_id, at, channel FROM contact_history";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) contacts.Add((r.GetString(0), StoreTime.Parse(r.GetString(1)), r.GetString(2)));
        }
        Assert.True(contacts.Count > 500, $"{contacts.Count} contacts");
        // At every contact, the rolling 7 days up to it hold no more than each cap.
        foreach (var (customer, at, _) in contacts)
        {
            var window = contacts.Where(c => c.Customer == customer && c.At > at - caps.Window && c.At <= at).ToList();
            Assert.True(window.Count <= caps.Total, $"{customer}: {window.Count} messages in 7 days up to {at}");
            foreach (var (channel, cap) in caps.PerChannel)
                Assert.True(window.Count(c => c.Channel == channel) <= cap, $"{customer}: over the {channel} cap");
        }
        Assert.DoesNotContain(contacts, c => ArmAssignment.InGlobalHoldout(c.Customer, 0.05));
        // Some customers reached the caps, so the runs did stop messages.
        Assert.True(await ScalarAsync<long>("SELECT COUNT(*) FROM campaign_sends WHERE reason = 'capped'") > 0);
    }

    [Fact]
    public async Task GlobalHoldout_IsAuditedRangeCheckedAndWarns_AndARaiseKeepsEveryoneHeldOut()
    {
        var holdout = _store.Services.GetRequiredService<GlobalHoldout>();
        Assert.Equal(5, (await holdout.GetAsync(default)).Percent);
        Assert.Contains("1–15%", (await holdout.SetAsync(20, "ann", default)).Problem);
        Assert.Contains("1–15%", (await holdout.SetAsync(0.5, "ann", default)).Problem);
        var raised = await holdout.SetAsync(8, "ann", default);
        Assert.Contains("nobody held out is reshuffled", raised.Warning);
        Assert.Equal((8.0, "ann"), ((await holdout.GetAsync(default)).Percent, (await holdout.GetAsync(default)).UpdatedBy));
        var audit = await _store.Audit.QueryAsync(new Workbench.Core.Audit.AuditFilter(EntityType: Workbench.Core.Audit.AuditEntities.Setting), 0, 10);
        Assert.Equal(1, audit.Total);

        var ids = Enumerable.Range(0, 20_000).Select(i => $"H{i}").ToList();
        var at5 = ids.Where(id => GlobalHoldout.IsHeldOut(id, 5)).ToList();
        var at8 = ids.Where(id => GlobalHoldout.IsHeldOut(id, 8)).ToHashSet();
        Assert.All(at5, id => Assert.Contains(id, at8));
        // 5% of 20,000 = 1,000, binomial sd √(20,000 × 0.05 × 0.95) ≈ 30.8: within 4 sd.
        Assert.InRange(at5.Count, 1000 - 124, 1000 + 124);

        // A run after the change uses the new share.
        var campaign = await ScheduledAsync("Daily", Daily);
        var run = (await Runner.ClaimManualAsync(campaign, "ann", default))!.Value;
        Assert.Equal(8, (await Runner.GetAsync(run, default))!.HoldoutPercent);
    }

    private sealed class SyncProgress(Action<CampaignRunProgress> report) : IProgress<CampaignRunProgress>
    {
        public void Report(CampaignRunProgress value) => report(value);
    }
}
