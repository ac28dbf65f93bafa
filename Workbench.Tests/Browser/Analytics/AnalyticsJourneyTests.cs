using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Analytics;

[Collection(AppCollection.Name)]
public sealed class AnalyticsJourneyTests(AppFixture app)
{
    [Fact]
    public async Task Model_FitWithTheDefaultHoldout_ShowsParametersAndTrackingCharts()
    {
        var page = await app.OpenAsync("/model");
        await page.SetViewportSizeAsync(1440, 900);

        await page.Locator("[data-testid=fit-model]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=bgnbd-parameters]")).ToContainTextAsync("α (scale of the purchase rate)", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=gamma-gamma-parameters]")).ToContainTextAsync("pγ/(q−1)");
        await Assertions.Expect(page.Locator("[data-testid=holdout-error]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[+-]\d+\.\d%$"));
        await Assertions.Expect(page.Locator("#clv-cumulative .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#clv-weekly .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#population-figures")).ToContainTextAsync("refitted by the daily job run");
        await AppFixture.ScreenshotAsync(page, "model");

        // The half-width charts show their whole title: "… · holdout <calibration end> to <holdout end> · <date>" wraps
        // onto lines that each fit inside the chart.
        foreach (var chart in new[] { "#clv-cumulative", "#clv-weekly" })
        {
            var titleProblem = await AppFixture.ChartTitleProblemAsync(page, chart);
            Assert.True(titleProblem == "", $"{chart}: {titleProblem}");
            var lines = await page.Locator($"{chart} .gtitle tspan.line").AllTextContentsAsync();
            Assert.Matches(@"^holdout \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} · \d{4}-\d{2}-\d{2}$", string.Join(" ", lines.Skip(1)));
        }
        // The exported PNG is drawn from the same layout: kept beside the screenshots to be looked at.
        await page.HoverAsync("#clv-weekly");
        var png = await page.RunAndWaitForDownloadAsync(() => page.Locator("#clv-weekly .modebar-btn[data-title='Download plot as a PNG']").ClickAsync());
        await png.SaveAsAsync(Path.Combine(AppFixture.RepositoryRoot, "TestResults", "screenshots", "model-clv-weekly-export.png"));

        // Every link of the page's text to the app leads to one of its pages (the CSV buttons are data: links, Plotly's
        // logo leaves the app).
        var links = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('.mud-main-content a[href]')].map(a => a.href).filter(h => h.startsWith(location.origin + '/'))");
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            var response = await page.Context.APIRequest.GetAsync(link);
            Assert.True(response.Status == 200, $"{link}: {response.Status}");
            Assert.DoesNotContain("There is no page at this address", await response.TextAsync());
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ValueDrivers_ShowEffectsGatewaysAndTheTransitionHeatmap()
    {
        var page = await app.OpenAsync("/value-drivers");

        await Assertions.Expect(page.Locator("[data-testid=driver-effects] tbody tr")).ToHaveCountAsync(14);
        await Assertions.Expect(page.Locator("[data-testid=gateway-categories] tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=gateway-products]")).ToContainTextAsync("(");
        await Assertions.Expect(page.Locator("#category-transitions .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#driver-effects-chart .main-svg").First).ToBeVisibleAsync();
        // When the population-wide figures were fitted (the sample data's first full run).
        await Assertions.Expect(page.Locator("#population-figures")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"buyers, the CLV fit, the value drivers\) computed\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC"));
        // Why the top fifth can score a lower mean P(alive), with the comparison among repeat buyers.
        await Assertions.Expect(page.Locator("[data-testid=alive-by-repeat]")).ToContainTextAsync("bought on one day only P(alive) = 1");
        await Assertions.Expect(page.Locator("[data-testid=alive-repeat-figures]")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"top 20% \d\.\d\d \([\d,]+ customers\) against\s+others \d\.\d\d"));
        await AppFixture.ScreenshotAsync(page, "value-drivers");
        await page.Locator("[data-testid=alive-by-repeat]").ScreenshotAsync(new()
        {
            Path = Path.Combine(AppFixture.RepositoryRoot, "TestResults", "screenshots", "value-drivers-alive-note.png"),
        });
        await page.Context.CloseAsync();
    }
}
