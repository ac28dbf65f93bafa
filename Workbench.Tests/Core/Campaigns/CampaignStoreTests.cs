using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Audit;
using Workbench.Core.Campaigns;
using Workbench.Core.Decisioning;
using Workbench.Core.Playbook;
using Workbench.Core.Segments;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Campaigns;

// Campaigns in a real SQLite store: validated against the stored playbook (p-active active, p-draft a draft, p-retired
// retired) and the saved segments; versions, audit, optimistic concurrency and the next run time.
public sealed class CampaignStoreTests : IAsyncLifetime
{
    // Tuesday 1 December 2026, 10:00 UTC (10:00 in London, 05:00 in New York).
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private TestStore _store = null!;
    private long _segment;

    private CampaignStore Campaigns => _store.Services.GetRequiredService<CampaignStore>();

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(new FixedClock(Now));
        var plays = _store.Services.GetRequiredService<PlaybookStore>();
        var p = PlaybookFixture.Play();
        var file = new PlaybookFile(PlaybookFile.CurrentFormat,
            [new UseCase("uc-1", "Welcome", Objective.Welcome, "first purchase", "second purchases", "tester", UseCaseStatus.Active)],
            [p with { Id = "p-active" }, p with { Id = "p-draft", Status = PlayStatus.Draft }, p with { Id = "p-retired", Status = PlayStatus.Retired }]);
        var imported = await plays.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(PlaybookJson.Export(file))), "plays.json", "tester", default);
        Assert.True(imported.Imported, string.Join("\n", imported.Problems));
        var saved = await _store.Services.GetRequiredService<SegmentService>().SaveAsync(
            new SegmentDraft(null, "Everyone", "", """{"op":"and","conditions":[]}""", 0), "tester");
        Assert.True(saved.Saved, saved.Problem);
        _segment = saved.Id!.Value;
    }

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    private Campaign Draft(string name = "Weekly garden") => new("", name, "", CampaignStatus.Draft, CampaignStage.Pilot, ["p-active"], [_segment], ["email"],
        new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * MON", TimeZone: "Europe/London"), 10, [new CampaignVariant("a", 1), new CampaignVariant("b", 1)]);

    [Fact]
    public async Task CreateAsync_ADraftWithAnIdFromItsName_VersionedAndAudited()
    {
        var result = await Campaigns.CreateAsync(Draft(), "ann", default);
        Assert.True(result.Saved is not null, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Equal(("weekly-garden", 1, "ann"), (result.Saved.Id, result.Saved.Version, result.Saved.Owner));
        Assert.Equal("weekly-garden-2", (await Campaigns.CreateAsync(Draft(), "ann", default)).Saved!.Id);

        var back = await Campaigns.GetAsync("weekly-garden", default);
        Assert.Equal(CampaignJson.Serialize(result.Saved), CampaignJson.Serialize(back!));
        var page = await Campaigns.ListAsync(new CampaignFilter(), default);
        Assert.Equal(2, page.Total);
        // A draft has no next run.
        Assert.All(page.Items, i => Assert.Null(i.NextRunAt));
        Assert.Equal("created", Assert.Single(await Campaigns.HistoryAsync("weekly-garden", default)).Summary);
        var audit = await _store.Audit.QueryAsync(new AuditFilter(EntityType: AuditEntities.Campaign), 0, 50);
        Assert.Equal(2, audit.Total);

        var scheduled = await Campaigns.CreateAsync(Draft() with { Status = CampaignStatus.Scheduled }, "ann", default);
        Assert.Equal("status", Assert.Single(scheduled.Problems).Field);
    }

    [Fact]
    public async Task CreateAsync_RefusesWhatCannotRun_NamingTheField()
    {
        async Task<IReadOnlyList<string>> Errors(Campaign c) =>
            (await Campaigns.CreateAsync(c, "ann", default)).Problems.Where(p => p.Severity == Severity.Error).Select(p => p.Field).ToList();

        Assert.Equal(["playIds"], await Errors(Draft() with { PlayIds = [] }));
        Assert.Equal(["playIds"], await Errors(Draft() with { PlayIds = ["p-active", "nope"] }));
        Assert.Equal(["playIds"], await Errors(Draft() with { PlayIds = ["p-retired"] }));
        Assert.Equal(["segmentIds"], await Errors(Draft() with { SegmentIds = [_segment + 99] }));
        Assert.Equal(["channels"], await Errors(Draft() with { Channels = ["fax"] }));
        Assert.Equal(["schedule.cron"], await Errors(Draft() with { Schedule = new CampaignSchedule(ScheduleKind.Recurring, Cron: "every monday", TimeZone: "Europe/London") }));
        Assert.Equal(["schedule.timeZone"], await Errors(Draft() with { Schedule = new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * MON", TimeZone: "Mars/Olympus") }));
        Assert.Equal(["schedule.at"], await Errors(Draft() with { Schedule = new CampaignSchedule(ScheduleKind.OneOff) }));
        Assert.Equal(["controlPercent"], await Errors(Draft() with { ControlPercent = 50.5 }));
        Assert.Equal(["variants"], await Errors(Draft() with { Variants = [] }));
        Assert.Equal(["variants"], await Errors(Draft() with { Variants = [new CampaignVariant("a", 1), new CampaignVariant("a", 2)] }));
        Assert.Equal(["variants[0].name"], await Errors(Draft() with { Variants = [new CampaignVariant("control", 1)] }));
        Assert.Equal(["variants[1].share"], await Errors(Draft() with { Variants = [new CampaignVariant("a", 1), new CampaignVariant("b", 0)] }));
        Assert.Equal(["id"], await Errors(Draft() with { Id = "has space" }));
        Assert.Empty((await Campaigns.ListAsync(new CampaignFilter(), default)).Items);

        // A draft may name a play still in draft (a warning); scheduling it is refused until the play is active.
        var draft = await Campaigns.CreateAsync(Draft() with { PlayIds = ["p-draft"], ControlPercent = 0 }, "ann", default);
        Assert.NotNull(draft.Saved);
        Assert.Equal(["playIds", "controlPercent"], draft.Problems.Select(p => p.Field));
        Assert.All(draft.Problems, p => Assert.Equal(Severity.Warning, p.Severity));
        var scheduling = await Campaigns.UpdateAsync(draft.Saved with { Status = CampaignStatus.Scheduled }, 1, "ann", default);
        Assert.Null(scheduling.Saved);
        Assert.Contains("activate it before scheduling", Assert.Single(scheduling.Problems).Message);
    }

    [Fact]
    public async Task UpdateAsync_Scheduled_NextRunFromTheCronInItsZone_StatusRules_Conflicts()
    {
        var created = (await Campaigns.CreateAsync(Draft(), "ann", default)).Saved!;
        var scheduled = await Campaigns.UpdateAsync(created with { Status = CampaignStatus.Scheduled }, 1, "bob", default);
        Assert.Equal(2, scheduled.Saved!.Version);
        // "0 9 * * MON" in London after Tuesday 1 December 10:00 UTC: Monday 7 December 09:00 GMT = 09:00 UTC.
        var row = Assert.Single((await Campaigns.ListAsync(new CampaignFilter(Status: CampaignStatus.Scheduled), default)).Items);
        Assert.Equal(new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc), row.NextRunAt);

        // New York: 09:00 EST = 14:00 UTC, the same Monday.
        var newYork = await Campaigns.UpdateAsync(scheduled.Saved with { Schedule = scheduled.Saved.Schedule with { TimeZone = "America/New_York" } }, 2, "bob", default);
        Assert.Equal(new DateTime(2026, 12, 7, 14, 0, 0, DateTimeKind.Utc), (await Campaigns.ListAsync(new CampaignFilter(), default)).Items[0].NextRunAt);

        // Someone holding version 2 is refused with the current version; nothing is written.
        var stale = await Campaigns.UpdateAsync(scheduled.Saved with { Name = "Mine" }, 2, "cy", default);
        Assert.Equal((true, 3), (stale.Conflict, stale.CurrentVersion));
        // A scheduled campaign cannot go back to draft; paused, it has no next run; finished stays finished.
        Assert.Equal("status", Assert.Single((await Campaigns.UpdateAsync(newYork.Saved! with { Status = CampaignStatus.Draft }, 3, "bob", default)).Problems).Field);
        var paused = await Campaigns.UpdateAsync(newYork.Saved! with { Status = CampaignStatus.Paused }, 3, "bob", default);
        Assert.Null((await Campaigns.ListAsync(new CampaignFilter(), default)).Items[0].NextRunAt);
        var finished = await Campaigns.UpdateAsync(paused.Saved! with { Status = CampaignStatus.Finished }, 4, "bob", default);
        Assert.Equal("status", Assert.Single((await Campaigns.UpdateAsync(finished.Saved! with { Status = CampaignStatus.Scheduled }, 5, "bob", default)).Problems).Field);

        var history = await Campaigns.HistoryAsync(created.Id, default);
        Assert.Equal([5, 4, 3, 2, 1], history.Select(h => h.Version));
        Assert.Equal(["status", "status", "schedule", "status", "created"], history.Select(h => h.Summary));
        var audit = await _store.Audit.QueryAsync(new AuditFilter(EntityType: AuditEntities.Campaign), 0, 50);
        Assert.Equal(5, audit.Total);
        var tz = audit.Items.Single(i => i.Changes.Any(c => c.Field == "schedule"));
        Assert.Contains("Europe/London", tz.Changes.Single().From);
        Assert.Contains("America/New_York", tz.Changes.Single().To);
    }

    [Fact]
    public void Schedules_OneOffAndCron_AcrossTheClockChange()
    {
        // London springs forward on Sunday 28 March 2027: 01:30 does not exist that day; Cronos runs it at 02:00 BST
        // (01:00 UTC), the first instant after the gap. The day before, 01:30 GMT = 01:30 UTC.
        var daily = new CampaignSchedule(ScheduleKind.Recurring, Cron: "30 1 * * *", TimeZone: "Europe/London");
        Assert.Equal(
            [new DateTime(2027, 3, 27, 1, 30, 0, DateTimeKind.Utc), new DateTime(2027, 3, 28, 1, 0, 0, DateTimeKind.Utc), new DateTime(2027, 3, 29, 0, 30, 0, DateTimeKind.Utc)],
            CampaignSchedules.Occurrences(daily, new DateTime(2027, 3, 27, 0, 0, 0, DateTimeKind.Utc), new DateTime(2027, 3, 29, 12, 0, 0, DateTimeKind.Utc)));
        var once = new CampaignSchedule(ScheduleKind.OneOff, At: new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc));
        // From exclusive, to inclusive.
        Assert.Single(CampaignSchedules.Occurrences(once, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc)));
        Assert.Empty(CampaignSchedules.Occurrences(once, new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 9, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Null(CampaignSchedules.Next(once, new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc)));
    }

    // The arm is ArmAssignment's: the same customer in the same arm on every call; the control share near its percent.
    [Fact]
    public void ArmOf_StableForACustomer_ControlNearItsShare()
    {
        var c = Draft() with { Id = "weekly-garden" };
        var arms = Enumerable.Range(0, 20_000).Select(i => c.ArmOf($"C{i:D7}")).ToList();
        Assert.Equal(arms, Enumerable.Range(0, 20_000).Select(i => c.ArmOf($"C{i:D7}")));
        // 10% of 20,000 = 2,000, binomial sd √(20,000 · 0.1 · 0.9) = 42.4: within 4 sd.
        Assert.InRange(arms.Count(a => a == ArmAssignment.ControlArm), 2_000 - 170, 2_000 + 170);
        Assert.Equal(["a", "b", "control"], arms.Distinct().Order());
    }

    // /campaigns/new and /campaigns/calendar are pages: no campaign may take those ids.
    [Fact]
    public async Task CreateAsync_AnIdThatNamesAPage_IsRefused_AndANameLikeOneGetsAnotherId()
    {
        Assert.Equal("calendar-campaign", (await Campaigns.CreateAsync(Draft("Calendar"), "ann", default)).Saved!.Id);
        Assert.Equal("new-campaign", (await Campaigns.CreateAsync(Draft("New"), "ann", default)).Saved!.Id);
        var refused = await Campaigns.CreateAsync(Draft() with { Id = "calendar" }, "ann", default);
        Assert.Contains("names a page", Assert.Single(refused.Problems, p => p.Field == "id").Message);
    }

    // The calendar: a scheduled campaign's occurrences in the window (from exclusive, to inclusive), none for a draft or a
    // paused one, in time order; past runs in the window only.
    [Fact]
    public void Calendar_ComingRunsOfScheduledCampaigns_AndPastRunsOfTheWeek()
    {
        var weekly = Draft("Weekly") with { Id = "w", Status = CampaignStatus.Scheduled };
        var daily = Draft("Daily") with { Id = "d", Status = CampaignStatus.Scheduled, Schedule = new CampaignSchedule(ScheduleKind.Recurring, Cron: "30 7 * * *", TimeZone: "UTC") };
        var paused = daily with { Id = "p", Name = "Paused", Status = CampaignStatus.Paused };
        var from = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);

        var coming = CampaignCalendar.Coming([weekly, daily, paused], from, from.AddDays(7));

        // Daily 07:30 UTC on 2–8 December; weekly Monday 09:00 London = 09:00 UTC on 7 December.
        Assert.Equal(8, coming.Count);
        Assert.Equal(7, coming.Count(e => e.CampaignId == "d"));
        Assert.Equal(new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc), Assert.Single(coming, e => e.CampaignId == "w").At);
        Assert.Equal(coming.OrderBy(e => e.At).Select(e => e.At), coming.Select(e => e.At));
        Assert.DoesNotContain(coming, e => e.CampaignId == "p");

        CampaignRunView Run(long id, DateTime at, int missed) => new(id, "d", at, false, 1, at, 5, CampaignRunStatus.Succeeded, "x", at, 10, 10, 8, missed, "scheduler", at, at, null)
            { Campaign = daily };
        var past = CampaignCalendar.Past([Run(2, from.AddDays(-1), 3), Run(1, from.AddDays(-9), 0)], new Dictionary<string, Campaign> { ["d"] = daily }, from.AddDays(-7));
        Assert.Equal((2L, 3, "Daily"), (Assert.Single(past).Run!.Id, past[0].Run!.Missed, past[0].CampaignName));
    }
}
