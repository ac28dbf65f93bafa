using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workbench.Cli;
using Workbench.Core.Playbook;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Campaigns;

// The real app on a store of its own: 30 customers with e-mail consent and one service play that fires every minute (a
// service message is exempt from caps and quiet hours, so a run sends whatever the hour the test runs at).
public sealed class OutcomesAppFixture : AppFixture
{
    protected override bool LoadSampleData => false;

    protected override async Task SeedAsync()
    {
        var (customers, consents) = CampaignSeeding.Reachable("O", 30, "Olu");
        var files = new Dictionary<string, string>
        {
            ["customers.csv"] = customers,
            ["consents.csv"] = consents,
            ["plays.json"] = CampaignSeeding.ServicePlayFile(),
        };
        foreach (var (name, text) in files) await File.WriteAllTextAsync(Path.Combine(StoreDirectory, name), text);
        foreach (var args in new[]
                 {
                     new[] { "import", "customers", Path.Combine(StoreDirectory, "customers.csv") },
                     ["import", "consents", Path.Combine(StoreDirectory, "consents.csv")],
                     ["plays", "import", Path.Combine(StoreDirectory, "plays.json")],
                 })
        {
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            var exit = await CommandLine.RunAsync([.. args, "--db", DatabasePath], stdout, stderr);
            if (exit != 0) throw new InvalidOperationException($"{string.Join(' ', args)}: exit {exit}\n{stdout}\n{stderr}");
        }
    }
}

// A marketer runs a campaign, takes its send list to the sending platform, imports what came back through the Import
// page, and sees the outcomes per arm on the run page.
public sealed class OutcomesJourneyTests(OutcomesAppFixture app) : IClassFixture<OutcomesAppFixture>
{
    [Fact]
    public async Task ARun_ItsSendList_TheOutcomesImported_ShowPerArmOnTheRunPage()
    {
        var page = await app.OpenAsync("/campaigns/new");
        await page.SetViewportSizeAsync(1440, 1000);
        await page.Locator("input[data-testid=campaign-name]").FillAsync("Receipts");
        await page.Locator("#campaign-plays .mud-input-control").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Nth(0).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("input[data-testid=campaign-control]").FillAsync("20");
        await page.Locator("[data-testid=save-campaign]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/campaigns/receipts$"), new() { Timeout = 30_000 });
        await page.Locator("[data-testid=campaign-to-scheduled]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=campaign-header-status]")).ToHaveTextAsync("scheduled");
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=campaign-run-now]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/runs/\d+$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("succeeded", new() { Timeout = 60_000 });
        var runUrl = page.Url;
        var runId = runUrl.Split('/')[^1];
        await Assertions.Expect(page.Locator("[data-testid=run-no-outcomes]")).ToContainTextAsync($"simulate outcomes --run {runId}");
        await AppFixture.ScreenshotAsync(page, "campaign-run-no-outcomes");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=run-download]").ClickAsync());
        var sends = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.NotEmpty(sends);
        Assert.All(sends, s => Assert.StartsWith($"{runId}-O", s));

        // What the platform reports: every send delivered, every second opened, every third converted at 40.00 (margin 12.00).
        var file = Path.Combine(app.StoreDirectory, "outcomes-journey.csv");
        await File.WriteAllLinesAsync(file, sends.Select((id, i) =>
                $"{id},2026-12-01T10:05:00Z,{(i % 2 == 0 ? "2026-12-01T11:00:00Z" : "")},{(i % 3 == 0 ? "2026-12-02T09:00:00Z,40.00,12.00" : ",,")}")
            .Prepend("send_id,delivered_at,opened_at,converted_at,revenue,margin"));
        await page.GotoAsync(app.BaseUrl + "/import");
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await page.Locator("input[type=file]").SetInputFilesAsync(file);
        await Assertions.Expect(page.Locator("[data-testid=import-preview]")).ToContainTextAsync("send_id → send_id");
        await AppFixture.ScreenshotAsync(page, "import-outcomes-preview");
        await page.Locator("[data-testid=start-import]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=result-summary]")).ToContainTextAsync($"{sends.Count} inserted", new() { Timeout = 60_000 });
        await AppFixture.ScreenshotAsync(page, "import-outcomes");

        await page.GotoAsync(runUrl);
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        var table = page.Locator("[data-testid=run-outcomes]");
        await Assertions.Expect(table).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=run-outcome-arm]", new() { HasText = "control" })).ToContainTextAsync("—");
        await Assertions.Expect(table).ToContainTextAsync("(100.0%)");
        // The page's figures are the run's outcomes as the API gives them: every third send converted at 40.00.
        var reply = await page.APIRequest.GetAsync($"{app.BaseUrl}/api/runs/{runId}/outcomes");
        Assert.True(reply.Ok, await reply.TextAsync());
        var arms = (await reply.JsonAsync())!.Value.EnumerateArray().ToList();
        var converted = (sends.Count + 2) / 3;
        Assert.Equal(converted, arms.Sum(a => a.GetProperty("converted").GetInt32()));
        Assert.Equal(40.0 * converted, arms.Sum(a => a.GetProperty("revenue").GetDouble()), 9);
        await AppFixture.ScreenshotAsync(page, "campaign-run-outcomes");

        // The results against control from attributed purchases (nobody here has bought), the window changed to 14 days.
        await Assertions.Expect(page.Locator("[data-testid=results-rule]")).ToContainTextAsync("for 7 days");
        await Assertions.Expect(page.Locator("[data-testid=results-cell]").First).ToBeVisibleAsync();
        await page.Locator("[data-testid=results-window]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "14 days" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=results-rule]")).ToContainTextAsync("for 14 days");
        await AppFixture.ScreenshotAsync(page, "campaign-run-results");

        // The recommended allocation for the next run: rejected, so the campaign keeps its shares.
        await Assertions.Expect(page.Locator("[data-testid=recommendation-arm]")).ToHaveCountAsync(2);
        await page.Locator("[data-testid=recommendation-reject]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=recommendation-outcome]")).ToContainTextAsync("Rejected");
        await AppFixture.ScreenshotAsync(page, "campaign-run-recommendation");
        await page.Context.CloseAsync();
    }
}
