using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Campaigns;

// The sample's factorial campaign, opened by a marketer before its next launch: the forecast, and under it what each of
// its eight variants can detect, from the control group of the run the sample already holds (its window closed weeks ago).
[Collection(AppCollection.Name)]
public sealed class LaunchPowerJourneyTests(AppFixture app)
{
    [Fact]
    public async Task SampleCampaign_Forecast_ShowsWhatEachVariantCanDetect_FromTheLastRunsControlGroup()
    {
        var page = await app.OpenAsync("/campaigns/autumn-factorial");
        await page.SetViewportSizeAsync(1440, 1000);
        await page.Locator("[data-testid=campaign-forecast]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=forecast-title]")).ToContainTextAsync("nothing written", new() { Timeout = 90_000 });

        var power = page.Locator("[data-testid=launch-power]");
        await Assertions.Expect(power.Locator("[data-testid=launch-power-row]")).ToHaveCountAsync(8);
        await Assertions.Expect(power.Locator("[data-testid=launch-power-baseline]")).ToContainTextAsync("control group");
        await Assertions.Expect(power.Locator("[data-testid=launch-power-mde]").First).ToContainTextAsync("pts");
        await AppFixture.ScreenshotAsync(power, "campaign-launch-power-sample");

        // The squad's own assumption instead: the field appears and the figures follow it.
        var before = await power.Locator("[data-testid=launch-power-mde]").First.TextContentAsync();
        await power.Locator("[data-testid=launch-power-use-assumption]").ClickAsync();
        await Assertions.Expect(power.Locator("[data-testid=launch-power-baseline]")).ToContainTextAsync("Your assumption");
        await Assertions.Expect(power.Locator("[data-testid=launch-power-mde]").First).Not.ToHaveTextAsync(before!);
        await page.Context.CloseAsync();
    }
}
