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

        await page.Locator("[data-testid=fit-model]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=bgnbd-parameters]")).ToContainTextAsync("α (scale of the purchase rate)", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=gamma-gamma-parameters]")).ToContainTextAsync("pγ/(q−1)");
        await Assertions.Expect(page.Locator("[data-testid=holdout-error]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[+-]\d+\.\d%$"));
        await Assertions.Expect(page.Locator("#clv-cumulative .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#clv-weekly .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#population-figures")).ToContainTextAsync("refitted by the daily job run");
        await AppFixture.ScreenshotAsync(page, "model");
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
        await AppFixture.ScreenshotAsync(page, "value-drivers");
        await page.Context.CloseAsync();
    }
}
