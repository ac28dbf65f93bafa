using Bunit;
using MudBlazor.Services;
using Workbench.Core.Campaigns;
using Workbench.Features.Campaigns;

namespace Workbench.Tests.Components.Campaigns;

// The card over a forecast's counts: 10,000 in the control group, 10,000 in variant a, none in b. The figures are
// LaunchPowerTests' hand-worked ones: at 5% the MDE is 0.90 points (17.98%), a 20% lift has 87% power.
public sealed class LaunchPowerCardTests : BunitContext, IAsyncLifetime
{
    private static readonly CampaignRunCounts Counts = new(25_000, 22_000, 10_000,
        new Dictionary<string, long> { ["global_holdout"] = 2_000, ["control"] = 10_000, ["a"] = 10_000 },
        new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, long>(), []);

    private static readonly Campaign Campaign = new("c", "C", "", CampaignStatus.Scheduled, CampaignStage.Pilot, ["p"], [], ["email"],
        new CampaignSchedule(ScheduleKind.OneOff), 45, [new CampaignVariant("a", 1), new CampaignVariant("b", 0)]);

    public Task InitializeAsync()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        return Task.CompletedTask;
    }

    // MudBlazor's services dispose only asynchronously.
    public new async Task DisposeAsync() => await base.DisposeAsync();

    private static string Cell(IRenderedComponent<LaunchPowerCard> card, string variant, string testId) =>
        card.Find($"[data-testid=launch-power-row][data-variant={variant}] [data-testid={testId}]").TextContent.Trim();

    [Fact]
    public async Task Assumed_RowsPerVariant_UpdateWithTheBaselinePowerAndHopedLift()
    {
        var card = Render<LaunchPowerCard>(p => p.Add(c => c.Counts, Counts).Add(c => c.Campaign, Campaign));

        Assert.Equal(2, card.FindAll("[data-testid=launch-power-row]").Count);
        Assert.Contains("Your assumption: no run of this campaign has results yet", card.Find("[data-testid=launch-power-baseline]").TextContent);
        Assert.Equal("+0.90 pts", Cell(card, "a", "launch-power-mde"));
        Assert.Equal("+18.0%", Cell(card, "a", "launch-power-mde-relative"));
        Assert.Contains("No customer in this variant", Cell(card, "b", "launch-power-row-problem"));
        Assert.Contains("Benjamini–Hochberg", card.Find("[data-testid=launch-power-caption]").TextContent);
        Assert.Empty(card.FindAll("[data-testid=launch-power-use-assumption]"));

        await card.InvokeAsync(() => card.Find("input[data-testid=launch-power-hoped-lift]").Change("20"));
        card.WaitForAssertion(() => Assert.Equal("87%", Cell(card, "a", "launch-power-row-hoped")));
        Assert.Contains("87% power in the weakest variant", card.Find("[data-testid=launch-power-hoped]").TextContent);

        // 20%: MDE from Power.MdeForRates, smaller because p(1 − p) is a smaller share of p there.
        await card.InvokeAsync(() => card.Find("input[data-testid=launch-power-assumed]").Change("20"));
        card.WaitForAssertion(() => Assert.Equal(
            "+" + (Workbench.Core.Experiments.Statistics.Power.MdeForRates(0.2, 10_000, 10_000) * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " pts",
            Cell(card, "a", "launch-power-mde")));

        await card.InvokeAsync(() => card.Find("input[data-testid=launch-power-power]").Change("90"));
        card.WaitForAssertion(() => Assert.Equal(
            "+" + (Workbench.Core.Experiments.Statistics.Power.MdeForRates(0.2, 10_000, 10_000, 0.9) * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " pts",
            Cell(card, "a", "launch-power-mde")));
        Assert.Contains("90% power", card.Find("[data-testid=launch-power-table] thead").TextContent);
    }

    [Fact]
    public async Task Observed_NamesItsRun_AndTheSwitchFallsBackToTheAssumption()
    {
        var card = Render<LaunchPowerCard>(p => p.Add(c => c.Counts, Counts).Add(c => c.Campaign, Campaign).Add(c => c.Baseline, new ControlBaseline(12, 7, 2_000, 100)));

        Assert.Contains("5.00% from run 12's control group", card.Find("[data-testid=launch-power-baseline]").TextContent);
        Assert.Empty(card.FindAll("input[data-testid=launch-power-assumed]"));
        Assert.Equal("+0.90 pts", Cell(card, "a", "launch-power-mde"));

        var toggle = card.Find("[data-testid=launch-power-use-assumption]");
        await card.InvokeAsync(() => (toggle.TagName == "INPUT" ? toggle : toggle.QuerySelector("input")!).Change(true));

        card.WaitForAssertion(() => Assert.NotNull(card.Find("input[data-testid=launch-power-assumed]")));
        Assert.Equal("Your assumption.", card.Find("[data-testid=launch-power-baseline]").TextContent.Trim());
    }

    [Fact]
    public void NoControlGroup_SaysNoComparisonIsPossible()
    {
        var counts = Counts with { ByArm = new Dictionary<string, long> { ["a"] = 10_000 } };

        var card = Render<LaunchPowerCard>(p => p.Add(c => c.Counts, counts).Add(c => c.Campaign, Campaign with { ControlPercent = 0 }));

        Assert.Contains("no comparison is possible", card.Find("[data-testid=launch-power-problem]").TextContent);
        Assert.Equal("—", Cell(card, "a", "launch-power-mde"));
    }
}
