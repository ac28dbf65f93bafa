using System.Globalization;
using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Workbench.Core.Campaigns;
using Workbench.Core.Import;
using Workbench.Core.Learning;
using Workbench.Core.Playbook;
using Workbench.Core.Segments;
using Workbench.Core.Users;
using Workbench.Features.Learning;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Learning;

// The weekly meeting and the learnings library over a store with one pilot campaign (30% control, variants with
// themes) run once on Tuesday 1 December 2026, 10:00 UTC, the fixed clock: the week of Monday 30 November.
public sealed class LearningPagesTests : StorePageContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    protected override TimeProvider? Clock => new FixedClock(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    protected override async Task ArrangeAsync(TestStore store)
    {
        var (customers, consents) = CampaignSeeding.Reachable("L", 40, "Lu");
        Assert.True((await store.ImportAsync(ImportKind.Customers, customers)).Succeeded);
        Assert.True((await store.ImportAsync(ImportKind.Consents, consents)).Succeeded);
        var json = CampaignSeeding.GrowPlayFile();
        Assert.True((await store.Services.GetRequiredService<PlaybookStore>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t.json", "test", default)).Imported);
        var campaigns = store.Services.GetRequiredService<CampaignStore>();
        var created = (await campaigns.CreateAsync(new Campaign("", "Tone test", "ann", CampaignStatus.Draft, CampaignStage.Pilot, ["hello"], [], [],
            new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * *", TimeZone: "Europe/London"), 30,
            [new CampaignVariant("a", 1, Theme: "Warm"), new CampaignVariant("b", 1, Theme: "Bold")], Description: "Warm beats bold"), "ann", default)).Saved!;
        var scheduled = (await campaigns.UpdateAsync(created with { Status = CampaignStatus.Scheduled }, created.Version, "ann", default)).Saved!;
        var runner = store.Services.GetRequiredService<CampaignRunner>();
        Assert.True(await runner.ExecuteAsync((await runner.ClaimManualAsync(scheduled, "ann", default))!.Value, null, default));
        Use<SquadMeeting>();
        Use<DecisionLog>();
        Use<SegmentService>();
        Use<PlaybookStore>();
        Services.AddSingleton(Clock!);
    }

    private IRenderedComponent<WeeklyMeetingPage> Meeting(string? week = null)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(week is null ? "/meeting" : $"/meeting?week={week}");
        Render<MudPopoverProvider>();
        var page = Render<WeeklyMeetingPage>();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")), Wait);
        return page;
    }

    [Fact]
    public void TheWeek_ShowsTheExperiment_ItsRecommendationAndGates_AndTheMethod()
    {
        var page = Meeting();
        Assert.Contains("30 Nov 2026 – 6 Dec 2026", page.Find("[data-testid=meeting-week]").TextContent);
        var card = page.Find("[data-testid=meeting-experiment]");
        Assert.Contains("Tone test", card.TextContent);
        Assert.Equal(["started this week"], page.FindAll("[data-testid=meeting-tag]").Select(t => t.TextContent.Trim()));
        Assert.Contains("Recommended: iterate.", page.Find("[data-testid=meeting-recommendation]").TextContent);
        Assert.Equal(["Sample ratio", "Window closed", "Enough customers", "Beats control", "Margin holds"],
            page.FindAll("[data-testid=meeting-gate]").Select(g => g.TextContent.Trim()));
        var method = System.Text.RegularExpressions.Regex.Replace(page.Find("[data-testid=meeting-method]").TextContent, @"\s+", " ");
        Assert.Contains("Benjamini–Hochberg (false discovery rate), across the week's portfolio", method);
        Assert.Contains("at least 300 customers", method);
        Assert.Contains("Nothing is significant after correction", page.Find("[data-testid=meeting-none-significant]").TextContent);
    }

    [Fact]
    public void AnEmptyWeek_SaysWhatComesHere()
    {
        var page = Meeting("2026-11-18");
        Assert.Contains("16 Nov 2026 – 22 Nov 2026", page.Find("[data-testid=meeting-week]").TextContent);
        Assert.Contains("No experiment is on this week's agenda", page.Find("[data-testid=meeting-empty]").TextContent);
        Assert.Contains("week of 30 Nov 2026 – 6 Dec 2026", page.Find("[data-testid=meeting-latest]").TextContent);
    }

    [Fact]
    public async Task ADecision_NeedsARationale_ThenIsLoggedOnTheCard_AndAViewerCannotLogOne()
    {
        SignInAs("mia", Roles.Marketer);
        var page = Meeting();
        await page.InvokeAsync(() => page.Find("button[data-testid=meeting-record]").Click());
        var form = page.Find("[data-testid=decision-form]");
        Assert.Contains("themes Warm, Bold", page.Find("[data-testid=decision-filed-under]").TextContent);
        Assert.Contains("Warm beats bold", page.Find("textarea[data-testid=decision-hypothesis]").GetAttribute("value") ?? page.Find("textarea[data-testid=decision-hypothesis]").TextContent);
        await page.InvokeAsync(() => page.Find("button[data-testid=decision-save]").Click());
        page.WaitForAssertion(() => Assert.Contains("say why", page.Find("[data-testid=decision-form]").TextContent), Wait);
        Assert.NotNull(form);

        await page.InvokeAsync(() => page.Find("textarea[data-testid=decision-rationale]").Change("Too few customers per arm; rerun with the whole base"));
        await page.InvokeAsync(() => page.Find("button[data-testid=decision-save]").Click());
        page.WaitForAssertion(() => Assert.Contains("Logged: iterate on 2026-12-01", page.Find("[data-testid=meeting-saved]").TextContent), Wait);
        page.WaitForAssertion(() => Assert.Contains("Too few customers per arm", page.Find("[data-testid=meeting-experiment]").TextContent), Wait);

        SignInAs("vic", Roles.Viewer);
        var viewer = Render<WeeklyMeetingPage>();
        viewer.WaitForAssertion(() => Assert.NotEmpty(viewer.FindAll("[data-testid=meeting-experiment]")), Wait);
        Assert.Empty(viewer.FindAll("[data-testid=meeting-record]"));
    }

    [Fact]
    public async Task TheLibrary_IsEmptyFirst_ThenListsAndFiltersTheDecisions()
    {
        Render<MudPopoverProvider>();
        var empty = Render<LearningsPage>();
        empty.WaitForAssertion(() => Assert.Contains("No decisions logged yet", empty.Find("[data-testid=learnings-empty]").TextContent), Wait);

        var log = Store.Services.GetRequiredService<DecisionLog>();
        var campaign = (await Store.Services.GetRequiredService<CampaignStore>().ListAsync(new CampaignFilter(), default)).Items.Single();
        foreach (var (kind, theme, why) in new[] { (DecisionKind.Scale, "Warm", "Warm won"), (DecisionKind.Stop, "Bold", "Bold tires people") })
            Assert.NotNull((await log.RecordAsync(new DecisionDraft(campaign.Id, null, kind, "ann", new DateOnly(2026, 12, 1), "Warm beats bold", "see the run", why,
                [], ["Grow"], [theme], ["email"]), "ann", default)).Saved);
        var page = Render<LearningsPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=learnings-entry]").Count), Wait);
        Assert.Equal(["stop", "scale"], page.FindAll("[data-testid=learnings-kind]").Select(k => k.TextContent.Trim()));
        await page.InvokeAsync(() => page.Find("input[data-testid=learnings-search]").Input("tires"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=learnings-entry]")), Wait);
        Assert.Contains("Bold tires people", page.Find("[data-testid=learnings-entry]").TextContent);
        await page.InvokeAsync(() => page.Find("input[data-testid=learnings-search]").Input("nothing like this"));
        page.WaitForAssertion(() => Assert.Contains("No logged decision matches", page.Find("[data-testid=learnings-empty]").TextContent), Wait);
    }
}
