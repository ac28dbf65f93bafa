using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Workbench.Core.Kpis;
using Workbench.Features.Kpis;
using Workbench.Tests.Core.Kpis;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Kpis;

// The page over KpiFixture's retailer, today 2026-06-15 (the figures themselves are checked in KpiServiceTests).
public sealed class KpisPageTests : StorePageContext
{
    protected override async Task ArrangeAsync(TestStore store)
    {
        await KpiFixture.LoadAsync(store);
        await KpiFixture.AddSegmentAsync(store);
        Services.AddSingleton(new KpiService(store.Location, new FixedClock(KpiFixture.Today)));
        Services.AddSingleton<TimeProvider>(new FixedClock(KpiFixture.Today));
    }

    private IRenderedComponent<KpisPage> RenderLoaded()
    {
        var page = Render<KpisPage>();
        WaitLoaded(page);
        return page;
    }

    private static void WaitLoaded(IRenderedComponent<KpisPage> page) =>
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")), TimeSpan.FromSeconds(30));

    private static string Cell(IRenderedComponent<KpisPage> page, string figure, string group, string column) =>
        page.Find($"#kpi-comparison tr[data-figure={figure}][data-group='{group}'] .{column}").TextContent.Trim();

    private static async Task ClickAsync(IRenderedComponent<KpisPage> page, string testId)
    {
        await page.InvokeAsync(() => page.Find($"[data-testid={testId}]").Click());
        WaitLoaded(page);
    }

    [Fact]
    public async Task FirstView_LastFullMonthForEveryone_ThenAnotherPeriodAndASplit()
    {
        var page = RenderLoaded();

        Assert.Equal("Last full month: 2026-05", page.Find("[data-testid=kpi-period-title]").TextContent.Trim());
        // May: net −40 against April's 30 and May 2025's 10.
        Assert.Equal("-40.00", Cell(page, "net-revenue", KpiService.Everyone, "kpi-current"));
        Assert.Equal("30.00", Cell(page, "net-revenue", KpiService.Everyone, "kpi-previous"));
        Assert.Equal("-70.00", Cell(page, "net-revenue", KpiService.Everyone, "kpi-change"));
        Assert.Equal("-233.3 %", Cell(page, "net-revenue", KpiService.Everyone, "kpi-change-pct"));
        Assert.Equal("10.00", Cell(page, "net-revenue", KpiService.Everyone, "kpi-last-year"));
        Assert.Equal("2", Cell(page, "churned", KpiService.Everyone, "kpi-current"));
        Assert.Equal(10, page.FindAll("[data-testid$=-csv]").Count(e => e.GetAttribute("data-testid")!.StartsWith("kpi-")));
        Assert.Equal("kpi-comparison_all-customers-2026-05_2026-06-15.csv", page.Find("[data-testid=kpi-comparison-csv]").GetAttribute("download"));
        Assert.Equal("net-revenue-by-month_all-customers-2025-05-to-2026-06_2026-06-15.csv",
            page.Find("[data-testid=kpi-net-revenue-csv]").GetAttribute("download"));

        // The monthly chart's baseline: each month against the same month a year earlier (May 2026's −40 against May 2025's 10).
        var baseline = NetRevenueTraces(page).OfType<Scatter>().Single(t => t.Name == "same month a year earlier");
        Assert.Equal(["2026-05", "2026-06"], baseline.X.Cast<string>());
        Assert.Equal(10.0, (double)baseline.Y[0]);
        Assert.Contains("2026-05,-40,10", Uri.UnescapeDataString(page.Find("[data-testid=kpi-net-revenue-csv]").GetAttribute("href")!));

        await ClickAsync(page, "period-LastThreeMonths");
        Assert.Equal("Last 3 full months: 2026-03 to 2026-05", page.Find("[data-testid=kpi-period-title]").TextContent.Trim());
        Assert.Equal("50.00", Cell(page, "net-revenue", KpiService.Everyone, "kpi-current"));
        Assert.Equal("66.7 %", Cell(page, "repeat-rate", KpiService.Everyone, "kpi-current"));

        await ClickAsync(page, "split-Region");
        Assert.Equal(["North", "South"], page.FindAll("#kpi-comparison tr[data-figure=net-revenue]").Select(r => r.GetAttribute("data-group")));
        // North over 2026-03..05: A 10 + 10, C 30.
        Assert.Equal("50.00", Cell(page, "net-revenue", "North", "kpi-current"));
        Assert.Equal("net-revenue-by-month_by-region-2025-05-to-2026-06_2026-06-15.csv",
            page.Find("[data-testid=kpi-net-revenue-csv]").GetAttribute("download"));
        Assert.Contains("South", Uri.UnescapeDataString(page.Find("[data-testid=kpi-orders-csv]").GetAttribute("href")!));
        Assert.DoesNotContain(NetRevenueTraces(page), t => t is Scatter { Name: "same month a year earlier" });
    }

    private static IList<ITrace> NetRevenueTraces(IRenderedComponent<KpisPage> page) =>
        page.FindComponents<PlotlyChart>().Single(c => c.Instance.Id == "kpi-net-revenue").Instance.Data;

    [Fact]
    public async Task SegmentSplit_ShowsItsMembersAgainstTheRest()
    {
        var page = RenderLoaded();

        await ClickAsync(page, "split-Segment");

        Assert.Equal(["Northerners", "not in Northerners"],
            page.FindAll("#kpi-comparison tr[data-figure=net-revenue]").Select(r => r.GetAttribute("data-group")));
        Assert.Equal("10.00", Cell(page, "net-revenue", "Northerners", "kpi-current"));
        Assert.Equal("-50.00", Cell(page, "net-revenue", "not in Northerners", "kpi-current"));
        Assert.NotNull(page.Find("[data-testid=kpi-segment]"));

        // A split's table shows one figure at a time: the active customers at the end of May are A and C against B.
        await page.InvokeAsync(() => page.Find("[data-testid=figure-active-customers]").Click());
        Assert.Empty(page.FindAll("#kpi-comparison tr[data-figure=net-revenue]"));
        Assert.Equal("2", Cell(page, "active-customers", "Northerners", "kpi-current"));
        Assert.Equal("1", Cell(page, "active-customers", "not in Northerners", "kpi-current"));
    }
}

public sealed class KpisPageEmptyTests : StorePageContext
{
    protected override Task ArrangeAsync(TestStore store)
    {
        Use<KpiService>();
        return Task.CompletedTask;
    }

    [Fact]
    public void EmptyStore_SaysThereIsNothingToCount_AndOffersNoSegmentSplit()
    {
        var page = Render<KpisPage>();

        page.WaitForAssertion(() => page.Find("[data-testid=kpis-empty]"), TimeSpan.FromSeconds(30));
        Assert.Contains("No order lines in the store yet", page.Find("[data-testid=kpis-empty]").TextContent);
        Assert.Empty(page.FindAll("#kpi-comparison"));
        Assert.Empty(page.FindAll(".mud-chart, [id^=kpi-net]"));
        Assert.Equal("No saved segment yet to split by.", page.Find("[data-testid=kpi-no-segments]").TextContent);
        Assert.True(page.Find("[data-testid=split-Segment]").HasAttribute("disabled"));
        Assert.NotNull(page.Find("#kpi-definitions"));
    }
}
