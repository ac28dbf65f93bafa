using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workbench.Core.Users;
using Workbench.Tests.Core.Experiments;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser;

[Collection(AppCollection.Name)]
public sealed class ExperimentsJourneyTests(AppFixture app)
{
    [Fact]
    public async Task AnalyseFile_CookieCats_ShowsHealthChartsAndTheThreeResults()
    {
        var page = await app.OpenAsAsync("/experiments/analyse", Roles.Analyst);
        page.Console += (_, m) => Console.WriteLine("BROWSER " + m.Type + ": " + m.Text);
        await AppFixture.ScreenshotAsync(page, "experiments-analyse-idle");

        await page.Locator("input[type=file]").SetInputFilesAsync(CookieCatsGoldenTests.File);
        await Assertions.Expect(page.Locator("[data-testid=analysis-setup]")).ToContainTextAsync("version", new() { Timeout = 30_000 });
        await page.Locator("[data-testid=run-analysis]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=health-summary]")).ToContainTextAsync("90,189 units", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=health-summary]")).ToContainTextAsync("Duplicate units: 0");
        await Assertions.Expect(page.Locator("[data-testid=variant-units]")).ToContainTextAsync("gate_30 (control)");
        var rows = page.Locator("[data-testid=results-table] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        // retention_7: 19.02% → 18.20% (scipy, see CookieCatsGoldenTests), BH-adjusted p 0.0047.
        await Assertions.Expect(rows.Filter(new() { HasText = "retention_7" })).ToContainTextAsync("−0.82 pp");
        await Assertions.Expect(rows.Filter(new() { HasText = "retention_7" })).ToContainTextAsync("0.0016 (0.0047)");
        // Detectable with 80% power: 0.7376 pp (reference_figures.py).
        await Assertions.Expect(rows.Filter(new() { HasText = "retention_7" }).Locator("[data-testid=mde]")).ToHaveTextAsync("±0.74 pp");
        await Assertions.Expect(page.Locator("#lift-chart .main-svg").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#lift-chart .modebar").First).ToBeAttachedAsync();
        // Its long title wraps inside the half-width chart, clear of the modebar.
        var titleProblem = await AppFixture.ChartTitleProblemAsync(page, "#lift-chart");
        Assert.True(titleProblem == "", titleProblem);
        await AppFixture.ScreenshotAsync(page, "experiments-analyse-cookie-cats");

        await page.Locator("[data-testid=filter-significant]").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("retention_7");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PlanATest_TheFlowGivesTheDays_AMeanTakesItsSpread_AndTheCurveExportsNamed()
    {
        var page = await app.OpenAsAsync("/experiments/plan", Roles.Marketer);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");

        // 5% → 5.5%: 31,231 a side (ExperimentPlannerTests says how it was computed); 62,462 at 5,000 a day: 13 days.
        await Assertions.Expect(page.Locator("[data-testid=plan-per-arm]")).ToHaveTextAsync("31,231 customers per arm");
        await page.Locator("input[data-testid=plan-per-day]").FillAsync("5000");
        await page.Locator("input[data-testid=plan-per-day]").BlurAsync();
        await Assertions.Expect(page.Locator("[data-testid=plan-days]")).ToContainTextAsync("13 day(s)");
        await Assertions.Expect(page.Locator("#power-curve .main-svg").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await AppFixture.ScreenshotAsync(page, "experiments-plan-rate");
        var csv = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=power-curve-csv]"));
        Assert.Equal($"power-against-customers-per-arm_rate-5-0.5-pp_{today}.csv", csv.SuggestedFilename);

        // Mean 40, sd 60, + 10%: 3,532 a side.
        await page.GetByText("A mean (revenue per customer…)").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=plan-per-arm]")).ToHaveTextAsync("3,532 customers per arm");
        await page.Locator("input[data-testid=plan-sd]").FillAsync("0");
        await page.Locator("input[data-testid=plan-sd]").BlurAsync();
        await Assertions.Expect(page.Locator("[data-testid=plan-problem]")).ToContainTextAsync("standard deviation");
        await AppFixture.ScreenshotAsync(page, "experiments-plan-problem");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnalyseFile_SegmentsAndABadFile_ShowTheHeatmapAndTheProblem()
    {
        var random = new Random(5);
        var good = Path.Combine(app.StoreDirectory, "segmented.csv");
        await File.WriteAllTextAsync(good, "unit,arm,tier,bought,spend\n" + string.Concat(Enumerable.Range(0, 3_000).Select(i =>
        {
            var arm = (i % 3) switch { 0 => "control", 1 => "offer", _ => "bundle" };
            var tier = (i / 3 % 4) switch { 0 => "bronze", 1 => "silver", 2 => "gold", _ => "platinum" };
            var bought = random.NextDouble() < 0.2 + (arm == "offer" && tier == "gold" ? 0.2 : 0);
            return $"c{i},{arm},{tier},{(bought ? 1 : 0)},{(bought ? 20 + random.Next(60) : 0)}\n";
        })));
        var bad = Path.Combine(app.StoreDirectory, "bad-experiment.csv");
        await File.WriteAllTextAsync(bad, "arm,bought\ncontrol,1\noffer,0\noffer\n");
        var page = await app.OpenAsAsync("/experiments/analyse", Roles.Marketer);

        await page.Locator("input[type=file]").SetInputFilesAsync(bad);
        await Assertions.Expect(page.Locator("[data-testid=analysis-setup]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.Locator("[data-testid=run-analysis]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=analysis-error]")).ToHaveTextAsync("bad-experiment.csv:4: 1 fields where the header has 2");
        await AppFixture.ScreenshotAsync(page, "experiments-analyse-error");

        await page.Locator("input[type=file]").Last.SetInputFilesAsync(good);
        await Assertions.Expect(page.Locator("[data-testid=unit-column]")).ToHaveTextAsync("unit", new() { Timeout = 30_000 }); // the new file's guess
        await page.Locator("[data-testid=segment-column]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=segment-column]")).ToHaveAttributeAsync("aria-expanded", "true");
        var listbox = await page.Locator("[data-testid=segment-column]").GetAttributeAsync("aria-controls");
        await page.Locator($"#{listbox} [role=option]").Filter(new() { HasTextRegex = new Regex("^tier$") }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=segment-column]")).ToHaveTextAsync("tier");
        await Assertions.Expect(page.Locator("[data-testid=control-value]")).ToHaveTextAsync("control"); // named so, not first in order
        await page.Locator("[data-testid=run-analysis]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=health-summary]")).ToContainTextAsync("3,000 units", new() { Timeout = 60_000 });
        await AppFixture.ScreenshotAsync(page, "experiments-analyse-segments");
        await Assertions.Expect(page.Locator("#segment-heatmap .main-svg").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        // 2 metrics × 2 variants × (all units + 4 tiers) = 20 results, 25 a page.
        await Assertions.Expect(page.Locator("[data-testid=results-table] tbody tr")).ToHaveCountAsync(20);
        await AppFixture.ScreenshotAsync(page, "experiments-analyse-segments");
        await page.Context.CloseAsync();
    }
}
