using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Workbench.Core.Campaigns;
using Workbench.Core.Playbook;
using Workbench.Core.Segments;
using Workbench.Core.Users;
using Workbench.Features.Campaigns;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Campaigns;

// The campaign list and editor over a store with two active plays, on a fixed clock: Tuesday 1 December 2026, 10:00 UTC.
public sealed class CampaignPagesTests : StorePageContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    protected override TimeProvider? Clock => new FixedClock(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    protected override async Task ArrangeAsync(TestStore store)
    {
        var p = PlaybookFixture.Play();
        var file = new PlaybookFile(PlaybookFile.CurrentFormat,
            [new UseCase("uc-1", "Welcome", Objective.Welcome, "first purchase", "second purchases", "tester", UseCaseStatus.Active)],
            [p with { Id = "hello", Name = "Hello" }, p with { Id = "thanks", Name = "Thanks" }]);
        var imported = await store.Services.GetRequiredService<PlaybookStore>().ImportAsync(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(PlaybookJson.Export(file))), "plays.json", "tester", default);
        Assert.True(imported.Imported, string.Join("\n", imported.Problems));
        Use<CampaignStore>();
        Use<PlaybookStore>();
        Use<SegmentService>();
        Use<CampaignRunner>();
        Use<CampaignOutcomeService>();
        Use<CampaignResultService>();
        Use<ScalingRecommendations>();
        Use<GlobalHoldout>();
        Services.AddSingleton(Clock!);
        var customers = new System.Text.StringBuilder("customer_id,first_name,email\n");
        var consents = new System.Text.StringBuilder("customer_id,channel,status,updated_at,source\n");
        for (var i = 0; i < 30; i++)
        {
            customers.Append($"B{i:D2},Bo,b{i}@example.com\n");
            consents.Append($"B{i:D2},email,granted,2026-01-01T00:00:00Z,web\n");
        }
        Assert.Equal(Workbench.Core.Import.ImportOutcome.Imported, (await store.ImportAsync(Workbench.Core.Import.ImportKind.Customers, customers.ToString())).Outcome);
        Assert.Equal(Workbench.Core.Import.ImportOutcome.Imported, (await store.ImportAsync(Workbench.Core.Import.ImportKind.Consents, consents.ToString())).Outcome);
    }

    private bool _popovers;

    private CampaignStore Campaigns => Store.Services.GetRequiredService<CampaignStore>();

    private static Campaign Weekly(string id, string name) => new(id, name, "", CampaignStatus.Draft, CampaignStage.Pilot, ["hello", "thanks"], [], ["email"],
        new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * MON", TimeZone: "Europe/London"), 10, [new CampaignVariant("a", 1), new CampaignVariant("b", 3)]);

    private IRenderedComponent<CampaignEditPage> Open(string id)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/campaigns/{id}");
        if (!_popovers) Render<MudPopoverProvider>();
        _popovers = true;
        var page = Render<CampaignEditPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")), Wait);
        return page;
    }

    [Fact]
    public async Task List_EmptyThenEveryCampaign_ScheduledFirst_FilteredBySearch()
    {
        var empty = Render<CampaignsPage>();
        empty.WaitForAssertion(() => Assert.Contains("No campaigns yet", empty.Find("[data-testid=campaigns-empty]").TextContent), Wait);
        Assert.Empty(empty.FindAll("[data-testid=new-campaign]"));

        var draft = (await Campaigns.CreateAsync(Weekly("draft-one", "Draft one"), "t", default)).Saved!;
        var other = (await Campaigns.CreateAsync(Weekly("weekly", "Weekly hello"), "t", default)).Saved!;
        Assert.NotNull((await Campaigns.UpdateAsync(other with { Status = CampaignStatus.Scheduled }, 1, "t", default)).Saved);
        var carts = (await Campaigns.CreateAsync(Weekly("carts", "Carts") with { Schedule = new CampaignSchedule(ScheduleKind.Triggered) }, "t", default)).Saved!;
        Assert.NotNull((await Campaigns.UpdateAsync(carts with { Status = CampaignStatus.Scheduled }, 1, "t", default)).Saved);

        SignInAs("mia", Roles.Marketer);
        var page = Render<CampaignsPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=campaign-row-link]").Count), Wait);
        Assert.Equal(["Weekly hello", "Carts", "Draft one"], page.FindAll("[data-testid=campaign-row-link]").Select(a => a.TextContent.Trim()));
        // Monday 7 December 09:00 in London = 09:00 UTC; a triggered campaign runs on events; the draft has no next run.
        Assert.Equal(["2026-12-07 09:00", "on events", "—"], page.FindAll("[data-testid=campaign-next-run]").Select(e => e.TextContent.Trim()));
        Assert.Single(page.FindAll("[data-testid=new-campaign]"));
        await page.InvokeAsync(() => page.Find("input[data-testid=campaign-search]").Input("draft"));
        page.WaitForAssertion(() => Assert.Equal(["Draft one"], page.FindAll("[data-testid=campaign-row-link]").Select(a => a.TextContent.Trim())), Wait);
        await page.InvokeAsync(() => page.Find("input[data-testid=campaign-search]").Input("nothing like it"));
        page.WaitForAssertion(() => Assert.Contains("No campaign matches", page.Find("[data-testid=campaigns-empty]").TextContent), Wait);
        Assert.Equal("draft-one", draft.Id);
    }

    [Fact]
    public async Task Edit_ProblemsNameTheField_ASaveIsAVersion_ScheduleShowsTheNextRun_AConflictOffersTheirs()
    {
        await Campaigns.CreateAsync(Weekly("weekly", "Weekly hello"), "t", default);
        SignInAs("mia", Roles.Marketer);
        var page = Open("weekly");
        Assert.Equal("Weekly hello", page.Find("input[data-testid=campaign-name]").GetAttribute("value"));
        // 90% treated, split 1 : 3.
        Assert.Equal(["22.5% of the audience", "67.5% of the audience"], page.FindAll("[data-testid^=variant-percent]").Select(e => e.TextContent.Trim()));
        Assert.Contains("Next runs (UTC): 2026-12-07 09:00, 2026-12-14 09:00", page.Find("[data-testid=schedule-next-runs]").TextContent);

        await page.InvokeAsync(() => page.Find("input[data-testid=schedule-cron]").Input("every monday"));
        page.WaitForAssertion(() => Assert.Contains("No run in the next year", page.Find("[data-testid=schedule-next-runs]").TextContent), Wait);
        await page.InvokeAsync(() => page.Find("[data-testid=save-campaign]").Click());
        page.WaitForAssertion(() => Assert.Equal(["schedule.cron"], page.FindAll("[data-testid=campaign-problem]").Select(e => e.GetAttribute("data-field"))), Wait);
        Assert.Equal(1, (await Campaigns.GetAsync("weekly", default))!.Version);

        await page.InvokeAsync(() => page.Find("input[data-testid=schedule-cron]").Input("30 8 * * FRI"));
        await page.InvokeAsync(() => page.Find("input[data-testid=campaign-name]").Input("Friday hello"));
        await page.InvokeAsync(() => page.Find("[data-testid=campaign-to-scheduled]").Click());
        // Friday 4 December 08:30 GMT.
        page.WaitForAssertion(() => Assert.Equal("Saved version 2: scheduled, next run 2026-12-04 08:30 UTC.", page.Find("[data-testid=campaign-saved]").TextContent.Trim()), Wait);
        Assert.Equal("scheduled", page.Find("[data-testid=campaign-header-status]").TextContent.Trim());
        Assert.Equal(2, page.FindAll("[data-testid=campaign-version]").Count);
        var stored = (await Campaigns.GetAsync("weekly", default))!;
        Assert.Equal(("Friday hello", CampaignStatus.Scheduled, "30 8 * * FRI"), (stored.Name, stored.Status, stored.Schedule.Cron));

        // Someone else saves version 3; this page still holds version 2.
        Assert.NotNull((await Campaigns.UpdateAsync(stored with { ControlPercent = 20 }, 2, "bob", default)).Saved);
        await page.InvokeAsync(() => page.Find("input[data-testid=campaign-name]").Input("Mine"));
        await page.InvokeAsync(() => page.Find("[data-testid=save-campaign]").Click());
        page.WaitForAssertion(() => Assert.Contains("Someone saved version 3", page.Find("[data-testid=campaign-conflict]").TextContent), Wait);
        await page.InvokeAsync(() => page.Find("[data-testid=campaign-reload]").Click());
        page.WaitForAssertion(() => Assert.Equal("Friday hello", page.Find("input[data-testid=campaign-name]").GetAttribute("value")), Wait);
        Assert.Equal("20", page.Find("input[data-testid=campaign-control]").GetAttribute("value"));
    }

    [Fact]
    public async Task Edit_AnAnalystReadsOnly_AnUnknownIdSaysSo()
    {
        await Campaigns.CreateAsync(Weekly("weekly", "Weekly hello"), "t", default);
        var page = Open("weekly");
        Assert.Contains("Your role reads campaigns", page.Find("[data-testid=campaign-read-only]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=save-campaign]"));
        var missing = Open("nope");
        Assert.Contains("There is no campaign 'nope'", missing.Find("[data-testid=campaign-not-found]").TextContent);
    }

    // The editor's forecast and Run now, then the run's page: the same counts, the send list, the download.
    [Fact]
    public async Task Runs_TheForecastEqualsTheRun_RunNowOpensTheRunPage_WithItsSendsAndDownload()
    {
        var draft = (await Campaigns.CreateAsync(Weekly("weekly", "Weekly hello"), "t", default)).Saved!;
        Assert.NotNull((await Campaigns.UpdateAsync(draft with { Status = CampaignStatus.Scheduled }, 1, "t", default)).Saved);
        SignInAs("mia", Roles.Marketer);
        var page = Open("weekly");
        Assert.Equal("No runs yet.", page.Find("[data-testid=campaign-no-runs]").TextContent.Trim());

        await page.InvokeAsync(() => page.Find("[data-testid=campaign-forecast]").Click());
        page.WaitForAssertion(() => Assert.Contains("nothing written", page.Find("[data-testid=forecast-title]").TextContent), Wait);
        var forecastSent = page.Find("[data-testid=run-sent]").TextContent.Trim();
        Assert.Equal("30", page.Find("[data-testid=run-targeted]").TextContent.Trim());
        Assert.NotEqual("0", forecastSent);
        // Under the forecast, what its arms can detect: no run has results yet, so the baseline is the assumed 5%.
        Assert.Equal(2, page.FindAll("[data-testid=launch-power-row]").Count);
        Assert.Contains("Your assumption", page.Find("[data-testid=launch-power-baseline]").TextContent);

        await page.InvokeAsync(() => page.Find("[data-testid=campaign-run-now]").Click());
        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Matches(@"/runs/\d+$", navigation.Uri), Wait);
        var runId = long.Parse(navigation.Uri.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);

        var run = Render<CampaignRunPage>(p => p.Add(x => x.RunId, runId));
        run.WaitForAssertion(() => Assert.Equal("succeeded", run.Find("[data-testid=run-status]").TextContent.Trim()), Wait);
        run.WaitForAssertion(() => Assert.Equal(forecastSent, run.Find("[data-testid=run-sent]").TextContent.Trim()), Wait);
        Assert.Equal(int.Parse(forecastSent, System.Globalization.CultureInfo.InvariantCulture), run.FindAll("[data-testid=run-send]").Count);
        Assert.Equal($"api/runs/{runId}/sends.csv", run.Find("[data-testid=run-download]").GetAttribute("href"));
        Assert.Contains("decisioning/why?customer=B", run.Find("[data-testid=run-send-why]").GetAttribute("href"));
        Assert.Contains("Run now for", run.Find("[data-testid=run-meta]").TextContent);

        // Results from attributed purchases: the rule and window stated, every arm but the holdout, nobody bought yet.
        Assert.Contains("Benjamini–Hochberg", run.Find("[data-testid=results-rule]").TextContent);
        Assert.Contains("for 7 days", run.Find("[data-testid=results-rule]").TextContent);
        Assert.Contains(run.FindAll("[data-testid=results-arm]"), a => a.TextContent.Contains("control group"));
        Assert.All(run.FindAll("[data-testid=results-arm]"), a => Assert.Contains(" 0 bought", a.TextContent));
        Assert.NotEmpty(run.FindAll("[data-testid=results-cell]"));
        var srm = run.Find("[data-testid=results-srm]").TextContent;
        Assert.Contains("Sample ratio against the planned allocation", srm);
        foreach (var planned in new[] { "control group 10.0%", "variant a 22.5%", "variant b 67.5%" }) Assert.Contains(planned, srm);

        // The next run's allocation by Thompson sampling (nobody bought: the two variants about even); a Marketer accepts it.
        Assert.Equal(2, run.FindAll("[data-testid=recommendation-arm]").Count);
        await run.InvokeAsync(() => run.Find("[data-testid=recommendation-accept]").Click());
        run.WaitForAssertion(() => Assert.Contains("Accepted: the campaign's variant shares are now", run.Find("[data-testid=recommendation-outcome]").TextContent), Wait);
        Assert.Equal(3, (await Campaigns.GetAsync("weekly", default))!.Version);

        // No outcomes yet: the page says where they come from. Then every send delivered, the first two converted.
        Assert.Contains($"simulate outcomes --run {runId}", run.Find("[data-testid=run-no-outcomes]").TextContent);
        var sends = await Store.Services.GetRequiredService<CampaignRunner>().SendsAsync(runId, null, 100, sentOnly: true, default);
        var csv = "send_id,delivered_at,converted_at,revenue,margin\n" + string.Join("\n", sends.Select((s, i) =>
            $"{CampaignRunner.SendId(runId, s.CustomerId)},2026-12-01T10:05:00Z,{(i < 2 ? "2026-12-01T12:00:00Z,30,10" : ",,")}"));
        Assert.True((await Store.ImportAsync(Workbench.Core.Import.ImportKind.Outcomes, csv)).Succeeded);
        var withOutcomes = Render<CampaignRunPage>(p => p.Add(x => x.RunId, runId));
        withOutcomes.WaitForAssertion(() => Assert.NotEmpty(withOutcomes.FindAll("[data-testid=run-outcome-arm]")), Wait);
        var rows = withOutcomes.FindAll("[data-testid=run-outcome-arm]").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToList()).ToList();
        var control = Assert.Single(rows, r => r[0] == "control");
        Assert.Equal(("0", "—"), (control[1], control[2]));
        var variants = rows.Where(r => r[0].StartsWith("variant ", StringComparison.Ordinal)).ToList();
        static double Number(string text) => double.Parse(text.Split(' ')[0], System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(sends.Count, variants.Sum(r => Number(r[1])));
        Assert.Equal(sends.Count, variants.Sum(r => Number(r[2])));
        Assert.Equal(2, variants.Sum(r => Number(r[5])));
        Assert.Equal(60, variants.Sum(r => Number(r[7])), 9);
        Assert.Equal(20, variants.Sum(r => Number(r[8])), 9);

        var missing = Render<CampaignRunPage>(p => p.Add(x => x.RunId, 9999));
        missing.WaitForAssertion(() => Assert.Contains("There is no campaign run #9999", missing.Find("[data-testid=run-not-found]").TextContent), Wait);
    }

    [Fact]
    public async Task GlobalHoldout_AnAnalystReadsIt_AnAdminChangesIt_AndIsToldWhatItDoes()
    {
        var read = Render<GlobalHoldoutCard>();
        read.WaitForAssertion(() => Assert.Contains("Global holdout: 5%", read.Find("[data-testid=global-holdout-text]").TextContent), Wait);
        Assert.Empty(read.FindAll("[data-testid=global-holdout-save]"));

        SignInAs("ada", Roles.Admin);
        var card = Render<GlobalHoldoutCard>();
        card.WaitForAssertion(() => Assert.NotEmpty(card.FindAll("input[data-testid=global-holdout-percent]")), Wait);
        await card.InvokeAsync(() => card.Find("input[data-testid=global-holdout-percent]").Change("8"));
        card.WaitForAssertion(() => Assert.Contains("keeps everyone already held out", card.Find("[data-testid=global-holdout-preview]").TextContent), Wait);
        await card.InvokeAsync(() => card.Find("[data-testid=global-holdout-save]").Click());
        card.WaitForAssertion(() => Assert.Contains("nobody held out is reshuffled", card.Find("[data-testid=global-holdout-message]").TextContent), Wait);
        Assert.Contains("Global holdout: 8%", card.Find("[data-testid=global-holdout-text]").TextContent);
        Assert.Equal(8, (await Store.Services.GetRequiredService<GlobalHoldout>().GetAsync(default)).Percent);
    }

    [Fact]
    public async Task Calendar_EmptyThenTheComingRunsByDay_AndAFoldedRunSaysSo()
    {
        var empty = Render<CampaignCalendarPage>();
        empty.WaitForAssertion(() => Assert.Contains("No scheduled campaign runs in the next 28 days", empty.Find("[data-testid=calendar-empty]").TextContent), Wait);
        Assert.Contains("No runs in the last 7 days", empty.Find("[data-testid=calendar-no-past]").TextContent);

        var draft = (await Campaigns.CreateAsync(Weekly("weekly", "Weekly hello"), "t", default)).Saved!;
        var scheduled = (await Campaigns.UpdateAsync(draft with { Status = CampaignStatus.Scheduled }, 1, "t", default)).Saved!;
        var runner = Store.Services.GetRequiredService<CampaignRunner>();
        var run = (await runner.ClaimAsync(scheduled, new DateTime(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc), manual: false, missed: 2, "scheduler", default))!.Value;
        Assert.True(await runner.ExecuteAsync(run, null, default));

        var page = Render<CampaignCalendarPage>();
        // Mondays 09:00 London (09:00 UTC in winter) in the next 28 days: 7, 14, 21 and 28 December.
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=calendar-entry]").Count), Wait);
        Assert.Contains("Mon 7 Dec 2026", page.Find("[data-testid=calendar-entry]").TextContent);
        Assert.Equal("2 missed occurrence(s) while the app was down, folded into this run", page.Find("[data-testid=calendar-run-note]").TextContent.Trim());
    }
}
