using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Learning;

// The squad's weekly meeting on the sample data: the week the sample's factorial experiment ended, another correction
// scope, a decision logged and carried out, the run's lift chart exported as PNG, then the decision found in the
// learnings library.
[Collection(AppCollection.Name)]
public sealed class MeetingJourneyTests(AppFixture app)
{
    [Fact]
    public async Task TheMeeting_ShowsTheSampleExperiment_ADecisionIsLogged_TheChartExported_AndTheLibraryFindsIt()
    {
        var page = await app.OpenAsync("/meeting?week=2026-10-05");
        await page.SetViewportSizeAsync(1440, 1000);
        await Assertions.Expect(page.Locator("[data-testid=meeting-empty]")).ToContainTextAsync("No experiment is on this week's agenda");
        await Assertions.Expect(page.Locator("[data-testid=meeting-latest]")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "meeting-empty-week");

        await page.GotoAsync(app.BaseUrl + "/meeting?week=2026-11-16");
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        var card = page.Locator("[data-testid=meeting-experiment]", new() { HasText = "Autumn factorial test" });
        await Assertions.Expect(card).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(card.Locator("[data-testid=meeting-tag]")).ToContainTextAsync(["window ended this week"]);
        await Assertions.Expect(card.Locator("[data-testid=meeting-gate]")).ToHaveCountAsync(5);
        await Assertions.Expect(card.Locator("[data-testid=meeting-recommendation]")).ToContainTextAsync("Recommended:");
        await Assertions.Expect(page.Locator("[data-testid=meeting-significant-cell]").First).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "meeting");

        await page.Locator("[data-testid=meeting-scope]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "per metric within each experiment" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=meeting-method]")).ToContainTextAsync("per metric within each experiment");

        await card.Locator("[data-testid=meeting-record]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=decision-filed-under]")).ToContainTextAsync("themes Seasonal, Value");
        await page.Locator("textarea[data-testid=decision-rationale]").FillAsync("The seasonal creatives won across segments; roll out and keep testing layouts");
        await AppFixture.ScreenshotAsync(page, "meeting-decision-form");
        await page.Locator("[data-testid=decision-save]").ClickAsync();
        await Assertions.Expect(card.Locator("[data-testid=meeting-saved]")).ToContainTextAsync("Logged:", new() { Timeout = 30_000 });
        await Assertions.Expect(card.Locator("[data-testid=meeting-logged]")).ToContainTextAsync("roll out and keep testing layouts");

        // The run's results with their charts: the lift chart exported as a PNG.
        await card.Locator("[data-testid=meeting-run-link]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/runs/\d+$"), new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("#run-lift-chart .main-svg", new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("#run-heatmap .main-svg", new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("#run-incremental-chart .main-svg", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#run-incremental-chart .legend .traces")).ToHaveCountAsync(8);
        await page.Locator("[data-testid=incremental-measure] button", new() { HasText = "Margin" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=results-incremental]")).ToContainTextAsync("Cumulative incremental margin against control");
        await page.WaitForSelectorAsync("#run-incremental-chart .main-svg", new() { Timeout = 30_000 });
        await AppFixture.ScreenshotAsync(page.Locator("[data-testid=results-incremental]"), "run-results-incremental-part");
        await page.Locator("[data-testid=results-significant-only]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=results-shown]")).ToContainTextAsync(" of ");
        // Once the filter has landed only significant cells are shown; then those cells as CSV, with their incremental figures.
        await Assertions.Expect(page.Locator("[data-testid=results-cell]:not(.wb-significant)")).ToHaveCountAsync(0);
        var shown = await page.Locator("[data-testid=results-cell]").CountAsync();
        var resultsCsv = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=results-csv]").ClickAsync());
        var csvLines = (await File.ReadAllLinesAsync((await resultsCsv.PathAsync())!)).Where(l => l.Length > 0).ToList();
        Assert.EndsWith("incremental,incremental_ci_low,incremental_ci_high", csvLines[0]);
        Assert.Equal(shown, csvLines.Count - 1);
        await AppFixture.ScreenshotAsync(page, "run-results-charts");
        await AppFixture.ScreenshotAsync(page.Locator("[data-testid=results-charts]"), "run-results-charts-part");
        await AppFixture.ScreenshotAsync(page.Locator("[data-testid=results-table]"), "run-results-table-part");
        // The table scrolls sideways: its right-hand columns (detectable, power, incremental, CUPED) too.
        await page.Locator("[data-testid=results-table]").EvaluateAsync("e => { const c = e.querySelector('.mud-table-container') ?? e; c.scrollLeft = c.scrollWidth; }");
        await AppFixture.ScreenshotAsync(page.Locator("[data-testid=results-table]"), "run-results-table-right-part");
        await page.HoverAsync("#run-lift-chart");
        var png = await page.RunAndWaitForDownloadAsync(() =>
            page.Locator("#run-lift-chart .modebar-btn[data-title='Download plot as a PNG']").ClickAsync());
        var bytes = await File.ReadAllBytesAsync((await png.PathAsync())!);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.EndsWith(".png", png.SuggestedFilename);

        await page.GotoAsync(app.BaseUrl + "/learnings");
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        var entry = page.Locator("[data-testid=learnings-entry]", new() { HasText = "roll out and keep testing layouts" });
        await Assertions.Expect(entry).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(entry).ToContainTextAsync("Hypothesis: A seasonal theme");
        await page.Locator("[data-testid=learnings-theme]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Seasonal" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=learnings-theme]")).ToHaveTextAsync("Seasonal");
        await Assertions.Expect(entry).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "learnings");
        await page.Locator("input[data-testid=learnings-search]").FillAsync("nothing like this at all");
        await Assertions.Expect(page.Locator("[data-testid=learnings-empty]")).ToContainTextAsync("No logged decision matches");
        await page.Context.CloseAsync();
    }
}
