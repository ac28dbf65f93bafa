using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Kpis;

// A manager's visit on the sample data: from the home page to the KPI overview, another period, a split, a chart exported.
[Collection(AppCollection.Name)]
public sealed class KpisJourneyTests(AppFixture app)
{
    [Fact]
    public async Task Home_OpenKpis_ChangePeriodAndSplit_ExportAChartNamedBySubjectAndDate()
    {
        var page = await app.OpenAsync("/");
        await page.SetViewportSizeAsync(1440, 1000);
        await page.WaitForSelectorAsync("[data-testid=home-kpis]");
        await AppFixture.ScreenshotAsync(page, "home-with-kpis");
        await page.ClickAsync("#open-kpis");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape("/kpis") + "$"), new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("#kpi-net-revenue .main-svg", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=kpi-period-title]")).ToContainTextAsync("Last full month");
        await AppFixture.ScreenshotAsync(page, "kpis");
        // Everyone's months against the same months a year earlier: the baseline line in the legend.
        await Assertions.Expect(page.Locator("#kpi-net-revenue .legend")).ToContainTextAsync("same month a year earlier");
        await AppFixture.ScreenshotAsync(page.Locator("#kpi-net-revenue"), "kpis-net-revenue-baseline-part");

        await page.ClickAsync("[data-testid=period-LastTwelveMonths]");
        await Assertions.Expect(page.Locator("[data-testid=kpi-period-title]")).ToContainTextAsync("Last 12 full months");
        await page.ClickAsync("[data-testid=split-Region]");
        await Assertions.Expect(page.Locator("#kpi-net-revenue .gtitle")).ToContainTextAsync("by region");
        Assert.True(await page.Locator("#kpi-comparison tr[data-figure=net-revenue]").CountAsync() > 1);
        await AppFixture.ScreenshotAsync(page, "kpis-by-region");

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        // The image's title: the chart's name, then its subject and the date on a second line.
        var title = await page.Locator("#kpi-net-revenue .gtitle tspan.line").AllTextContentsAsync();
        Assert.Equal("Net revenue by month", title[0]);
        Assert.Matches($@"^by region, \d{{4}}-\d{{2}} to \d{{4}}-\d{{2}} · {today}$", title[1]);
        await page.HoverAsync("#kpi-net-revenue");
        var png = await page.RunAndWaitForDownloadAsync(() =>
            page.Locator("#kpi-net-revenue .modebar-btn[data-title='Download plot as a PNG']").ClickAsync());
        Assert.Matches(Stem(today, ".png"), png.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync(await png.PathAsync());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);

        var csv = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=kpi-net-revenue-csv]"));
        Assert.Matches(Stem(today, ".csv"), csv.SuggestedFilename);
        var lines = await File.ReadAllLinesAsync(await csv.PathAsync());
        Assert.Equal("chart,subject,date,group,month,net_revenue,same_month_a_year_earlier", lines[0]);
        Assert.StartsWith("Net revenue by month,\"by region, ", lines[1]);
        Assert.Contains($",{today},", lines[1]);
    }

    private static string Stem(string today, string extension) =>
        $@"^net-revenue-by-month_by-region-\d{{4}}-\d{{2}}-to-\d{{4}}-\d{{2}}_{today}{Regex.Escape(extension)}$";
}

[Collection(EmptyAppCollection.Name)]
public sealed class KpisEmptyJourneyTests(EmptyAppFixture app)
{
    [Fact]
    public async Task EmptyStore_SaysThereIsNothingToCount()
    {
        var page = await app.OpenAsync("/kpis");
        await page.SetViewportSizeAsync(1440, 1000);
        await page.WaitForSelectorAsync("[data-testid=kpis-empty]");
        Assert.Equal(0, await page.Locator("#kpi-comparison").CountAsync());
        await AppFixture.ScreenshotAsync(page, "kpis-empty");
    }
}
