using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;
using Workbench.Core.Experiments.Statistics;
using Workbench.Core.Import;
using Workbench.Core.Learning;
using Workbench.Core.Playbook;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Learning;

// The weekly meeting and the decisions log on a real SQLite store: 80 customers with e-mail consent, one play (use case
// objective Grow), a pilot campaign with a 30% control group and two variants with themes, run by hand on Tuesday
// 2026-12-01 (the week of Monday 2026-11-30) and once more an hour later; purchases in the window so p-values differ.
public sealed class SquadMeetingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Monday = new(2026, 11, 30);
    private readonly MovableClock _clock = new(Start);
    private TestStore _store = null!;
    private Campaign _campaign = null!;

    private SquadMeeting Meeting => _store.Services.GetRequiredService<SquadMeeting>();
    private DecisionLog Log => _store.Services.GetRequiredService<DecisionLog>();
    private CampaignStore Campaigns => _store.Services.GetRequiredService<CampaignStore>();

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(_clock);
        var (customers, consents) = CampaignSeeding.Reachable("M", 80, "Mo", digits: 3, timeZone: "Europe/London");
        var lines = new StringBuilder("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\n");
        for (var i = 0; i < 80; i += 3) lines.Append(CultureInfo.InvariantCulture, $"o{i},1,M{i:D3},2026-12-03T12:00:00Z,P1,1,{10 + i}\n");
        Assert.True((await _store.ImportAsync(ImportKind.Customers, customers)).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Consents, consents)).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Products, "sku,name,category,price,unit_cost\nP1,Pen,Office,10,4\n")).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Transactions, lines.ToString())).Succeeded);
        var json = CampaignSeeding.GrowPlayFile();
        Assert.True((await _store.Services.GetRequiredService<PlaybookStore>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t.json", "test", default)).Imported);
        var created = (await Campaigns.CreateAsync(new Campaign("", "Meeting", "ann", CampaignStatus.Draft, CampaignStage.Pilot, ["hello"], [], [],
            new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * *", TimeZone: "Europe/London"), 30,
            [new CampaignVariant("a", 1, Theme: "Warm"), new CampaignVariant("b", 1, Theme: "Bold")],
            Description: "A warm tone converts better than a bold one"), "ann", default)).Saved!;
        _campaign = (await Campaigns.UpdateAsync(created with { Status = CampaignStatus.Scheduled }, created.Version, "ann", default)).Saved!;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<long> RunAsync()
    {
        var runner = _store.Services.GetRequiredService<CampaignRunner>();
        var run = (await runner.ClaimManualAsync((await Campaigns.GetAsync(_campaign.Id, default))!, "ann", default))!.Value;
        Assert.True(await runner.ExecuteAsync(run, null, default));
        return run;
    }

    // Week of 2026-11-30: both runs started (their window runs to 2026-12-08, so they end the week after). Portfolio
    // scope: one family over both runs' cells, so the adjusted p-values are BH (or Holm) over the concatenated raw
    // p-values; experiment scope: each run's own family, the run page's figures.
    [Fact]
    public async Task TheWeeksExperiments_AreTagged_AndCorrectedInTheChosenScope()
    {
        Assert.Null(await Meeting.LatestWeekAsync(default));
        var first = await RunAsync();
        Assert.Equal(Monday, await Meeting.LatestWeekAsync(default)); // the window ends next week, which is not here yet
        _clock.Advance(TimeSpan.FromHours(1));
        var second = await RunAsync();
        var week = await Meeting.WeekAsync(Monday, Correction.BenjaminiHochberg, CorrectionScope.Portfolio, default);
        Assert.Equal(new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc), week.From);
        Assert.Equal(week.From.AddDays(7), week.To);
        Assert.Equal([first, second], week.Experiments.Select(e => e.Run.Id));
        Assert.All(week.Experiments, e => Assert.Equal([AgendaTag.Started], e.Tags));

        var raw = week.Experiments.SelectMany(e => e.Results.Cells).Select(c => c.PValue).ToList();
        Assert.Equal(12, raw.Count(p => p is not null)); // 2 runs × 3 metrics × 2 variants
        Assert.Equal(MultipleTesting.Adjust(raw, Correction.BenjaminiHochberg), week.Experiments.SelectMany(e => e.Cells).Select(c => c.AdjustedPValue));
        var holm = await Meeting.WeekAsync(Monday, Correction.Holm, CorrectionScope.Portfolio, default);
        Assert.Equal(MultipleTesting.Adjust(raw, Correction.Holm), holm.Experiments.SelectMany(e => e.Cells).Select(c => c.AdjustedPValue));
        // The page reads the agenda once and re-corrects it for another choice: the same figures.
        var agenda = await Meeting.AgendaAsync(Monday, default);
        Assert.Equal(MultipleTesting.Adjust(raw, Correction.Holm),
            SquadMeeting.Correct(agenda, Correction.Holm, CorrectionScope.Portfolio).Experiments.SelectMany(e => e.Cells).Select(c => c.AdjustedPValue));
        var perExperiment = await Meeting.WeekAsync(Monday, Correction.BenjaminiHochberg, CorrectionScope.Experiment, default);
        foreach (var e in perExperiment.Experiments)
            Assert.Equal(e.Results.Cells.Select(c => c.AdjustedPValue), e.Cells.Select(c => c.AdjustedPValue));
        Assert.Equal(12, week.Hypotheses);
        Assert.Equal(week.Experiments.SelectMany(e => e.Cells).Count(c => c.AdjustedPValue < 0.05), week.Significant);

        // The next week: both windows end in it (2026-12-08 10:00 and 11:00). A campaign saved in it moves them too.
        var next = Monday.AddDays(7);
        Assert.All((await Meeting.WeekAsync(next, Correction.BenjaminiHochberg, CorrectionScope.Portfolio, default)).Experiments,
            e => Assert.Equal([AgendaTag.Ended], e.Tags));
        _clock.Now = new DateTimeOffset(2026, 12, 9, 8, 0, 0, TimeSpan.Zero);
        var current = (await Campaigns.GetAsync(_campaign.Id, default))!;
        Assert.NotNull((await Campaigns.UpdateAsync(current with { Description = "edited" }, current.Version, "ann", default)).Saved);
        Assert.All((await Meeting.WeekAsync(next, Correction.BenjaminiHochberg, CorrectionScope.Portfolio, default)).Experiments,
            e => Assert.Equal([AgendaTag.Ended, AgendaTag.Moved], e.Tags));
        Assert.Equal(next, Meeting.ThisWeek);
        Assert.Equal(next, await Meeting.LatestWeekAsync(default)); // the windows' end, in this week
        // The week before the runs has nothing on its agenda; any day of a week means its Monday.
        Assert.Empty((await Meeting.WeekAsync(Monday.AddDays(-7), Correction.BenjaminiHochberg, CorrectionScope.Portfolio, default)).Experiments);
        Assert.Equal(Monday, (await Meeting.WeekAsync(Monday.AddDays(3), Correction.None, CorrectionScope.Metric, default)).Monday);
    }

    [Fact]
    public async Task ADecision_IsDraftedFromTheExperiment_RecordedAppliedAudited_AndFoundInTheLibrary()
    {
        var run = await RunAsync();
        var experiment = (await Meeting.WeekAsync(Monday, Correction.BenjaminiHochberg, CorrectionScope.Portfolio, default)).Experiments.Single();
        var plays = (await _store.Services.GetRequiredService<PlaybookStore>().ListAsync(new PlayFilter(), default)).Items.ToDictionary(p => p.Id);
        var draft = DecisionLog.DraftFor(experiment, new Dictionary<long, string>(), plays, new DateOnly(2026, 12, 1));
        Assert.Equal((_campaign.Id, (long?)run, experiment.Recommendation.Decision, "ann"), (draft.CampaignId, draft.RunId, draft.Decision, draft.Owner));
        Assert.Equal("A warm tone converts better than a bold one", draft.Hypothesis);
        Assert.StartsWith(experiment.Recommendation.Headline, draft.Result, StringComparison.Ordinal);
        Assert.Equal(["Warm", "Bold"], draft.Themes);
        Assert.Equal(["Grow"], draft.Objectives);
        Assert.Equal(["email", "sms"], draft.Channels);

        // Refused without a rationale: nothing written.
        var refused = await Log.RecordAsync(draft with { Rationale = " " }, "ann", default);
        Assert.Null(refused.Saved);
        Assert.Equal("rationale", Assert.Single(refused.Problems).Field);
        Assert.Equal(0, await _store.CountAsync("squad_decisions"));

        var scaled = await Log.RecordAsync(draft with { Decision = DecisionKind.Scale, Rationale = "Warm won in every segment", Segments = ["Londoners"], Apply = true },
            "ann", default);
        Assert.NotNull(scaled.Saved);
        Assert.Equal("the campaign moved from pilot to scaled", scaled.Applied);
        var campaign = (await Campaigns.GetAsync(_campaign.Id, default))!;
        Assert.Equal((CampaignStage.Scaled, _campaign.Version + 1), (campaign.Stage, campaign.Version));
        Assert.Single(await _store.RowsAsync("SELECT id FROM audit_entries WHERE entity_type = 'decision' AND changes LIKE '%Scale on Meeting run%'"));

        var stopped = await Log.RecordAsync(draft with { Decision = DecisionKind.Stop, Rationale = "Bold tires people", Themes = ["Bold"], Apply = true }, "bob", default);
        Assert.Equal("the campaign is finished", stopped.Applied);
        Assert.Equal(CampaignStatus.Finished, (await Campaigns.GetAsync(_campaign.Id, default))!.Status);
        Assert.Equal(2, (await Meeting.WeekAsync(Monday, Correction.BenjaminiHochberg, CorrectionScope.Portfolio, default)).Experiments.Single().Decisions.Count);

        async Task<IReadOnlyList<DecisionKind>> Found(LearningFilter f) => (await Log.SearchAsync(f, default)).Items.Select(d => d.Decision).ToList();
        Assert.Equal([DecisionKind.Stop, DecisionKind.Scale], await Found(new LearningFilter()));
        Assert.Equal([DecisionKind.Scale], await Found(new LearningFilter(Theme: "Warm")));
        Assert.Equal([DecisionKind.Stop, DecisionKind.Scale], await Found(new LearningFilter(Theme: "Bold")));
        Assert.Equal([DecisionKind.Scale], await Found(new LearningFilter(Segment: "Londoners")));
        Assert.Empty(await Found(new LearningFilter(Segment: "London"))); // whole names only
        Assert.Equal([DecisionKind.Stop, DecisionKind.Scale], await Found(new LearningFilter(Objective: "Grow", Channel: "sms")));
        Assert.Equal([DecisionKind.Stop], await Found(new LearningFilter(Search: "TIRES")));
        Assert.Equal([DecisionKind.Scale], await Found(new LearningFilter(Search: "warm tone", Decision: DecisionKind.Scale)));
        var facets = await Log.FacetsAsync(default);
        Assert.Equal(["Bold", "Warm"], facets.Themes);
        Assert.Equal(["Londoners"], facets.Segments);
    }
}
