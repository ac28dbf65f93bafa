using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Playbook;

// A squad lead on the sample data: the use cases on their value × feasibility chart (exported as PNG and CSV), then the
// content gaps, following a gap to a prefilled new play.
[Collection(AppCollection.Name)]
public sealed class PlaybookInsightJourneyTests(AppFixture app)
{
    [Fact]
    public async Task UseCases_ChartExportsPngAndCsv_Gaps_LinkToAPrefilledNewPlay()
    {
        var page = await app.OpenAsync("/playbook/use-cases");
        await page.SetViewportSizeAsync(1440, 1000);
        await page.WaitForSelectorAsync("#use-case-chart .main-svg", new() { Timeout = 60_000 });
        // The starter library's 12 use cases and the sample experiment's Seasonal edit.
        Assert.Equal(13, await page.Locator("#use-case-table tbody tr").CountAsync());
        Assert.Equal("", await AppFixture.ChartTitleProblemAsync(page, "#use-case-chart"));
        await AppFixture.ScreenshotAsync(page, "playbook-use-cases");

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        await page.HoverAsync("#use-case-chart");
        var png = await page.RunAndWaitForDownloadAsync(() =>
            page.Locator("#use-case-chart .modebar-btn[data-title='Download plot as a PNG']").ClickAsync());
        Assert.Equal($"use-cases-by-estimated-value-and-feasibility_all-use-cases-computed-inputs_{today}.png", png.SuggestedFilename);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(await png.PathAsync()))[..4]);
        var csv = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=use-case-chart-csv]"));
        var lines = await File.ReadAllLinesAsync(await csv.PathAsync());
        Assert.StartsWith("chart,subject,date,rank,use_case_id", lines[0]);
        Assert.Equal(14, lines.Length);

        await page.GotoAsync(app.BaseUrl + "/playbook/gaps");
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await page.WaitForSelectorAsync("#gap-matrix");
        await AppFixture.ScreenshotAsync(page, "playbook-gaps");
        await page.Locator("#gap-channel .mud-select .mud-input-control").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "sms" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape("/playbook/gaps?channel=sms") + "$"), new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("#gap-matrix td.gap-noactiveplay");
        await AppFixture.ScreenshotAsync(page, "playbook-gaps-sms");

        var gap = page.Locator("#gap-matrix tr[data-segment=none] td.gap-noactiveplay a").First;
        var href = await gap.GetAttributeAsync("href");
        Assert.Matches(@"^/playbook/new\?objective=[a-z_]+&channel=sms$", href);
        await gap.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(href!) + "$"), new() { Timeout = 30_000 });
        await AppFixture.ScreenshotAsync(page, "playbook-gap-followed");
    }

    // The squad lead changes the KPI a use case is judged by; it is saved and still there after a reload.
    [Fact]
    public async Task UseCases_EditAUseCase_SavedAndShownAfterAReload()
    {
        var page = await app.OpenAsync("/playbook/use-cases");
        await page.SetViewportSizeAsync(1440, 1000);
        await page.WaitForSelectorAsync("#use-case-table", new() { Timeout = 60_000 });
        await page.Locator("[data-testid=edit-uc-premium]").ClickAsync();
        var kpi = page.Locator("input[data-testid=use-case-kpi]");
        await Assertions.Expect(kpi).ToHaveValueAsync("average order value");
        await kpi.FillAsync("average order value of premium buyers");
        await AppFixture.ScreenshotAsync(page, "playbook-use-case-editor");
        await page.Locator("[data-testid=use-case-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=use-case-saved]")).ToContainTextAsync("Trade up to premium");
        await Assertions.Expect(page.Locator("#use-case-editor")).ToHaveCountAsync(0);

        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#use-case-table", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#use-case-table tbody tr", new() { HasText = "Trade up to premium" }))
            .ToContainTextAsync("KPI: average order value of premium buyers");
    }
}
